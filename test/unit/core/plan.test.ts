import { describe, expect, it } from 'vitest';
import { APPLIED_COMMIT_ANNOTATION, OWNED_FIELDS_ANNOTATION, type FieldChange, type JsonObject, type PlanEntry } from '../../../functions/core/model.ts';
import { applyMergePatch } from '../../../functions/core/merge-patch.ts';
import { planCluster } from '../../../functions/core/plan.ts';
import { checkRequiredFields } from '../../../functions/core/schema-validate.ts';
import { describeTarget } from '../../../functions/core/report/describe-target.ts';
import {
  caRef, configRef, desiredCluster, desiredObject, desiredSecret, digestOf, imageRef, liveCluster, loadLive, prunerRef, userSecretRef, withOwned,
} from './support/plan-inputs.ts';
import { formatRefKey } from '../../../functions/core/resource-ref.ts';
import { formatInventory, INVENTORY_ANNOTATION, readInventory } from '../../../functions/core/inventory.ts';

const commit = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const configInventory = formatInventory([configRef]);

function objectEntries(entries: readonly PlanEntry[]): Record<string, string> {
  return Object.fromEntries(entries.filter((e) => e.target.type !== 'health-gate').map((e) => [describeTarget(e.target), e.action]));
}

function strip(change: FieldChange): Pick<FieldChange, 'path' | 'op' | 'before' | 'after'> {
  const { origin: _origin, ...rest } = change;
  return rest;
}

describe('planCluster: fields the operator fills in are never drift', () => {
  const cases: Array<{ name: string; live: string; spec: JsonObject }> = [
    { name: 'AWS bootstrapped Config, Git sets only replicas', live: 'aws-config-bootstrapped', spec: { replicas: 2 } },
    { name: 'schema defaults written in Git (logLevel Normal) equal the stored ones', live: 'aws-config-bootstrapped', spec: { replicas: 2, logLevel: 'Normal', operatorLogLevel: 'Normal' } },
    { name: 'Git virtualHostedStyle false equals the stored zero value', live: 'aws-config-bootstrapped', spec: { storage: { s3: { virtualHostedStyle: false, region: 'eu-west-1' } } } },
    { name: 'Git managementState Managed and s3 region already set', live: 'aws-config-bootstrapped', spec: { managementState: 'Managed', storage: { s3: { region: 'eu-west-1' } } } },
    { name: 'Git requests with zero values equals the operator zero values', live: 'aws-config-bootstrapped', spec: { requests: { read: { maxWaitInQueue: '0s' } } } },
    { name: 'Git proxy {} equals the stored zero value', live: 'aws-config-bootstrapped', spec: { proxy: {}, replicas: 2 } },
    { name: 'bare-metal Removed Config, Git sets replicas 1', live: 'baremetal-config-removed', spec: { replicas: 1 } },
  ];
  it.each(cases)('$name', ({ live, spec }) => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec }, ['spec.replicas'])] }), liveCluster([loadLive(live)]), { commit });
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject({ action: 'unchanged', changes: [], step: 1 });
    expect(plan.entries[0]?.patch).toBeUndefined();
    expect(plan.summary).toEqual({ create: 0, update: 0, prune: 0, unchanged: 1, skipped: 0 });
    expect(plan.diagnostics).toEqual([]);
  });

  it('ImagePruner bootstrapped: Git suspend false and schedule "" are no drift; keepTagRevisions 5 is', () => {
    const pruner = desiredObject(prunerRef, { spec: { suspend: false, schedule: '', keepTagRevisions: 5 } });
    const plan = planCluster(desiredCluster({ objects: [pruner] }), liveCluster([loadLive('pruner-bootstrapped')]), { commit });
    expect(plan.entries[0]?.changes.map(strip)).toEqual([{ path: 'spec.keepTagRevisions', op: 'change', before: 3, after: 5 }]);
  });

  it('durations written two ways are equal (6h and 6h0m0s)', () => {
    const live = loadLive('aws-config-bootstrapped');
    (live['spec'] as JsonObject)['requests'] = { read: { maxRunning: 10, maxWaitInQueue: '6h0m0s' }, write: { maxWaitInQueue: '0s' } };
    const config = desiredObject(configRef, { spec: { requests: { read: { maxRunning: 10, maxWaitInQueue: '6h' } } } });
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([live]), { commit });
    expect(plan.entries[0]?.action).toBe('unchanged');
  });
});

