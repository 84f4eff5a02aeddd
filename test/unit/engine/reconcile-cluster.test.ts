import { describe, expect, it } from 'vitest';
import { RegopsError } from '../../../functions/core/errors.ts';
import { APPLIED_COMMIT_ANNOTATION, OWNED_FIELDS_ANNOTATION, type JsonObject } from '../../../functions/core/model.ts';
import type { ClusterClient } from '../../../functions/engine/ports.ts';
import { formatInventory, INVENTORY_ANNOTATION } from '../../../functions/core/inventory.ts';
import { reconcileCluster } from '../../../functions/engine/reconcile-cluster.ts';
import { desiredBareMetalBootstrap, desiredRegistry, entryFor } from '../../support/desired-fixtures.ts';
import {
  FakeClock, InMemoryBucketStore, InMemoryConnector, InMemorySecretSource, RecordingProgress, configRef, prunerRef,
} from '../../support/in-memory-ports.ts';

function setup() {
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  const secrets = new InMemorySecretSource();
  const buckets = new InMemoryBucketStore();
  const progress = new RecordingProgress();
  return { clock, connector, secrets, buckets, progress, ports: { connector, secrets, buckets, clock, progress } };
}
const gate = { timeoutMs: 120_000, pollMs: 1_000 };
const spec = (object: JsonObject | undefined): JsonObject => (object?.['spec'] ?? {}) as JsonObject;
const annotations = (object: JsonObject | undefined): JsonObject => ((object?.['metadata'] as JsonObject)['annotations'] ?? {}) as JsonObject;

