import { describe, expect, it } from 'vitest';
import { reconcileCluster } from '../../../functions/engine/reconcile-cluster.ts';
import { scanDrift } from '../../../functions/engine/scan-drift.ts';
import type { DriftTarget } from '../../../functions/engine/scan-drift.ts';
import { desiredRegistry, entryFor } from '../../support/desired-fixtures.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemorySecretSource, RecordingProgress, clusterOperatorRef, configRef } from '../../support/in-memory-ports.ts';

function setup(names: string[], policy: 'inform' | 'enforce' = 'inform') {
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  for (const name of names) connector.add(name);
  const ports = { connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock };
  // desired = what the seed already has, so every cluster starts in sync
  const targets: DriftTarget[] = names.map((n) => ({ desired: desiredRegistry(n, { replicas: 2, managementState: 'Managed' }, { policy }), entry: entryFor(n, { env: 'prod' }) }));
  return { clock, connector, ports, targets };
}
const reconcile = { healthGate: { timeoutMs: 60_000, pollMs: 1_000 } };

describe('scanDrift', () => {
  it('in sync, never written by regops (no inventory): one GET per object Git renders, images.config and the pruner (they may hold fields Git dropped), the ClusterOperator; zero writes', async () => {
    const t = setup(['a', 'b', 'c']);
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets });
    expect(report.summary).toMatchObject({ 'in-sync': 3, drifted: 0, clusters: 3, driftedFields: 0 });
    for (const name of ['a', 'b', 'c']) {
      expect(t.connector.get(name).requestCount).toEqual({ reads: 4, writes: 0 });
      // no evidence regops ever wrote the CA ConfigMap or the storage Secret: they are not read
      expect(t.connector.get(name).requests.map((r) => r.ref)).toEqual(['Config/cluster', 'Image/cluster', 'ImagePruner/cluster', 'ClusterOperator/image-registry']);
    }
  });

  it('in sync after regops wrote the cluster (the Config holds the inventory): exactly the Config and the ClusterOperator are read', async () => {
    const t = setup(['a']);
    const desired = desiredRegistry('a', { replicas: 3, managementState: 'Managed' });
    const targets: DriftTarget[] = [{ desired, entry: entryFor('a', { env: 'prod' }) }];
    const applied = await reconcileCluster(t.ports, desired, entryFor('a', { env: 'prod' }), { commit: 'c1', ...reconcile });
    expect(applied.outcome).toBe('succeeded');
    const cluster = t.connector.get('a');
    const before = cluster.requests.length;
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: targets });
    expect(report.summary).toMatchObject({ 'in-sync': 1, drifted: 0 });
    expect(cluster.requests.slice(before).map((r) => `${r.verb} ${r.ref}`)).toEqual(['get Config/cluster', 'get ClusterOperator/image-registry']);
  });

  it('classifies drifted (field, Git value, live value), unreachable, unmanaged and degraded, and carries on past failures', async () => {
    const t = setup(['drifted', 'down', 'hands-off', 'sick', 'fine']);
    t.connector.get('drifted').outsideWrite(configRef, { spec: { replicas: 1 } });
    t.connector.get('down').unreachable = true;
    t.connector.get('hands-off').outsideWrite(configRef, { spec: { managementState: 'Unmanaged' } });
    const sick = t.connector.get('sick').objects;
    const co = [...sick.entries()].find(([k]) => k.includes('ClusterOperator'));
    if (co === undefined) throw new Error('no ClusterOperator seeded');
    co[1]['status'] = { conditions: [{ type: 'Degraded', status: 'True', reason: 'ImagePrunerJobFailed', message: 'Job has reached the specified backoff limit' }] };
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const byName = Object.fromEntries(report.clusters.map((c) => [c.cluster, c]));
    expect(byName['drifted']).toMatchObject({ state: 'drifted', resources: [{ target: { type: 'object', ref: configRef }, changes: [{ path: 'spec.replicas', op: 'change', before: 1, after: 2 }] }] });
    expect(byName['down']).toMatchObject({ state: 'unreachable', error: { code: 'cluster.unreachable' } });
    expect(byName['hands-off']?.state).toBe('unmanaged');
    expect(byName['sick']).toMatchObject({ state: 'degraded', conditions: [{ type: 'Degraded', reason: 'ImagePrunerJobFailed' }] });
    expect(byName['fine']?.state).toBe('in-sync');
    expect(report.summary).toMatchObject({ 'in-sync': 1, drifted: 1, unreachable: 1, unmanaged: 1, degraded: 1, driftedFields: 1, corrected: 0 });
    expect(report.clusters.map((c) => c.cluster)).toEqual(['down', 'drifted', 'fine', 'hands-off', 'sick']);
    expect(t.connector.get('drifted').requestCount.writes).toBe(0);
  });

  it('a cluster whose plan has errors is error, never in sync, and enforce corrects nothing there (issue #10 item 10)', async () => {
    const t = setup(['refused', 'fine'], 'enforce');
    // Git says Removed on a registry whose storage the operator manages: the operator would empty and
    // delete the bucket, so the plan refuses (core/destructive.ts) and marks every write skipped
    const refused = t.targets[0];
    if (refused === undefined) throw new Error('no target');
    refused.desired = desiredRegistry('refused', { replicas: 2, managementState: 'Removed' }, { policy: 'enforce' });
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets, reconcile });
    const byName = Object.fromEntries(report.clusters.map((c) => [c.cluster, c]));
    expect(byName['refused']).toMatchObject({ state: 'error', error: { code: 'plan.refused', step: 'plan' } });
    expect(byName['refused']?.error?.message).toMatch(/^cluster refused: plan has 1 error, nothing of it would be applied .*plan\.destructive-remove: /);
    // what differs is still shown, and nothing was corrected
    expect(byName['refused']?.resources[0]?.changes).toContainEqual(expect.objectContaining({ path: 'spec.managementState', before: 'Managed', after: 'Removed' }));
    expect(byName['refused']?.corrected).toBeUndefined();
    expect(t.connector.get('refused').requestCount.writes).toBe(0);
    expect(byName['fine']?.state).toBe('in-sync');
    expect(report.summary).toMatchObject({ 'in-sync': 1, error: 1, drifted: 0 });
  });

  it('a failure other than reaching the cluster (a secret that does not resolve) is error, not unreachable', async () => {
    const t = setup(['no-secret']);
    const target = t.targets[0];
    if (target === undefined) throw new Error('no target');
    // the in-memory secret source holds no value for this reference: resolve throws secret.not-found
    target.desired = { ...target.desired, secrets: [{ ref: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, data: { REGISTRY_STORAGE_S3_ACCESSKEY: { source: 'secretsmanager', id: 'regops/missing', key: 'id' } }, origin: { file: 'clusters/no-secret/storage.yaml', line: 1, col: 1 } }] };
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(report.clusters[0]).toMatchObject({ state: 'error', error: { code: 'secret.not-found' } });
    expect(report.summary).toMatchObject({ unreachable: 0, error: 1 });
  });

  it('says on the progress line each time it retries a cluster that does not answer', async () => {
    const t = setup(['down']);
    t.connector.get('down').unreachable = true;
    const progress = new RecordingProgress();
    await scanDrift({ ...t.ports, progress }, { commit: 'c1', clusters: t.targets, retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 100 } });
    const retrying = progress.events.filter((e) => e.phase === 'retrying');
    expect(retrying.map((e) => e.message?.replace(/next in [\d.]+ s/, 'next in N s'))).toEqual([
      'cluster.unreachable (attempt 1 of 3, next in N s): cluster down: connect ECONNREFUSED',
      'cluster.unreachable (attempt 2 of 3, next in N s): cluster down: connect ECONNREFUSED',
    ]);
    expect(progress.events.at(-1)).toMatchObject({ cluster: 'down', phase: 'unreachable' });
  });

  it('policy enforce corrects drift through the apply path (dry run, patch, health gate); inform only reports', async () => {
    const t = setup(['prod-1'], 'enforce');
    const cluster = t.connector.get('prod-1');
    cluster.outsideWrite(configRef, { spec: { replicas: 1 } });
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets, reconcile });
    expect(report.clusters[0]).toMatchObject({ state: 'drifted', corrected: { outcome: 'succeeded' } });
    expect(report.summary.corrected).toBe(1);
    expect((cluster.read(configRef)?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(cluster.requests.filter((r) => r.verb === 'patch').map((r) => r.dryRun)).toEqual([true, false]);
    // the health gate ran after the real patch: it read the ClusterOperator
    const applied = cluster.requests.findIndex((r) => r.verb === 'patch' && !r.dryRun);
    expect(cluster.requests.slice(applied + 1).map((r) => `${r.verb} ${r.ref}`)).toContain(`get ClusterOperator/${clusterOperatorRef.name}`);

    const u = setup(['lab-1'], 'enforce');
    u.connector.get('lab-1').outsideWrite(configRef, { spec: { replicas: 1 } });
    const informOnly = await scanDrift(u.ports, { commit: 'c1', clusters: u.targets, enforce: false });
    expect(informOnly.clusters[0]?.corrected).toBeUndefined();
    expect(u.connector.get('lab-1').requestCount.writes).toBe(0);
  });

  it('never has more than the concurrency limit of clusters in flight', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const t = setup(names);
    let inFlight = 0;
    let peak = 0;
    const connect = t.connector.connect.bind(t.connector);
    t.connector.connect = async (entry) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      const client = await connect(entry);
      const get = client.get.bind(client);
      let done = 0;
      return { ...client, get: async (ref) => { await new Promise((r) => setImmediate(r)); const o = await get(ref); done += 1; if (done === 2) inFlight -= 1; return o; } };
    };
    const report = await scanDrift(t.ports, { commit: 'c1', clusters: t.targets, concurrency: 7 });
    expect(report.summary['in-sync']).toBe(30);
    expect(peak).toBe(7);
  });
});