describe('planCluster: changes', () => {
  it('a replicas change patches only spec.replicas, the bookkeeping annotations and the resourceVersion', () => {
    const config = desiredObject(configRef, { spec: { replicas: 3 } }, ['spec.replicas']);
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    const [entry, gate] = plan.entries;
    expect(entry?.action).toBe('update');
    expect(entry?.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 2, after: 3, origin: { file: 'clusters/prod-eu-1/registry.yaml', line: 5, col: 3 } }]);
    expect(entry?.patch).toEqual({
      spec: { replicas: 3 },
      metadata: {
        // the Config's write records the inventory (core/inventory.ts) the live Config lacks
        annotations: { [OWNED_FIELDS_ANNOTATION]: '["spec.replicas"]', [APPLIED_COMMIT_ANNOTATION]: commit, [INVENTORY_ANNOTATION]: configInventory },
        resourceVersion: '48211',
      },
    });
    expect(entry?.resourceVersion).toBe('48211');
    expect(entry?.ownedFields).toEqual(['spec.replicas']);
    expect(gate).toMatchObject({ target: { type: 'health-gate' }, step: 2 });
    expect(plan.summary).toEqual({ create: 0, update: 1, prune: 0, unchanged: 0, skipped: 0 });
  });

  const removalCases: Array<{ name: string; owned: string[]; liveSpec: JsonObject; spec: JsonObject; expected: FieldChange[]; patchSpec?: JsonObject }> = [
    {
      name: 'a field removed from Git that regops set is removed (null in the patch)',
      owned: ['spec.readOnly', 'spec.replicas'],
      liveSpec: { readOnly: true },
      spec: { replicas: 2 },
      expected: [{ path: 'spec.readOnly', op: 'remove', before: true }],
      patchSpec: { readOnly: null },
    },
    {
      name: 'a field removed from Git that is already at its zero value needs no write',
      owned: ['spec.readOnly', 'spec.replicas'],
      liveSpec: { readOnly: false },
      spec: { replicas: 2 },
      expected: [],
    },
    {
      name: 'a field regops never set is left alone even when Git does not set it',
      owned: ['spec.replicas'],
      liveSpec: { disableRedirect: true },
      spec: { replicas: 2 },
      expected: [],
    },
    {
      name: 'a route list replaced whole (lists are atomic)',
      owned: ['spec.routes', 'spec.replicas'],
      liveSpec: { routes: [{ name: 'a', hostname: 'a.example.com' }, { name: 'b' }] },
      spec: { replicas: 2, routes: [{ name: 'a', hostname: 'a.example.com' }] },
      expected: [{ path: 'spec.routes', op: 'change', before: [{ name: 'a', hostname: 'a.example.com' }, { name: 'b' }], after: [{ name: 'a', hostname: 'a.example.com' }] }],
      patchSpec: { routes: [{ name: 'a', hostname: 'a.example.com' }] },
    },
    {
      name: 'a field at the zero value the operator wrote is a change from it, not an add',
      owned: [],
      liveSpec: {},
      spec: { requests: { read: { maxRunning: 10 } } },
      expected: [{ path: 'spec.requests', op: 'change', before: { read: { maxWaitInQueue: '0s' }, write: { maxWaitInQueue: '0s' } }, after: { read: { maxRunning: 10 } } }],
      patchSpec: { requests: { read: { maxWaitInQueue: null, maxRunning: 10 }, write: null } },
    },
    {
      name: 'an atomic map (spec.resources) is replaced whole: live keys Git lacks become null',
      owned: ['spec.resources'],
      liveSpec: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1' } } },
      spec: { resources: { requests: { cpu: '200m' } } },
      expected: [{ path: 'spec.resources', op: 'change', before: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1' } }, after: { requests: { cpu: '200m' } } }],
      patchSpec: { resources: { limits: null, requests: { memory: null, cpu: '200m' } } },
    },
  ];
  it.each(removalCases)('$name', ({ owned, liveSpec, spec, expected, patchSpec }) => {
    const live = loadLive('aws-config-bootstrapped');
    Object.assign(live['spec'] as JsonObject, liveSpec);
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec })] }), liveCluster([withOwned(live, owned)]), { commit });
    const entry = plan.entries[0];
    expect(entry?.changes.map(strip)).toEqual(expected);
    expect(entry?.action).toBe(expected.length > 0 ? 'update' : 'unchanged');
    if (patchSpec !== undefined) expect(entry?.patch?.['spec']).toEqual(patchSpec);
  });

  it('a missing object is created with Git fields, identity and bookkeeping', () => {
    const ca = desiredObject(caRef, { data: { 'registry.example.com..5000': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } });
    const plan = planCluster(desiredCluster({ objects: [ca] }), liveCluster([]), { commit });
    expect(plan.entries[0]?.action).toBe('create');
    expect(plan.entries[0]?.patch).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'registry-cas',
        namespace: 'openshift-config',
        annotations: { [OWNED_FIELDS_ANNOTATION]: '["data[\\"registry.example.com..5000\\"]"]', [APPLIED_COMMIT_ANNOTATION]: commit },
      },
      data: { 'registry.example.com..5000': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    });
    expect(plan.entries[0]?.changes).toEqual([{ path: 'data["registry.example.com..5000"]', op: 'add', after: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }]);
  });

  it('an empty map in Git owns nothing: images.config `spec: {}` leaves a live additionalTrustedCA alone', () => {
    const live = loadLive('image-config');
    live['spec'] = { additionalTrustedCA: { name: 'set-by-hand' } };
    const plan = planCluster(desiredCluster({ objects: [desiredObject(imageRef, { spec: {} })] }), liveCluster([live]), { commit });
    expect(plan.entries[0]).toMatchObject({ action: 'unchanged', changes: [], ownedFields: [] });
  });

  it('an empty storage backend map is owned (its presence picks the backend)', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { storage: { emptyDir: {} } } })] }), liveCluster([loadLive('baremetal-config-removed')]), { commit });
    expect(plan.entries[0]?.changes.map(strip)).toEqual([{ path: 'spec.storage.emptyDir', op: 'add', after: {} }]);
    expect(plan.entries[0]?.patch?.['spec']).toEqual({ storage: { emptyDir: {} } });
  });

  it('required fields are checked on live merged with the patch: a Config to create without replicas is an error', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { managementState: 'Managed' } }, ['spec.managementState'])] }), liveCluster([]), { commit });
    expect(plan.diagnostics.map((d) => [d.code, d.path, d.file, d.line])).toEqual([['schema.required', 'spec.replicas', 'clusters/prod-eu-1/registry.yaml', 5]]);
    expect(plan.entries.map((e) => e.action)).toEqual(['skipped']);
  });

  it('a prune is checked the same way: a Config no longer rendered must not lose the replicas regops set', () => {
    const plan = planCluster(desiredCluster(), liveCluster([withOwned(loadLive('aws-config-bootstrapped'), ['spec.replicas'])]), { commit });
    expect(plan.diagnostics.map((d) => [d.code, d.path, d.file])).toEqual([['schema.required', 'spec.replicas', 'clusters/prod-eu-1']]);
    expect(plan.entries.map((e) => e.action)).toEqual(['skipped']);
  });

  it('the same partial Config is fine against a live Config that has replicas', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { managementState: 'Managed', readOnly: true } })] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.entries[0]?.action).toBe('update');
  });

  it('regops.io/allow in Git is a directive: never written to the cluster, never owned', () => {
    const config = desiredObject(configRef, { metadata: { annotations: { 'regops.io/allow': 'storage-change', team: 'platform' } }, spec: { replicas: 2 } });
    const plan = planCluster(desiredCluster({ objects: [config], allow: ['storage-change'] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries[0]?.ownedFields).toEqual(['metadata.annotations.team', 'spec.replicas']);
    expect(plan.entries[0]?.patch?.['metadata']).toMatchObject({ annotations: { team: 'platform' } });
    expect(JSON.stringify(plan.entries[0]?.patch)).not.toContain('regops.io/allow');
  });
});