describe('reconcileCluster', () => {
  it('dry-runs, patches only the changed owned fields with the annotations, waits healthy; a second apply writes nothing', async () => {
    const t = setup();
    const cluster = t.connector.add('prod-1');
    const desired = desiredRegistry('prod-1', { replicas: 3, defaultRoute: true });
    const first = await reconcileCluster(t.ports, desired, entryFor('prod-1'), { commit: 'c1', healthGate: gate });
    expect(first).toMatchObject({ cluster: 'prod-1', outcome: 'succeeded', changes: { update: 1 } });
    expect(cluster.requests.filter((r) => r.verb === 'patch').map((r) => r.dryRun)).toEqual([true, false]);
    const live = cluster.read(configRef);
    expect(spec(live)).toMatchObject({ replicas: 3, defaultRoute: true, httpSecret: 'generated' });
    expect(annotations(live)[APPLIED_COMMIT_ANNOTATION]).toBe('c1');
    expect(JSON.parse(String(annotations(live)[OWNED_FIELDS_ANNOTATION]))).toEqual(['spec.defaultRoute', 'spec.replicas']);
    expect(first.conditions.find((c) => c.object.startsWith('ClusterOperator') && c.type === 'Available')?.status).toBe('True');
    expect(t.progress.events.map((e) => e.phase)).toEqual(expect.arrayContaining(['dry-run', 'applying', 'progressing', 'healthy']));

    const writesBefore = cluster.requestCount.writes;
    const second = await reconcileCluster(t.ports, desired, entryFor('prod-1'), { commit: 'c1', healthGate: gate });
    expect(second.outcome).toBe('unchanged');
    expect(cluster.requestCount.writes - writesBefore).toBe(0);
  });

  it('stops the cluster before anything is written when the dry run is rejected', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    cluster.faults.push({ on: 'write', times: 1, error: () => new RegopsError('cluster.invalid', 'cluster c: Config/cluster: spec.logLevel: Unsupported value: "Loud"') });
    const before = cluster.read(configRef);
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result).toMatchObject({ outcome: 'failed', step: 'dry-run', error: { code: 'cluster.dry-run-rejected', message: expect.stringContaining('Unsupported value: "Loud"') } });
    expect(result.error?.message).toMatch(/^cluster c: Config\/cluster: dry run rejected, nothing written/);
    expect(cluster.requests.filter((r) => !r.dryRun && r.verb !== 'get')).toEqual([]);
    expect(cluster.read(configRef)).toEqual(before);
  });

  it('on a conflict re-reads, re-plans and shows what the other writer changed; their unowned change survives', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    let raced = false;
    cluster.beforeWrite = (c) => {
      if (raced) return;
      raced = true;
      c.outsideWrite(configRef, { spec: { replicas: 5, logLevel: 'Debug' } });
    };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(result.outsideChanges).toEqual([
      { resource: 'Config/cluster', changes: [{ path: 'spec.logLevel', op: 'change', before: 'Normal', after: 'Debug' }, { path: 'spec.replicas', op: 'change', before: 2, after: 5 }] },
    ]);
    expect(spec(cluster.read(configRef))).toMatchObject({ replicas: 3, logLevel: 'Debug' });
    expect(t.progress.events.some((e) => e.phase === 'retrying' && /another writer changed Config\/cluster: spec.logLevel, spec.replicas/.test(e.message ?? ''))).toBe(true);
  });

  it('a conflict caused only by a status update is not a change: the write goes again with the fresh resourceVersion', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    let bumped = false;
    cluster.beforeWrite = (c) => {
      if (bumped) return;
      bumped = true;
      c.outsideWrite(configRef, { status: { readyReplicas: 1 } });
    };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(result.outsideChanges).toBeUndefined();
    expect(cluster.requests.filter((r) => r.verb === 'patch').map((r) => r.dryRun)).toEqual([true, true, false]);
    expect(t.progress.events.some((e) => e.phase === 'retrying')).toBe(false);
  });

  it('writes the body core built, once: the resourceVersion precondition travels in it (not in the options), refreshed only after a status-only conflict', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    const sent: Array<{ body: JsonObject; options: object | undefined }> = [];
    const inner = cluster.client();
    const client: ClusterClient = {
      cluster: inner.cluster,
      get: (ref) => inner.get(ref),
      create: (ref, body, options) => inner.create(ref, body, options),
      patch: (ref, body, options) => {
        if (options?.dryRun !== true) sent.push({ body: structuredClone(body), options: { ...options } });
        return inner.patch(ref, body, options);
      },
      get requestCount() { return inner.requestCount; },
    };
    const planned = String(((cluster.read(configRef)?.['metadata'] as JsonObject)['resourceVersion']));
    let fresh: string | undefined;
    cluster.beforeWrite = (c) => {
      if (fresh !== undefined || sent.length === 0) return;
      c.outsideWrite(configRef, { status: { readyReplicas: 1 } });
      fresh = String((c.read(configRef)?.['metadata'] as JsonObject)['resourceVersion']);
    };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate, client });
    expect(result.outcome).toBe('succeeded');
    const body = (resourceVersion: string): JsonObject => ({
      metadata: { annotations: { [OWNED_FIELDS_ANNOTATION]: '["spec.replicas"]', [APPLIED_COMMIT_ANNOTATION]: 'c1', [INVENTORY_ANNOTATION]: formatInventory([configRef]) }, resourceVersion },
      spec: { replicas: 3 },
    });
    expect(sent.map((s) => s.body)).toEqual([body(planned), body(fresh ?? 'not bumped')]);
    for (const { options } of sent) expect(Object.keys(options ?? {}).sort()).toEqual(['dryRun', 'secretValues']);
  });

  it('a conflict after some writes landed, when nothing is left to do, still waits for the health gate and succeeds', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    let writes = 0;
    cluster.beforeWrite = (c) => {
      writes += 1;
      // writes 1-2 are the dry runs, 3 the Config patch; before the pruner patch someone sets Git's value by hand
      if (writes === 4) c.outsideWrite(prunerRef, { spec: { keepTagRevisions: 5 } });
    };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }, { pruner: { keepTagRevisions: 5 } }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(result.outsideChanges).toEqual([{ resource: 'ImagePruner/cluster', changes: [{ path: 'spec.keepTagRevisions', op: 'change', before: 3, after: 5 }] }]);
    expect(result.conditions.some((c) => c.type === 'Available' && c.status === 'True')).toBe(true);
    expect(spec(cluster.read(configRef))['replicas']).toBe(3);
  });

  it.each([
    ['503', () => new RegopsError('cluster.server-error', 'cluster c: 503 Service Unavailable')],
    ['429', () => new RegopsError('cluster.throttled', 'cluster c: 429 Too Many Requests', { retryAfterMs: 2_000 })],
  ])('rides out a %s storm on reads and writes', async (_name, error) => {
    const t = setup();
    const cluster = t.connector.add('c');
    cluster.faults.push({ on: 'read', times: 3, error }, { on: 'write', times: 2, error });
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(spec(cluster.read(configRef))['replicas']).toBe(3);
    expect(t.progress.events.filter((e) => e.phase === 'retrying')).toHaveLength(5);
  });

  it('fails at the health gate with the operator reason when the registry turns Degraded', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    cluster.operator = { mode: 'degraded', reason: 'StorageNotConfigured', message: 'Error: storage backend not configured' };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result).toMatchObject({ outcome: 'failed', step: 'health-gate', error: { code: 'cluster.degraded' } });
    expect(result.error?.message).toBe('cluster c: health gate: Degraded=True StorageNotConfigured: Error: storage backend not configured');
    expect(result.conditions.some((c) => c.type === 'Degraded' && c.status === 'True')).toBe(true);
  });

  it('fails when Progressing stays True with reason Error past the timeout', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    cluster.operator = { mode: 'progressing-error', message: 'Unable to apply resources: unable to sync storage configuration' };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: { timeoutMs: 60_000, pollMs: 5_000 } });
    expect(result).toMatchObject({ outcome: 'failed', step: 'health-gate', error: { code: 'cluster.health-timeout' } });
    expect(result.error?.message).toContain('Unable to apply resources');
  });

  it('applies again and reports it when the operator reverts an owned field after the write (§4 write race)', async () => {
    const t = setup();
    const cluster = t.connector.add('c');
    cluster.operator = { mode: 'revert-once', patch: { replicas: 2 }, progressingMs: 1_000 };
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(result.outsideChanges).toEqual([{ resource: 'Config/cluster', changes: [{ path: 'spec.replicas', op: 'change', before: 3, after: 2 }] }]);
    expect(spec(cluster.read(configRef))['replicas']).toBe(3);
    expect(cluster.requests.filter((r) => r.verb === 'patch' && !r.dryRun)).toHaveLength(2);
  });

  it('reports an unreachable cluster at the connect step', async () => {
    const t = setup();
    t.connector.add('c').unreachable = true;
    const result = await reconcileCluster(t.ports, desiredRegistry('c', { replicas: 3 }), entryFor('c'), { commit: 'c1', healthGate: gate, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    expect(result).toMatchObject({ outcome: 'failed', step: 'connect', error: { code: 'cluster.unreachable' } });
  });

  it('bootstraps bare metal in order: bucket, credentials secret, storage and Managed, then healthy', async () => {
    const t = setup();
    const cluster = t.connector.add('metal-1', 'baremetal');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/metal-1/registry-s3', key: 'accessKeyId' }, 'AKIAEXAMPLEVALUE0001');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/metal-1/registry-s3', key: 'secretAccessKey' }, 'very-secret-value');
    const order: string[] = [];
    const configure = t.buckets.configure.bind(t.buckets);
    t.buckets.configure = async (...args) => { order.push('bucket'); return configure(...args); };
    const client = cluster.client.bind(cluster);
    cluster.client = () => {
      const inner = client();
      return { ...inner, create: async (ref, body, options) => { if (options?.dryRun !== true) order.push(ref.kind); return inner.create(ref, body, options); }, patch: async (ref, patch, options) => { if (options?.dryRun !== true) order.push(ref.kind); return inner.patch(ref, patch, options); } };
    };
    const result = await reconcileCluster(t.ports, desiredBareMetalBootstrap('metal-1'), entryFor('metal-1'), { commit: 'c1', healthGate: gate });
    expect(result.outcome).toBe('succeeded');
    expect(order).toEqual(['bucket', 'Secret', 'Config']);
    expect(t.buckets.calls.find((c) => c.op === 'configure')).toMatchObject({ bucket: 'metal-1-registry', create: true });
    expect(spec(cluster.read(configRef))).toMatchObject({ managementState: 'Managed', storage: { s3: { bucket: 'metal-1-registry' } } });
    const secret = cluster.read({ apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(JSON.stringify(secret)).not.toContain('very-secret-value');
    expect(JSON.stringify(result)).not.toContain('very-secret-value');
  });

  it('stops the bootstrap at the bucket step: nothing is written to the cluster', async () => {
    const t = setup();
    const cluster = t.connector.add('metal-1', 'baremetal');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/metal-1/registry-s3', key: 'accessKeyId' }, 'a');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/metal-1/registry-s3', key: 'secretAccessKey' }, 'b');
    t.buckets.failConfigure = new RegopsError('storage.forbidden', 'bucket metal-1-registry: AccessDenied');
    const result = await reconcileCluster(t.ports, desiredBareMetalBootstrap('metal-1'), entryFor('metal-1'), { commit: 'c1', healthGate: gate });
    expect(result).toMatchObject({ outcome: 'failed', step: 'provision-bucket', error: { code: 'storage.forbidden' } });
    expect(cluster.requests.filter((r) => !r.dryRun && r.verb !== 'get')).toEqual([]);
    expect(spec(cluster.read(configRef))['managementState']).toBe('Removed');
  });
});
