import { afterEach, describe, expect, it } from 'vitest';
import { createAwsEmulator } from '../../../functions/sandbox/aws/index.ts';
import { seedInstalledCluster } from '../../../functions/sandbox/cluster-bootstrap.ts';
import type { JsonMap } from '../../../functions/sandbox/json-value.ts';
import { applyMergePatch } from '../../../functions/sandbox/merge-patch.ts';
import { SandboxCluster } from '../../../functions/sandbox/sandbox-cluster.ts';
import { generateBucketName } from '../../../functions/sandbox/registry-defaults.ts';
import { registryResources } from '../../../functions/sandbox/registry-resources.ts';
import { SimulatedOperator } from '../../../functions/sandbox/simulated-operator.ts';

// Acceptance cases from reference/operator-test-cases.md and docs/registry-operator-facts.md §6, driven with a
// hand-moved clock: each step writes through the store and runs one operator sync.

interface Harness {
  cluster: SandboxCluster;
  operator: SimulatedOperator;
  aws: ReturnType<typeof createAwsEmulator>;
  clock: { now: number };
  keys: { accessKeyId: string; secretAccessKey: string };
}

const running: SimulatedOperator[] = [];
afterEach(() => {
  for (const operator of running.splice(0)) operator.stop();
});

function startHarness(platform: string, timing = { progressingMs: 1000, degradedAfterMs: 5000 }): Harness {
  const clock = { now: Date.parse('2026-11-25T10:00:00Z') };
  const keys = { accessKeyId: 'AKIAMAINKEY000000000', secretAccessKey: 'main-secret' };
  const aws = createAwsEmulator({ ...keys, region: 'us-east-1' });
  const cluster = new SandboxCluster({ name: 'c1', platform, region: 'eu-west-1' }, () => clock.now);
  seedInstalledCluster(cluster, platform === 'aws' ? keys : undefined);
  const operator = new SimulatedOperator(cluster, aws, timing, () => clock.now);
  running.push(operator);
  operator.start(true);
  return { cluster, operator, aws, clock, keys };
}

function read(h: Harness, info = registryResources.config, name = 'cluster', namespace?: string): JsonMap {
  const stored = h.cluster.store.get(info, namespace, name);
  if (stored === undefined) throw new Error(`missing ${info.plural}/${name}`);
  return JSON.parse(stored.json) as JsonMap;
}

function patchConfig(h: Harness, patch: JsonMap, info = registryResources.config, name = 'cluster'): void {
  const live = h.cluster.store.get(info, undefined, name);
  if (live === undefined) throw new Error('missing');
  h.cluster.store.write({ info, namespace: undefined, name, object: applyMergePatch(live.object, patch) as JsonMap, create: false, manager: 'test', operation: 'Update' });
  h.operator.syncNow(false);
}

function writeSecret(h: Harness, name: string, data: Record<string, string>): void {
  const info = registryResources.secret;
  const existing = h.cluster.store.get(info, 'openshift-image-registry', name);
  const object = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'openshift-image-registry' }, stringData: data };
  h.cluster.store.write({ info, namespace: 'openshift-image-registry', name, object, create: existing === undefined, manager: 'test', operation: 'Update' });
  h.operator.syncNow(false);
}

function advance(h: Harness, ms: number): void {
  h.clock.now += ms;
  h.operator.syncNow(false);
}

type Conds = Record<string, { status: string; reason?: string; message?: string }>;
function conditions(object: JsonMap): Conds {
  const out: Conds = {};
  const status = object['status'] as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
  for (const condition of status.conditions ?? []) out[condition.type] = condition;
  return out;
}

function summary(object: JsonMap, types = ['Available', 'Progressing', 'Degraded']): string[] {
  const all = conditions(object);
  return types.map((type) => `${type}=${all[type]?.status ?? '?'}/${all[type]?.reason ?? ''}`);
}