describe('planCluster: secrets', () => {
  const keys = ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY'];
  const liveSecret = (data: JsonObject): JsonObject => ({
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: userSecretRef.name, namespace: userSecretRef.namespace ?? '', resourceVersion: '77' },
    data,
  });
  const digests = { [formatRefKey(userSecretRef)]: { REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a'), REGISTRY_STORAGE_S3_SECRETKEY: digestOf('b') } };

  const cases: Array<{ name: string; live: JsonObject | undefined; action: string; patchData?: JsonObject }> = [
    { name: 'same digests: unchanged', live: liveSecret({ REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a'), REGISTRY_STORAGE_S3_SECRETKEY: digestOf('b') }), action: 'unchanged' },
    { name: 'a rotated key: only that key in the patch, as a digest', live: liveSecret({ REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a'), REGISTRY_STORAGE_S3_SECRETKEY: digestOf('c') }), action: 'update', patchData: { REGISTRY_STORAGE_S3_SECRETKEY: digestOf('b') } },
    { name: 'keys regops does not own are left alone', live: liveSecret({ REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a'), REGISTRY_STORAGE_S3_SECRETKEY: digestOf('b'), OTHER: digestOf('d') }), action: 'unchanged' },
    { name: 'absent: created with type Opaque', live: undefined, action: 'create', patchData: { REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a'), REGISTRY_STORAGE_S3_SECRETKEY: digestOf('b') } },
  ];
  it.each(cases)('$name', ({ live, action, patchData }) => {
    const plan = planCluster(desiredCluster({ secrets: [desiredSecret(keys)] }), liveCluster(live === undefined ? [] : [live], { secretDigests: digests }), { commit });
    const entry = plan.entries[0];
    expect(entry?.action).toBe(action);
    if (patchData !== undefined) expect(entry?.patch?.['data']).toEqual(patchData);
    if (action === 'create') expect(entry?.patch?.['type']).toBe('Opaque');
    for (const change of entry?.changes ?? []) expect(change.origin).toEqual({ file: 'clusters/prod-eu-1/storage.yaml', line: 7, col: 3 });
  });

  it('an unresolved secret value is an error diagnostic and nothing is applied', () => {
    const plan = planCluster(desiredCluster({ secrets: [desiredSecret(keys)] }), liveCluster([]), { commit });
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['plan.secret-unresolved']);
    // the object named as every plan line and error names it (core/resource-ref.ts describeRef)
    expect(plan.diagnostics[0]?.message).toMatch(/^cluster [\w-]+: Secret\/openshift-image-registry\/image-registry-private-configuration-user: no value resolved for /);
    expect(plan.entries.map((e) => e.action)).toEqual(['skipped']);
  });
});

describe('planCluster: order of steps', () => {
  it('bucket, Secret and ConfigMap, images.config, Config, pruner, retired objects, then the health gate', () => {
    const desired = desiredCluster({
      objects: [
        desiredObject(prunerRef, { spec: { schedule: '0 3 * * *' } }),
        desiredObject(configRef, { spec: { replicas: 3 } }),
        desiredObject(imageRef, { spec: { additionalTrustedCA: { name: 'registry-cas' } } }),
        desiredObject(caRef, { data: { 'registry.example.com': 'PEM' } }),
      ],
      secrets: [desiredSecret(['REGISTRY_STORAGE_S3_ACCESSKEY'])],
      bucket: { name: 'acme-prod-eu-1-registry', region: 'eu-west-1', encryption: { type: 'SSE-S3' }, tags: { 'regops.io/cluster': 'prod-eu-1' }, origin: { file: 'clusters/prod-eu-1/storage.yaml', line: 4, col: 3 } },
    });
    const oldCa = withOwned({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old-cas', namespace: 'openshift-config', resourceVersion: '5' }, data: { 'old.example.com': 'PEM' } }, ['data["old.example.com"]']);
    const live = liveCluster([loadLive('aws-config-bootstrapped'), loadLive('pruner-bootstrapped'), loadLive('image-config')], {
      secretDigests: { [formatRefKey(userSecretRef)]: { REGISTRY_STORAGE_S3_ACCESSKEY: digestOf('a') } },
      retired: [{ ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'old-cas', namespace: 'openshift-config' }, object: oldCa }],
    });
    const plan = planCluster(desired, live, { commit });
    expect(plan.entries.map((e) => `${e.step} ${describeTarget(e.target)} ${e.action}`)).toEqual([
      '1 Bucket/acme-prod-eu-1-registry create',
      '2 Secret/openshift-image-registry/image-registry-private-configuration-user create',
      '3 ConfigMap/openshift-config/registry-cas create',
      '4 Image/cluster update',
      '5 Config/cluster update',
      '6 ImagePruner/cluster update',
      '7 ConfigMap/openshift-config/old-cas prune',
      '8 HealthGate/image-registry update',
    ]);
    const prune = plan.entries[6];
    expect(prune?.patch).toEqual({ data: { 'old.example.com': null }, metadata: { annotations: { [OWNED_FIELDS_ANNOTATION]: '[]', [APPLIED_COMMIT_ANNOTATION]: commit }, resourceVersion: '5' } });
    expect(plan.summary).toEqual({ create: 3, update: 3, prune: 1, unchanged: 0, skipped: 0 });
  });

  it('a live object read but no longer rendered, with owned fields, is pruned; one regops never owned is left alone', () => {
    const oldCa = withOwned({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config', resourceVersion: '5' }, data: { 'a.example.com': 'PEM', 'other': 'x' } }, ['data["a.example.com"]']);
    const foreign = { apiVersion: 'v1', kind: 'Secret', metadata: { name: userSecretRef.name, namespace: 'openshift-image-registry' }, data: { K: digestOf('1') } };
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } })] }), liveCluster([loadLive('aws-config-bootstrapped'), oldCa, foreign]), { commit });
    // the Config has no change of its own: its entry only records the inventory, the pruned ConfigMap kept in it
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual(['Config/cluster update', 'ConfigMap/openshift-config/registry-cas prune', 'HealthGate/image-registry update']);
    expect(plan.entries[0]?.changes).toEqual([]);
    expect(readInventory(plan.entries[0]?.patch)?.map(formatRefKey)).toEqual([formatRefKey(configRef), formatRefKey(caRef)]);
    expect(plan.entries[1]?.patch?.['data']).toEqual({ 'a.example.com': null });
  });

  it('no health gate when nothing changes', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } })] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries.map((e) => e.target.type)).toEqual(['object']);
  });
});

describe('planCluster: bucket', () => {
  const ours = { 'regops.io/cluster': 'prod-eu-1', 'regops.io/managed-by': 'regops' };
  const bucket = { name: 'acme-prod-eu-1-registry', region: 'eu-west-1', encryption: { type: 'SSE-S3' as const }, tags: { ...ours, team: 'platform' }, origin: { file: 'clusters/prod-eu-1/storage.yaml', line: 4, col: 3 } };
  const inSync: JsonObject = {
    region: 'eu-west-1',
    encryption: { algorithm: 'AES256', bucketKeyEnabled: true },
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    lifecycle: { abortIncompleteMultipartUploadDays: 1 },
    tags: { ...ours, team: 'platform', 'kubernetes.io/cluster/prod-eu-1-x7k2p': 'owned' },
    policy: { denyInsecureTransport: true },
  };
  const cases: Array<{ name: string; live: JsonObject; action: string; settings?: JsonObject; adopt?: boolean }> = [
    { name: 'in sync, with extra live tags the operator set: unchanged', live: inSync, action: 'unchanged' },
    { name: 'KMS encryption on live: only the encryption section is written', live: { ...inSync, encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/x', bucketKeyEnabled: true } }, action: 'update', settings: { encryption: { algorithm: 'AES256', bucketKeyEnabled: true } } },
    {
      name: 'a missing Git tag: the whole tag set is written, live tags kept',
      live: { ...inSync, tags: { ...ours, 'kubernetes.io/cluster/prod-eu-1-x7k2p': 'owned' } },
      action: 'update',
      settings: { tags: { 'kubernetes.io/cluster/prod-eu-1-x7k2p': 'owned', team: 'platform', ...ours } },
    },
    {
      name: 'adopt: true on a bucket without regops tags: configured, regops tags added',
      live: { ...inSync, tags: { team: 'platform' } },
      adopt: true,
      action: 'update',
      settings: { tags: { team: 'platform', ...ours } },
    },
  ];
  it.each(cases)('$name', ({ live, action, settings, adopt }) => {
    const plan = planCluster(desiredCluster({ bucket: { ...bucket, ...(adopt === true ? { adopt } : {}) } }), liveCluster([], { bucket: live }), { commit });
    expect(plan.entries[0]).toMatchObject({ target: { type: 'bucket', name: bucket.name, region: 'eu-west-1' }, action });
    if (settings !== undefined) expect(plan.entries[0]?.patch).toEqual(settings);
  });

  it('a bucket in another region is an error: S3 cannot move it', () => {
    const plan = planCluster(desiredCluster({ bucket }), liveCluster([], { bucket: { ...inSync, region: 'us-east-1' } }), { commit });
    expect(plan.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['plan.bucket-region', 'clusters/prod-eu-1/storage.yaml', 4]]);
    expect(plan.entries[0]?.action).toBe('skipped');
  });

  const foreign: Array<{ name: string; tags: Record<string, string> }> = [
    { name: 'no tags at all (made by hand)', tags: {} },
    { name: "another cluster's regops bucket", tags: { 'regops.io/cluster': 'prod-us-1', 'regops.io/managed-by': 'regops' } },
    { name: 'the cluster tag without managed-by', tags: { 'regops.io/cluster': 'prod-eu-1' } },
    { name: 'managed-by without the cluster tag', tags: { 'regops.io/managed-by': 'regops' } },
  ];
  it.each(foreign)('an existing bucket regops did not create ($name) is skipped as "exists, not ours", nothing written', ({ tags }) => {
    const live = { ...inSync, encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/x', bucketKeyEnabled: true }, tags };
    const plan = planCluster(desiredCluster({ bucket }), liveCluster([], { bucket: live }), { commit });
    expect(plan.entries[0]).toMatchObject({ target: { type: 'bucket', name: bucket.name }, action: 'skipped', changes: [] });
    expect(plan.entries[0]?.reason).toMatch(/^exists, not ours: .*adopt: true/);
    expect(plan.entries[0]?.patch).toBeUndefined();
    expect(plan.summary).toMatchObject({ skipped: 1, update: 0, create: 0 });
  });

  it('an absent bucket is still created (regops tags it as its own)', () => {
    const plan = planCluster(desiredCluster({ bucket }), liveCluster([]), { commit });
    expect(plan.entries[0]).toMatchObject({ action: 'create', patch: { tags: { ...ours, team: 'platform' } } });
  });

  it('withheld (untrusted pull request): the bucket is not inspected and secrets are not resolved, both shown skipped with the reason', () => {
    const plan = planCluster(desiredCluster({ bucket, secrets: [desiredSecret(['REGISTRY_STORAGE_S3_ACCESSKEY'])] }), liveCluster([], { withheld: 'pull request from fork mallory/fleet' }), { commit });
    expect(plan.entries.map((e) => [e.target.type, e.action, e.reason])).toEqual([
      ['bucket', 'skipped', 'not inspected: pull request from fork mallory/fleet'],
      ['object', 'skipped', 'secret references not resolved: pull request from fork mallory/fleet'],
    ]);
    expect(plan.diagnostics).toEqual([]);
  });

  it('a bucket no longer wanted is skipped: regops never deletes buckets', () => {
    const plan = planCluster(desiredCluster(), liveCluster([], { previousBucket: { name: 'old-bucket', region: 'eu-west-1' } }), { commit });
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject({ target: { type: 'bucket', name: 'old-bucket' }, action: 'skipped' });
    expect(plan.entries[0]?.reason).toContain('regops never deletes buckets');
    expect(objectEntries(plan.entries)).toEqual({ 'Bucket/old-bucket': 'skipped' });
  });
});

describe('planCluster: switching storage backend (allowed in Git)', () => {
  it('removes the operator-filled S3 backend whole when Git picks a PVC, so one backend remains', () => {
    const config = desiredObject(configRef, { spec: { storage: { pvc: { claim: 'registry' } } } }, ['spec.storage.pvc.claim']);
    const plan = planCluster(desiredCluster({ objects: [config], allow: ['storage-change'] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries[0]?.changes.map((c) => [c.path, c.op])).toEqual([['spec.storage.pvc.claim', 'add'], ['spec.storage.s3', 'remove']]);
    expect(plan.entries[0]?.patch?.['spec']).toEqual({ storage: { pvc: { claim: 'registry' }, s3: null } });
    expect(plan.entries[0]?.ownedFields).toEqual(['spec.storage.pvc.claim']);
  });

  it('a backend regops owned fields in goes whole too (PVC to emptyDir), not field by field', () => {
    const live = withOwned(loadLive('baremetal-config-removed'), ['spec.storage.pvc.claim']);
    (live['spec'] as JsonObject)['managementState'] = 'Managed';
    (live['spec'] as JsonObject)['storage'] = { managementState: 'Unmanaged', pvc: { claim: 'registry' } };
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { storage: { emptyDir: {} } } })], allow: ['storage-change'] }), liveCluster([live]), { commit });
    expect(plan.entries[0]?.patch?.['spec']).toEqual({ storage: { emptyDir: {}, pvc: null } });
  });

  it('a backend given only by zero values is still written when the cluster has none (its presence picks it)', () => {
    const config = desiredObject(configRef, { spec: { storage: { s3: { virtualHostedStyle: false } } } });
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([loadLive('baremetal-config-removed')]), { commit });
    expect(plan.entries[0]?.changes.map(strip)).toEqual([{ path: 'spec.storage.s3.virtualHostedStyle', op: 'add', after: false }]);
    expect(plan.entries[0]?.patch?.['spec']).toEqual({ storage: { s3: { virtualHostedStyle: false } } });
  });

  it('`s3: {}` in Git (the backend, operator fills it in) leaves the operator-filled bucket alone', () => {
    const config = desiredObject(configRef, { spec: { storage: { s3: {} } } });
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries[0]).toMatchObject({ action: 'unchanged', ownedFields: ['spec.storage.s3'] });
  });

  it('`s3: {bucket: null}` owns the backend but not the bucket name', () => {
    const config = desiredObject(configRef, { spec: { storage: { s3: { bucket: null } } } });
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([loadLive('baremetal-config-removed')]), { commit });
    expect(plan.entries[0]?.patch?.['spec']).toEqual({ storage: { s3: {} } });
  });

  it('keeping the same backend touches none of the operator-filled fields in it', () => {
    const config = desiredObject(configRef, { spec: { storage: { s3: { region: 'eu-west-1' } } } });
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries[0]?.action).toBe('unchanged');
  });
});

