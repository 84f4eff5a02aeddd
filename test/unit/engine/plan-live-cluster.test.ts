/**
 * planLiveCluster with in-memory ports: objects Git no longer renders are read and their owned fields
 * pruned (never deleted), the ConfigMap/Secret only Git files bring in are read only on evidence, and a
 * bucket regops provisioned that Git no longer wants gets a `skipped` line and nothing more.
 */
import { describe, expect, it } from 'vitest';
import { OWNED_FIELDS_ANNOTATION, type DesiredCluster, type JsonObject, type PlanEntry } from '../../../functions/core/model.ts';
import { RENDERED_REFS } from '../../../functions/core/render.ts';
import { INVENTORY_ANNOTATION, readInventory } from '../../../functions/core/inventory.ts';
import { planLiveCluster } from '../../../functions/engine/plan-live-cluster.ts';
import { reconcileCluster } from '../../../functions/engine/reconcile-cluster.ts';
import { desiredBareMetalBootstrap, desiredRegistry, entryFor } from '../../support/desired-fixtures.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemorySecretSource, configRef, imageConfigRef } from '../../support/in-memory-ports.ts';

const caRef = RENDERED_REFS.configMap;
const secretRef = RENDERED_REFS.secret;
const retry = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
const gate = { timeoutMs: 120_000, pollMs: 1_000 };
const origin = { file: 'config/base/trusted-cas/mirror.example..5000.pem', line: 1, col: 1 };

function setup() {
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  const secrets = new InMemorySecretSource();
  const buckets = new InMemoryBucketStore();
  return { clock, connector, secrets, buckets, ports: { connector, secrets, buckets, clock } };
}

/** What render.ts makes of one trusted-CA file: the ConfigMap and images.config pointing at it. */
function desiredWithCas(cluster: string): DesiredCluster {
  const desired = desiredRegistry(cluster, { replicas: 2 });
  desired.objects.unshift(
    { ref: caRef, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: caRef.name, namespace: caRef.namespace }, data: { 'mirror.example..5000': 'PEM' } }, positions: { 'data["mirror.example..5000"]': origin } },
    { ref: imageConfigRef, body: { apiVersion: imageConfigRef.apiVersion, kind: 'Image', metadata: { name: 'cluster' }, spec: { additionalTrustedCA: { name: caRef.name } } }, positions: {} },
  );
  return desired;
}

const writes = (entries: readonly PlanEntry[]) => entries.filter((e) => e.target.type !== 'health-gate' && (e.action === 'create' || e.action === 'update' || e.action === 'prune'));
const targetOf = (e: PlanEntry) => (e.target.type === 'object' ? `${e.target.ref.kind}/${e.target.ref.name}` : e.target.type === 'bucket' ? `bucket/${e.target.name}` : e.target.type);
const owned = (object: JsonObject | undefined) => ((object?.['metadata'] as JsonObject | undefined)?.['annotations'] as JsonObject | undefined)?.[OWNED_FIELDS_ANNOTATION];