describe('bootstrap', () => {
  it('AWS: Managed S3 with a deterministic bucket, 2 replicas, httpSecret, healthy (TestBootstrapAWS, TestAWSDefaults)', () => {
    const h = startHarness('aws');
    const config = read(h);
    const spec = config['spec'] as JsonMap;
    expect(spec['managementState']).toBe('Managed');
    expect(spec['replicas']).toBe(2);
    expect(spec['rolloutStrategy']).toBe('RollingUpdate');
    expect(spec['logLevel']).toBe('Normal');
    expect(spec['operatorLogLevel']).toBe('Normal');
    expect(spec['httpSecret']).toMatch(/^[0-9a-f]{128}$/);
    expect(spec['proxy']).toEqual({});
    expect(spec['requests']).toEqual({ read: { maxWaitInQueue: '0s' }, write: { maxWaitInQueue: '0s' } });
    const bucket = generateBucketName(h.cluster.infrastructureName, 'eu-west-1');
    expect(spec['storage']).toEqual({ managementState: 'Managed', s3: { bucket, region: 'eu-west-1', encrypt: true, virtualHostedStyle: false, trustedCA: { name: '' } } });
    expect(h.aws.bucketExists(bucket)).toBe(true);
    expect((config['metadata'] as JsonMap)['finalizers']).toEqual(['imageregistry.operator.openshift.io/finalizer']);
    const status = config['status'] as JsonMap;
    expect(status['readyReplicas']).toBe(2);
    expect(status['storageManaged']).toBe(true);
    expect(status['observedGeneration']).toBe((config['metadata'] as JsonMap)['generation']);
    expect(summary(config)).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/']);
    expect(conditions(config)['StorageExists']).toMatchObject({ status: 'True', reason: 'S3 Bucket Exists' });
    expect(summary(read(h, registryResources.clusterOperator, 'image-registry'))).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/AsExpected']);
    expect((read(h, registryResources.image)['status'] as JsonMap)['internalRegistryHostname']).toBe('image-registry.openshift-image-registry.svc:5000');
  });

  it.each(['baremetal', 'vsphere'])('%s: Removed, 1 replica, Removed reasons, ClusterOperator normal (TestBaremetalAndVSphereDefaults)', (platform) => {
    const h = startHarness(platform);
    const config = read(h);
    expect((config['spec'] as JsonMap)['managementState']).toBe('Removed');
    expect((config['spec'] as JsonMap)['replicas']).toBe(1);
    expect(summary(config, ['Available', 'Progressing', 'Degraded', 'Removed'])).toEqual(['Available=True/Removed', 'Progressing=False/Removed', 'Degraded=False/Removed', 'Removed=True/Removed']);
    const co = read(h, registryResources.clusterOperator, 'image-registry');
    expect(summary(co)).toEqual(['Available=True/Removed', 'Progressing=False/Removed', 'Degraded=False/Removed']);
  });

  it('the default ImagePruner (registry-operator.md §4)', () => {
    const h = startHarness('aws');
    expect(read(h, registryResources.pruner)['spec']).toEqual({ suspend: false, keepTagRevisions: 3, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true, schedule: '', logLevel: 'Normal' });
  });
});