describe('planCluster: destructive changes need an allowance in Git', () => {
  const s3Spec = { storage: { s3: { bucket: 'prod-eu-1-x7k2p-image-registry-eu-west-1' } } };
  const cases: Array<{ name: string; live: string; spec: JsonObject; owned?: string[]; code?: string; allowance: 'storage-change' | 'remove' | 'http-secret-rotation' }> = [
    { name: 'S3 to PVC on a live registry', live: 'aws-config-bootstrapped', spec: { storage: { pvc: { claim: 'registry' } } }, code: 'plan.destructive-storage-change', allowance: 'storage-change' },
    { name: 'another bucket name', live: 'aws-config-bootstrapped', spec: { storage: { s3: { bucket: 'acme-new-bucket' } } }, code: 'plan.destructive-storage-change', allowance: 'storage-change' },
    { name: 'managementState Removed', live: 'aws-config-bootstrapped', spec: { managementState: 'Removed' }, code: 'plan.destructive-remove', allowance: 'remove' },
    { name: 'clearing httpSecret regops set', live: 'aws-config-bootstrapped', spec: { replicas: 2 }, owned: ['spec.httpSecret'], code: 'plan.destructive-http-secret', allowance: 'http-secret-rotation' },
    { name: 'bootstrapping a Removed bare-metal registry onto S3 is not destructive', live: 'baremetal-config-removed', spec: { managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-bm-1-registry', region: 'us-east-1' } } }, allowance: 'storage-change' },
    { name: 'naming the bucket the operator generated is not destructive', live: 'aws-config-bootstrapped', spec: s3Spec, allowance: 'storage-change' },
    { name: 'dropping the bucket name regops set (the operator would generate a new one)', live: 'aws-config-bootstrapped', spec: { replicas: 2 }, owned: ['spec.storage.s3.bucket'], code: 'plan.destructive-storage-change', allowance: 'storage-change' },
  ];
  it.each(cases)('$name', ({ live, spec, owned, code, allowance }) => {
    const liveObject = owned === undefined ? loadLive(live) : withOwned(loadLive(live), owned);
    const config = desiredObject(configRef, { spec }, ['spec.storage.pvc.claim', 'spec.storage.s3.bucket', 'spec.managementState']);
    const blocked = planCluster(desiredCluster({ objects: [config] }), liveCluster([liveObject]), { commit });
    if (code === undefined) {
      expect(blocked.diagnostics).toEqual([]);
      return;
    }
    expect(blocked.diagnostics.map((d) => [d.code, d.severity, d.cluster])).toEqual([[code, 'error', 'prod-eu-1']]);
    expect(blocked.diagnostics[0]?.hint).toContain(`regops.io/allow: ${allowance}`);
    expect(blocked.diagnostics[0]?.file).toBe('clusters/prod-eu-1/registry.yaml');
    expect(blocked.entries.map((e) => e.action)).toEqual(['skipped']);
    expect(blocked.entries[0]?.patch).toBeUndefined();
    expect(blocked.entries[0]?.reason).toContain(code);
    expect(blocked.entries[0]?.changes.length).toBeGreaterThan(0);

    const allowed = planCluster(desiredCluster({ objects: [config], allow: [allowance] }), liveCluster([liveObject]), { commit });
    expect(allowed.diagnostics).toEqual([]);
    expect(allowed.entries.map((e) => e.action)).toEqual(['update', 'update']);
  });
});

describe('planCluster: what Git no longer wants (CA files and storage.yaml deleted)', () => {
  const imageWithCa = (extra: JsonObject = {}) =>
    withOwned({ ...loadLive('image-config'), spec: { additionalTrustedCA: { name: 'registry-cas' }, ...extra } }, ['spec.additionalTrustedCA.name', ...Object.keys(extra).map((k) => `spec.${k}`)]);
  const caWithKey = withOwned({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config', resourceVersion: '7' }, data: { 'mirror.acme.internal..5000': 'PEM' } }, ['data["mirror.acme.internal..5000"]']);

  it('images.config no longer rendered: it stops naming the ConfigMap (the whole map goes) before the ConfigMap keys are pruned', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } })] }), liveCluster([loadLive('aws-config-bootstrapped'), imageWithCa(), caWithKey]), { commit });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual([
      'Config/cluster update',
      'Image/cluster prune',
      'ConfigMap/openshift-config/registry-cas prune',
      'HealthGate/image-registry update',
    ]);
    // `additionalTrustedCA: {name: null}` would leave `{}`, which the CRD rejects (name is required)
    expect(plan.entries[1]?.patch?.['spec']).toEqual({ additionalTrustedCA: null });
    expect(plan.entries[1]?.changes.map(strip)).toEqual([{ path: 'spec.additionalTrustedCA.name', op: 'remove', before: 'registry-cas' }]);
    expect(plan.entries[2]?.patch?.['data']).toEqual({ 'mirror.acme.internal..5000': null });
  });

  it('images.config still rendered with other fields (prod-eu-1): additionalTrustedCA goes whole and the merged object passes the schema', () => {
    const allowed = [{ domainName: 'quay.io', insecure: false }];
    const image = desiredObject(imageRef, { spec: { allowedRegistriesForImport: allowed } }, ['spec.allowedRegistriesForImport']);
    const live = imageWithCa({ allowedRegistriesForImport: allowed });
    const plan = planCluster(desiredCluster({ objects: [image] }), liveCluster([live, caWithKey]), { commit });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual(['Image/cluster update', 'ConfigMap/openshift-config/registry-cas prune', 'HealthGate/image-registry update']);
    const patch = plan.entries[0]?.patch;
    expect(patch?.['spec']).toEqual({ additionalTrustedCA: null });
    // the field-by-field patch is what the API server refused: the schema check sees it too
    expect(checkRequiredFields(applyMergePatch(live, { spec: { additionalTrustedCA: { name: null } } }) as JsonObject).map((i) => i.path)).toEqual(['spec.additionalTrustedCA.name']);
    const applied = applyMergePatch(live, patch ?? {}) as JsonObject;
    expect(checkRequiredFields(applied)).toEqual([]);
    expect(applied['spec']).toEqual({ allowedRegistriesForImport: allowed });
    const again = planCluster(desiredCluster({ objects: [image] }), liveCluster([applied]), { commit });
    expect(again.entries.map((e) => e.action)).toEqual(['unchanged']);
  });

  it('neither Config nor storage Secret rendered any more: the Config drops the storage before the Secret is pruned', () => {
    const config = withOwned(loadLive('aws-config-bootstrapped'), ['spec.storage.s3.bucket']);
    const secret = withOwned({ apiVersion: 'v1', kind: 'Secret', metadata: { name: userSecretRef.name, namespace: 'openshift-image-registry', resourceVersion: '3' }, data: { K: digestOf('1') } }, ['data.K']);
    const plan = planCluster(desiredCluster({ allow: ['storage-change'] }), liveCluster([secret, config]), { commit });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual([
      'Config/cluster prune',
      'Secret/openshift-image-registry/image-registry-private-configuration-user prune',
      'HealthGate/image-registry update',
    ]);
    const blocked = planCluster(desiredCluster(), liveCluster([secret, config]), { commit });
    expect(blocked.diagnostics.map((d) => [d.code, d.path])).toEqual([['plan.destructive-storage-change', 'spec.storage.s3.bucket']]);
  });
});