describe('planLiveCluster: objects Git no longer renders', () => {
  it('prunes the owned fields of a CA ConfigMap and images.config once every CA file is gone; apply, then plan shows no changes', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    const entry = entryFor('c1');
    expect((await reconcileCluster(t.ports, desiredWithCas('c1'), entry, { commit: 'c1', healthGate: gate })).outcome).toBe('succeeded');
    // a key a team keeps by hand in the same ConfigMap is not regops'
    cluster.outsideWrite(caRef, { data: { 'by-hand.example': 'PEM2' } });

    const withoutCas = desiredRegistry('c1', { replicas: 2 });
    const planned = await planLiveCluster(t.ports, cluster.client(), withoutCas, { commit: 'c2', retry });
    // the order of retired objects is core's (plan.ts); here only what is pruned
    expect(writes(planned.plan.entries).map((e) => [targetOf(e), e.action, e.changes.map((c) => `${c.op} ${c.path}`)]).sort()).toEqual([
      ['ConfigMap/regops-trusted-cas', 'prune', ['remove data["mirror.example..5000"]']],
      ['Image/cluster', 'prune', ['remove spec.additionalTrustedCA.name']],
    ]);

    const applied = await reconcileCluster(t.ports, withoutCas, entry, { commit: 'c2', healthGate: gate });
    expect(applied.outcome).toBe('succeeded');
    expect(cluster.read(caRef)?.['data']).toEqual({ 'by-hand.example': 'PEM2' });
    // the emptied map goes whole: `additionalTrustedCA: {}` would fail the CRD's required name
    expect((cluster.read(imageConfigRef)?.['spec'] as JsonObject)['additionalTrustedCA']).toBeUndefined();
    expect(owned(cluster.read(caRef))).toBe('[]');

    const again = await planLiveCluster(t.ports, cluster.client(), withoutCas, { commit: 'c2', retry });
    expect(writes(again.plan.entries)).toEqual([]);
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, prune: 0 });
  });

  it.each([
    // [name, seed, objects GET for a Git that renders only the Config]
    ['nothing of regops on the cluster', () => undefined, ['Config', 'Image', 'ImagePruner']],
    ['images.config points at the CA ConfigMap', (c: ReturnType<InMemoryConnector['add']>) => c.outsideWrite(imageConfigRef, { spec: { additionalTrustedCA: { name: caRef.name } } }), ['Config', 'Image', 'ImagePruner', 'ConfigMap']],
    ['the Config records owning spec.storage.s3', (c: ReturnType<InMemoryConnector['add']>) => c.outsideWrite(configRef, { metadata: { annotations: { [OWNED_FIELDS_ANNOTATION]: '["spec.storage.s3.bucket"]' } } }), ['Config', 'Image', 'ImagePruner', 'Secret']],
  ])('reads the CA ConfigMap and the storage Secret only on evidence: %s', async (_name, seed, expected) => {
    const t = setup();
    const cluster = t.connector.add('c1', 'baremetal');
    seed(cluster);
    const before = cluster.requests.length;
    await planLiveCluster(t.ports, cluster.client(), desiredRegistry('c1', { replicas: 2 }), { commit: 'c1', retry });
    expect(cluster.requests.slice(before).map((r) => `${r.verb} ${r.ref.split('/')[0] ?? ''}`)).toEqual(expected.map((kind) => `get ${kind}`));
  });

  it('without an inventory: reads the Config first (it would hold one), every rendered object once, then the standard ones it does not render', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    await planLiveCluster(t.ports, cluster.client(), desiredWithCas('c1'), { commit: 'c1', retry });
    expect(cluster.requests.map((r) => r.ref)).toEqual(['Config/cluster', 'ConfigMap/regops-trusted-cas', 'Image/cluster', 'ImagePruner/cluster']);
  });

  it('leaves an object alone that regops never owned fields on (no annotation): no plan line', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    cluster.outsideWrite(imageConfigRef, { spec: { additionalTrustedCA: { name: caRef.name } } });
    cluster.seed(caRef, { data: { 'by-hand.example': 'PEM' } });
    const planned = await planLiveCluster(t.ports, cluster.client(), desiredRegistry('c1', { replicas: 2 }), { commit: 'c1', retry });
    expect(planned.plan.entries.map(targetOf)).toEqual(['Config/cluster']);
  });
});

describe('planLiveCluster: the inventory on the Config (core/inventory.ts)', () => {
  const gets = (cluster: ReturnType<InMemoryConnector['add']>, from: number) => cluster.requests.slice(from).map((r) => `${r.verb} ${r.ref}`);

  it('after regops wrote the cluster, an in-sync plan of a Git that renders only the Config reads exactly the Config', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    const desired = desiredRegistry('c1', { replicas: 3 });
    expect((await reconcileCluster(t.ports, desired, entryFor('c1'), { commit: 'c1', healthGate: gate })).outcome).toBe('succeeded');
    expect(readInventory(cluster.read(configRef))).toEqual([configRef]);
    const before = cluster.requests.length;
    const planned = await planLiveCluster(t.ports, cluster.client(), desired, { commit: 'c1', retry });
    expect(gets(cluster, before)).toEqual(['get Config/cluster']);
    expect(writes(planned.plan.entries)).toEqual([]);
  });

  it('an object in the inventory that Git no longer renders is read (an orphan) and its owned fields pruned; objects in neither are not read', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    const withPruner = desiredRegistry('c1', { replicas: 3 }, { pruner: { keepTagRevisions: 5 } });
    expect((await reconcileCluster(t.ports, withPruner, entryFor('c1'), { commit: 'c1', healthGate: gate })).outcome).toBe('succeeded');
    expect(readInventory(cluster.read(configRef))?.map((r) => r.kind)).toEqual(['Config', 'ImagePruner']);
    const before = cluster.requests.length;
    const planned = await planLiveCluster(t.ports, cluster.client(), desiredRegistry('c1', { replicas: 3 }), { commit: 'c2', retry });
    expect(gets(cluster, before)).toEqual(['get Config/cluster', 'get ImagePruner/cluster']);
    // the inventory keeps the pruner while its prune is pending (core/plan.ts): no Config write for it
    expect(writes(planned.plan.entries).map((e) => [targetOf(e), e.action, e.changes.map((c) => `${c.op} ${c.path}`)])).toEqual([
      ['ImagePruner/cluster', 'prune', ['remove spec.keepTagRevisions']],
    ]);
  });

  it('a damaged inventory is read as none: the reads fall back to every standard object', async () => {
    const t = setup();
    const cluster = t.connector.add('c1');
    cluster.outsideWrite(configRef, { metadata: { annotations: { [INVENTORY_ANNOTATION]: '[{"kind":' } } });
    const before = cluster.requests.length;
    await planLiveCluster(t.ports, cluster.client(), desiredRegistry('c1', { replicas: 2 }), { commit: 'c1', retry });
    expect(gets(cluster, before)).toEqual(['get Config/cluster', 'get Image/cluster', 'get ImagePruner/cluster']);
  });
});