describe('after a spec change', () => {
  it('Progressing DeploymentNotCompleted for progressingMs, then Ready with observedGeneration caught up', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { logLevel: 'Debug' } });
    let config = read(h);
    expect(summary(config)).toEqual(['Available=True/Ready', 'Progressing=True/DeploymentNotCompleted', 'Degraded=False/']);
    expect((config['status'] as JsonMap)['observedGeneration']).toBe((config['metadata'] as JsonMap)['generation']);
    expect(summary(read(h, registryResources.clusterOperator, 'image-registry'))[1]).toBe('Progressing=True/DeploymentNotCompleted');
    advance(h, 1000);
    config = read(h);
    expect(summary(config)).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/']);
  });

  it('a scale-only change keeps Progressing False while readyReplicas catches up (TestScaleUp)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { replicas: 4 } });
    let config = read(h);
    expect(summary(config)[1]).toBe('Progressing=False/Ready');
    expect((config['status'] as JsonMap)['readyReplicas']).toBe(2);
    advance(h, 1000);
    config = read(h);
    expect((config['status'] as JsonMap)['readyReplicas']).toBe(4);
  });

  it('replicas -1 is a permanent VerificationFailed: Degraded True (TestDegraded)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { replicas: -1 } });
    const config = read(h);
    const all = conditions(config);
    expect(all['Degraded']).toMatchObject({ status: 'True', reason: 'VerificationFailed', message: 'Error: unable to complete resource: replicas must be greater than or equal to 0' });
    expect(all['Progressing']).toMatchObject({ status: 'False', reason: 'Error', message: 'Unable to apply resources: unable to complete resource: replicas must be greater than or equal to 0' });
    expect(summary(read(h, registryResources.clusterOperator, 'image-registry'))[2]).toBe('Degraded=True/VerificationFailed');
  });

  it('Unmanaged: all three conditions Unmanaged (TestManagementStateUnmanaged)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { managementState: 'Unmanaged' } });
    expect(summary(read(h))).toEqual(['Available=True/Unmanaged', 'Progressing=False/Unmanaged', 'Degraded=False/Unmanaged']);
    expect(conditions(read(h))['Available']?.message).toBe('The registry configuration is set to unmanaged mode');
  });

  it('Managed → Removed: DeletingDeployment, then Removed; internal hostname gone (TestManagementStateRemoved; omitempty, as the testbed shows)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { managementState: 'Removed' } });
    expect(summary(read(h))[1]).toBe('Progressing=True/DeletingDeployment');
    advance(h, 1000);
    expect(summary(read(h), ['Available', 'Progressing', 'Degraded', 'Removed'])).toEqual(['Available=True/Removed', 'Progressing=False/Removed', 'Degraded=False/Removed', 'Removed=True/Removed']);
    expect(read(h, registryResources.image)['status']).not.toHaveProperty('internalRegistryHostname');
  });

  it('an emptied httpSecret is regenerated with a new value (TestHTTPSecretDefaulter)', () => {
    const h = startHarness('aws');
    const before = (read(h)['spec'] as JsonMap)['httpSecret'];
    patchConfig(h, { spec: { httpSecret: '' } });
    const after = (read(h)['spec'] as JsonMap)['httpSecret'];
    expect(after).toMatch(/^[0-9a-f]{128}$/);
    expect(after).not.toBe(before);
  });

  it('the operator writes its zero values and drops empty omitempty fields when it writes spec (§4)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { proxy: null, nodeSelector: {}, httpSecret: '' } });
    const spec = read(h)['spec'] as JsonMap;
    expect(spec['proxy']).toEqual({});
    expect(spec['nodeSelector']).toBeUndefined();
  });
});