describe('planCluster: storage.yaml removed from a live registry (lab-bm-1 after its bootstrap)', () => {
  const owned = ['spec.managementState', 'spec.replicas', 'spec.storage.managementState', 'spec.storage.s3.bucket', 'spec.storage.s3.region'];
  const liveWith = (managementState: string): JsonObject => {
    const live = loadLive('baremetal-config-removed');
    Object.assign(live['spec'] as JsonObject, { managementState, replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-registry-lab-bm-1', region: 'us-east-1' } } });
    return withOwned(live, owned);
  };
  const config = desiredObject(configRef, { spec: { managementState: 'Managed', replicas: 2 } }, ['spec.managementState', 'spec.replicas']);

  it('is a destructive storage change: blocked without `regops.io/allow: storage-change`', () => {
    const plan = planCluster(desiredCluster({ objects: [config] }), liveCluster([liveWith('Managed')]), { commit });
    expect(plan.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([['plan.destructive-storage-change', 'error', 'spec.storage.s3']]);
    expect(plan.diagnostics[0]?.message).toContain('storage s3 (acme-registry-lab-bm-1) would be removed from a live registry');
    expect(plan.diagnostics[0]?.hint).toContain('regops.io/allow: storage-change');
    expect(plan.diagnostics[0]?.hint).toContain('restore it');
    expect(plan.entries.map((e) => e.action)).toEqual(['skipped']);
  });

  it('allowed: the storage regops set goes whole (no `s3: {}` or `storage: {}` left), and a second plan is unchanged', () => {
    const live = liveWith('Managed');
    const plan = planCluster(desiredCluster({ objects: [config], allow: ['storage-change'] }), liveCluster([live]), { commit });
    expect(plan.diagnostics).toEqual([]);
    const patch = plan.entries[0]?.patch;
    expect(patch?.['spec']).toEqual({ storage: null });
    const applied = applyMergePatch(live, patch ?? {}) as JsonObject;
    expect((applied['spec'] as JsonObject)['storage']).toBeUndefined();
    expect(planCluster(desiredCluster({ objects: [config] }), liveCluster([applied]), { commit }).entries.map((e) => e.action)).toEqual(['unchanged']);
  });

  it('a registry that is Removed serves no images: not destructive', () => {
    const removed = desiredObject(configRef, { spec: { managementState: 'Removed', replicas: 2 } }, ['spec.managementState']);
    const plan = planCluster(desiredCluster({ objects: [removed] }), liveCluster([liveWith('Removed')]), { commit });
    expect(plan.diagnostics).toEqual([]);
  });
});

describe('planCluster: the inventory of owned objects (regops.io/inventory on the Config)', () => {
  const withInventory = (object: JsonObject, refs: Parameters<typeof formatInventory>[0]): JsonObject => {
    const metadata = object['metadata'] as JsonObject;
    return { ...object, metadata: { ...metadata, annotations: { ...((metadata['annotations'] ?? {}) as JsonObject), [INVENTORY_ANNOTATION]: formatInventory(refs) } } };
  };

  it('a Config patch leaves the inventory out when the recorded one is already right', () => {
    const live = withInventory(loadLive('aws-config-bootstrapped'), [configRef]);
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 3 } })] }), liveCluster([live]), { commit });
    const annotations = (plan.entries[0]?.patch?.['metadata'] as JsonObject)['annotations'] as JsonObject;
    expect(Object.keys(annotations).sort()).toEqual([APPLIED_COMMIT_ANNOTATION, OWNED_FIELDS_ANNOTATION]);
  });

  it('in sync without an inventory: nothing is written for the inventory alone (bookkeeping never makes a change)', () => {
    const plan = planCluster(desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } })] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit });
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual(['Config/cluster unchanged']);
  });

  it('Git adds a pruner and leaves the Config as it is: the Config entry records the grown inventory before the pruner is created', () => {
    const live = withInventory(withOwned(loadLive('aws-config-bootstrapped'), ['spec.replicas']), [configRef]);
    const desired = desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } }), desiredObject(prunerRef, { spec: { keepTagRevisions: 5 } })] });
    const plan = planCluster(desired, liveCluster([live]), { commit });
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual(['Config/cluster update', 'ImagePruner/cluster create', 'HealthGate/image-registry update']);
    expect(plan.entries[0]).toMatchObject({ changes: [], resourceVersion: '48211', reason: expect.stringContaining(INVENTORY_ANNOTATION) });
    expect(plan.entries[0]?.patch).toEqual({
      metadata: {
        annotations: { [OWNED_FIELDS_ANNOTATION]: '["spec.replicas"]', [APPLIED_COMMIT_ANNOTATION]: commit, [INVENTORY_ANNOTATION]: formatInventory([configRef, prunerRef]) },
        resourceVersion: '48211',
      },
    });
  });

  it('a Config Git does not render gets an entry of its own in the Config\'s place (after images.config, before the pruner)', () => {
    const desired = desiredCluster({ objects: [desiredObject(imageRef, { spec: { allowedRegistriesForImport: [{ domainName: 'quay.io', insecure: false }] } }), desiredObject(prunerRef, { spec: { keepTagRevisions: 5 } })] });
    const plan = planCluster(desired, { ...liveCluster([loadLive('image-config'), loadLive('pruner-bootstrapped')]), registryConfig: loadLive('aws-config-bootstrapped') }, { commit });
    expect(plan.entries.map((e) => `${describeTarget(e.target)} ${e.action}`)).toEqual(['Image/cluster update', 'Config/cluster update', 'ImagePruner/cluster update', 'HealthGate/image-registry update']);
    expect(plan.entries[1]?.ownedFields).toEqual([]);
    expect(readInventory(plan.entries[1]?.patch)?.map(formatRefKey)).toEqual([formatRefKey(imageRef), formatRefKey(prunerRef)]);
  });

  it('a plan with errors records nothing', () => {
    const desired = desiredCluster({ objects: [desiredObject(configRef, { spec: {} }), desiredObject(prunerRef, { spec: { keepTagRevisions: 5 } })] });
    const plan = planCluster(desired, liveCluster([]), { commit });
    expect(plan.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(plan.entries.filter((e) => e.patch !== undefined)).toEqual([]);
  });
});