describe('planLiveCluster: a bucket Git no longer wants', () => {
  function bootstrapped() {
    const t = setup();
    const cluster = t.connector.add('lab', 'baremetal');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/lab/registry-s3', key: 'accessKeyId' }, 'AKIAEXAMPLE');
    t.secrets.set({ source: 'secretsmanager', id: 'regops/lab/registry-s3', key: 'secretAccessKey' }, 'secret-value');
    return { ...t, cluster };
  }

  it('gets one skipped line "regops never deletes buckets" and nothing is written to the bucket', async () => {
    const t = bootstrapped();
    const applied = await reconcileCluster(t.ports, desiredBareMetalBootstrap('lab'), entryFor('lab'), { commit: 'c1', healthGate: gate });
    expect(applied.outcome).toBe('succeeded');
    expect(t.buckets.buckets.has('lab-registry')).toBe(true);

    const withoutStorage = desiredRegistry('lab', { managementState: 'Managed', replicas: 2 });
    const calls = t.buckets.calls.length;
    const planned = await planLiveCluster(t.ports, t.cluster.client(), withoutStorage, { commit: 'c2', retry });
    const bucketLines = planned.plan.entries.filter((e) => e.target.type === 'bucket');
    expect(bucketLines).toEqual([expect.objectContaining({ target: { type: 'bucket', name: 'lab-registry', region: 'us-east-1' }, action: 'skipped', changes: [] })]);
    expect(bucketLines[0]?.reason).toContain('regops never deletes buckets');
    expect(t.buckets.calls.slice(calls)).toEqual([{ op: 'inspect', bucket: 'lab-registry' }]);
    // dropping the storage of a live registry is destructive: without the allowance nothing is applied
    expect(planned.plan.diagnostics.map((d) => d.code)).toContain('plan.destructive-storage-change');
    const secretLine = (plan: typeof planned.plan) => plan.entries.find((e) => e.target.type === 'object' && e.target.ref.name === secretRef.name);
    expect(secretLine(planned.plan)?.action).toBe('skipped');

    // with `regops.io/allow: storage-change` the keys regops wrote are pruned (digests only)
    const allowed = { ...withoutStorage, allow: ['storage-change' as const] };
    const plannedAllowed = await planLiveCluster(t.ports, t.cluster.client(), allowed, { commit: 'c2', retry });
    expect(secretLine(plannedAllowed.plan)?.action).toBe('prune');
    expect(secretLine(plannedAllowed.plan)?.changes.map((c) => c.path)).toEqual(['data.REGISTRY_STORAGE_S3_ACCESSKEY', 'data.REGISTRY_STORAGE_S3_SECRETKEY']);
    expect(plannedAllowed.plan.entries.filter((e) => e.target.type === 'bucket').map((e) => e.action)).toEqual(['skipped']);
    expect(JSON.stringify(plannedAllowed.plan)).not.toContain('secret-value');

    await reconcileCluster(t.ports, allowed, entryFor('lab'), { commit: 'c2', healthGate: gate });
    expect(t.buckets.calls.filter((c) => c.op === 'configure')).toHaveLength(1); // the first apply's create only
    expect(t.buckets.buckets.has('lab-registry')).toBe(true);
  });

  it.each([
    ['the bucket is tagged for another cluster', (b: InMemoryBucketStore) => b.buckets.set('lab-registry', { region: 'us-east-1', tags: { 'regops.io/cluster': 'other' } })],
    ['the bucket has no regops tags', (b: InMemoryBucketStore) => b.buckets.set('lab-registry', { region: 'us-east-1' })],
    ['the bucket no longer exists', (b: InMemoryBucketStore) => b.buckets.delete('lab-registry')],
  ])('no bucket line when %s', async (_name, change) => {
    const t = bootstrapped();
    await reconcileCluster(t.ports, desiredBareMetalBootstrap('lab'), entryFor('lab'), { commit: 'c1', healthGate: gate });
    change(t.buckets);
    const planned = await planLiveCluster(t.ports, t.cluster.client(), desiredRegistry('lab', { managementState: 'Managed', replicas: 2 }), { commit: 'c2', retry });
    expect(planned.plan.entries.filter((e) => e.target.type === 'bucket')).toEqual([]);
  });

  it('no extra S3 read when the Config records no bucket regops owned', async () => {
    const t = setup();
    const cluster = t.connector.add('aws-1');
    await planLiveCluster(t.ports, cluster.client(), desiredRegistry('aws-1', { replicas: 2 }), { commit: 'c1', retry });
    expect(t.buckets.calls).toEqual([]);
  });
});