describe('storage checks', () => {
  it('wrong keys in the user secret on a running registry: Progressing Error, not Degraded; StorageExists InvalidAccessKeyId (TestAWSUpdateCredentials, §6.1)', () => {
    const h = startHarness('aws');
    writeSecret(h, 'image-registry-private-configuration-user', { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIAWRONG', REGISTRY_STORAGE_S3_SECRETKEY: 'nope' });
    const config = read(h);
    expect(conditions(config)['StorageExists']).toMatchObject({ status: 'False', reason: 'InvalidAccessKeyId' });
    expect(summary(config)).toEqual(['Available=True/Ready', 'Progressing=True/Error', 'Degraded=False/']);
    expect(conditions(config)['Progressing']?.message).toMatch(/^Unable to apply resources: unable to sync storage configuration: InvalidAccessKeyId/);
    advance(h, 10_000);
    expect(summary(read(h))[2]).toBe('Degraded=False/');
    // the secret fixed: back to normal once the rollout (the secret rolls the registry) completes
    writeSecret(h, 'image-registry-private-configuration-user', { REGISTRY_STORAGE_S3_ACCESSKEY: h.keys.accessKeyId, REGISTRY_STORAGE_S3_SECRETKEY: h.keys.secretAccessKey });
    expect(conditions(read(h))['StorageExists']).toMatchObject({ status: 'True', reason: 'S3 Bucket Exists' });
    advance(h, 1000);
    expect(summary(read(h, registryResources.clusterOperator, 'image-registry'))).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/AsExpected']);
  });

  it('a user secret missing a key is an error naming the key (§3.9 all-or-nothing)', () => {
    const h = startHarness('aws');
    writeSecret(h, 'image-registry-private-configuration-user', { REGISTRY_STORAGE_S3_ACCESSKEY: h.keys.accessKeyId });
    expect(conditions(read(h))['Progressing']?.message).toBe(
      'Unable to apply resources: unable to sync storage configuration: secret "openshift-image-registry/image-registry-private-configuration-user" does not contain required key "REGISTRY_STORAGE_S3_SECRETKEY"',
    );
  });

  it('bare metal Managed without storage: StorageNotConfigured (§3.1)', () => {
    const h = startHarness('baremetal');
    patchConfig(h, { spec: { managementState: 'Managed' } });
    expect(conditions(read(h))['Degraded']).toMatchObject({ status: 'True', reason: 'StorageNotConfigured', message: 'Error: storage backend not configured' });
  });

  it('bare metal to Managed on an Unmanaged S3 bucket: Degraded Unavailable after degradedAfterMs while broken, healthy once the keys work and the operator created the bucket (issue 4)', () => {
    const h = startHarness('baremetal');
    patchConfig(h, { spec: { managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: 'team-registry', region: 'eu-west-1' } } } });
    let config = read(h);
    expect(summary(config)).toEqual(['Available=False/DeploymentNotFound', 'Progressing=True/Error', 'Degraded=False/']);
    expect(conditions(config)['Progressing']?.message).toContain('installer-cloud-credentials');
    advance(h, 5000);
    expect(summary(read(h))[2]).toBe('Degraded=True/Unavailable');
    expect(summary(read(h, registryResources.clusterOperator, 'image-registry'))[2]).toBe('Degraded=True/Unavailable');
    h.aws.addAccessKey('AKIATEAM000000000000', 'team-secret');
    writeSecret(h, 'image-registry-private-configuration-user', { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIATEAM000000000000', REGISTRY_STORAGE_S3_SECRETKEY: 'team-secret' });
    // the missing named bucket is created with the user's keys even though storage is Unmanaged (pkg/storage/s3/s3.go CreateStorage)
    expect(h.aws.bucket('team-registry')?.owner).toBe('AKIATEAM000000000000');
    config = read(h);
    expect(conditions(config)['StorageExists']).toMatchObject({ status: 'True', reason: 'S3 Bucket Exists' });
    expect(summary(config)).toEqual(['Available=False/NoReplicasAvailable', 'Progressing=True/DeploymentNotCompleted', 'Degraded=True/Unavailable']);
    advance(h, 1000);
    expect(summary(read(h))).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/']);
    expect((read(h)['spec'] as JsonMap)['storage']).toMatchObject({ managementState: 'Unmanaged', s3: { bucket: 'team-registry', region: 'eu-west-1' } });
  });

  it('a missing additionalTrustedCA ConfigMap degrades the ClusterOperator at once (§8)', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { additionalTrustedCA: { name: 'registry-cas' } } }, registryResources.image);
    const co = read(h, registryResources.clusterOperator, 'image-registry');
    expect(conditions(co)['Degraded']).toMatchObject({ status: 'True', reason: 'ImageRegistryCertificatesControllerError' });
    // the text of pkg/resource/generator.go ApplyMutator around pkg/resource/caconfig.go's error
    expect(conditions(co)['Degraded']?.message).toContain(
      'ImageRegistryCertificatesControllerDegraded: failed to update object *v1.ConfigMap, Namespace=openshift-image-registry, Name=image-registry-certificates: image-registry-certificates: configmap "registry-cas" not found',
    );
  });

  it('deleting the Config runs the finalizer and bootstraps a new one with a new uid (§9.2)', () => {
    const h = startHarness('aws');
    const uid = (read(h)['metadata'] as JsonMap)['uid'];
    h.cluster.store.delete(registryResources.config, undefined, 'cluster', false);
    expect((read(h)['metadata'] as JsonMap)['deletionTimestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    h.operator.syncNow(false);
    const fresh = read(h);
    expect((fresh['metadata'] as JsonMap)['uid']).not.toBe(uid);
    expect((fresh['metadata'] as JsonMap)['deletionTimestamp']).toBeUndefined();
  });
});

describe('generateBucketName (pkg/storage/util/util_test.go TestGenerateDeterministicStorageName)', () => {
  it.each([
    ['my-cluster-abc12', 'us-east-1', 'my-cluster-abc12-image-registry-us-east-1'],
    ['my-cluster', '', 'my-cluster-image-registry'],
    ['my--cluster', 'us-east-1', 'my-cluster-image-registry-us-east-1'],
    ['My-Cluster', 'us-east-1', 'my-cluster-image-registry-us-east-1'],
    ['a'.repeat(61), 'us-east-1', `${'a'.repeat(61)}s`],
    ['a'.repeat(60), 'us-east-1', `${'a'.repeat(60)}-i`],
  ])('%s in %s → %s', (infra, region, expected) => {
    const name = generateBucketName(infra, region);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(62);
  });
});

describe('PVC storage (ReadWriteOnce rules on the seeded admin claim registry-storage, registry-operator.md §3.8)', () => {
  it.each([
    ['a named claim with 2 replicas', { replicas: 2, rolloutStrategy: 'Recreate' }, 'cannot use ReadWriteOnce access mode with more than one replica of the image registry'],
    ['a named claim with RollingUpdate', { replicas: 1, rolloutStrategy: 'RollingUpdate' }, 'cannot use ReadWriteOnce access mode with RollingUpdate rollout strategy'],
  ])('%s is a transient error', (_name, spec, message) => {
    const h = startHarness('vsphere');
    patchConfig(h, { spec: { managementState: 'Managed', storage: { pvc: { claim: 'registry-storage' } }, ...spec } });
    // the driver's error, wrapped by generator.go Apply (the testbed's text, docs/fidelity.md)
    expect(conditions(read(h))['Progressing']).toMatchObject({ status: 'True', reason: 'Error', message: `Unable to apply resources: unable to sync storage configuration: ${message}` });
  });

  it('one replica with Recreate on a named claim becomes available, storage Unmanaged', () => {
    const h = startHarness('vsphere');
    patchConfig(h, { spec: { managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'registry-storage' } } } });
    advance(h, 1000);
    expect(summary(read(h))).toEqual(['Available=True/Ready', 'Progressing=False/Ready', 'Degraded=False/']);
    expect((read(h)['spec'] as JsonMap)['storage']).toEqual({ managementState: 'Unmanaged', pvc: { claim: 'registry-storage' } });
  });
});

describe('the write race (registry-operator.md §4), as a fault', () => {
  it('with operatorRaceRate 1 an outside spec change is reverted, managementState kept', () => {
    const h = startHarness('aws');
    h.cluster.faults = { operatorRaceRate: 1 };
    patchConfig(h, { spec: { replicas: 5, managementState: 'Unmanaged' } });
    const spec = read(h)['spec'] as JsonMap;
    expect(spec['replicas']).toBe(2);
    expect(spec['managementState']).toBe('Unmanaged');
  });

  it('without the fault the change stays', () => {
    const h = startHarness('aws');
    patchConfig(h, { spec: { replicas: 5 } });
    expect((read(h)['spec'] as JsonMap)['replicas']).toBe(5);
  });
});
