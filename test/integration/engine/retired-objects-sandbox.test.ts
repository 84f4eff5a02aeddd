/**
 * Objects and buckets Git no longer wants, with the real adapters against the sandbox: after a
 * rollout, deleting every trusted-CA file from a copy of config/ makes the plan remove the fields
 * regops set (the CA ConfigMap's key, images.config spec.additionalTrustedCA.name), an apply does it
 * and the next plan has nothing left; removing a cluster's storage.yaml after its bucket was
 * provisioned gives a `skipped` bucket line, and the bucket is still in the sandbox S3.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeconfigConnector } from '../../../functions/adapters/kubernetes/kubeconfig-connector.ts';
import { LocalConfigSource } from '../../../functions/adapters/local-fs/local-config-source.ts';
import { S3BucketStore } from '../../../functions/adapters/s3/s3-bucket-store.ts';
import { SecretsManagerSource } from '../../../functions/adapters/secrets/secrets-manager-source.ts';
import { SecretSourceRouter } from '../../../functions/adapters/secrets/secret-source-router.ts';
import { systemClock } from '../../../functions/adapters/system-clock.ts';
import type { JsonObject, PlanEntry } from '../../../functions/core/model.ts';
import type { EnginePorts } from '../../../functions/engine/engine-ports.ts';
import { planFleet } from '../../../functions/engine/plan-fleet.ts';
import { rolloutFleet } from '../../../functions/engine/rollout-fleet.ts';
import { scanFleetDrift } from '../../../functions/engine/scan-fleet-drift.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';

const caRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'regops-trusted-cas', namespace: 'openshift-config' };
const imageRef = { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' };
const gate = { healthGate: { timeoutMs: 30_000, pollMs: 200 } };
// aws-canary-1 renders no images.config of its own (only prod does): with the CA files gone it is retired
const canary = { names: ['aws-canary-1'], selector: {} };
let sandbox: Sandbox;
let configDir: string;
let s3: S3Client;
let ports: EnginePorts;

beforeEach(async () => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const work = await mkdtemp(join(tmpdir(), 'regops-retired-'));
  configDir = join(work, 'config');
  await cp('config', configDir, { recursive: true });
  sandbox = await startSandbox({ fleetFile: join(configDir, 'fleet.yaml'), kubeconfigPath: join(work, 'kubeconfig'), progressingMs: 50, degradedAfterMs: 300 });
  const aws = { ...buildSandboxAwsSettings(sandbox), forcePathStyle: true };
  s3 = new S3Client(aws);
  ports = {
    config: new LocalConfigSource(configDir),
    connector: new KubeconfigConnector({ kubeconfig: join(work, 'kubeconfig') }),
    secrets: new SecretSourceRouter({ secretsmanager: new SecretsManagerSource(new SecretsManagerClient(aws)) }),
    buckets: new S3BucketStore(s3),
    clock: systemClock,
  };
});

afterEach(async () => {
  await sandbox.stop();
});

const changing = (entries: readonly PlanEntry[]) => entries.filter((e) => e.target.type !== 'health-gate' && (e.action === 'create' || e.action === 'update' || e.action === 'prune'));
const describeEntry = (e: PlanEntry) => (e.target.type === 'object' ? `${e.action} ${e.target.ref.kind}/${e.target.ref.name}: ${e.changes.map((c) => `${c.op} ${c.path}`).join(', ')}` : `${e.action} ${e.target.type}`);

describe('engine against the sandbox: what Git no longer wants', () => {
  /** Rolls aws-canary-1 out, then deletes every trusted-CA file from the config copy. */
  async function rollOutThenDeleteCas(): Promise<string[]> {
    expect((await rolloutFleet(ports, { selection: canary, bakeSeconds: 0, reconcile: gate })).status).toBe('succeeded');
    const cas = sandbox.getObject('aws-canary-1', caRef) as JsonObject | undefined;
    const caKeys = Object.keys((cas?.['data'] ?? {}) as JsonObject);
    expect(caKeys.length).toBeGreaterThan(0);
    expect(((sandbox.getObject('aws-canary-1', imageRef) as JsonObject)['spec'] as JsonObject)['additionalTrustedCA']).toEqual({ name: caRef.name });
    const caDir = join(configDir, 'base', 'trusted-cas');
    for (const file of await readdir(caDir)) await rm(join(caDir, file));
    return caKeys;
  }

  it('every trusted-CA file deleted after a rollout: plan shows the removal of the fields regops set', async () => {
    const caKeys = await rollOutThenDeleteCas();
    const plan = await planFleet(ports, { selection: canary });
    const cluster = plan.clusters[0];
    expect(cluster?.error).toBeUndefined();
    expect(cluster?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(changing(cluster?.entries ?? []).map(describeEntry).sort()).toEqual([
      `prune ConfigMap/${caRef.name}: ${caKeys.map((key) => `remove data["${key}"]`).join(', ')}`,
      'prune Image/cluster: remove spec.additionalTrustedCA.name',
    ]);
    // the drift scan reads the same objects: what Git dropped shows as drift until applied
    expect((await scanFleetDrift(ports, { selection: canary })).clusters[0]?.state).toBe('drifted');
  });

  // Removing the last owned leaf of `spec.additionalTrustedCA` must null the whole map: the API server
  // would keep `additionalTrustedCA: {}` and reject it (the CRD requires name), so the dry run would stop
  // the cluster. This is the end-to-end proof that core's prune patch collapses emptied maps.
  it('every trusted-CA file deleted after a rollout: apply removes them (objects kept), the next plan has no changes', async () => {
    await rollOutThenDeleteCas();
    const applied = await rolloutFleet(ports, { selection: canary, bakeSeconds: 0, reconcile: gate });
    expect(applied.waves.flatMap((w) => w.clusters).map((c) => c.error?.message)).toEqual([undefined]);
    expect(applied.status).toBe('succeeded');
    // never deleted: the ConfigMap stays, without the keys regops set
    expect((sandbox.getObject('aws-canary-1', caRef) as JsonObject | undefined)?.['data'] ?? {}).toEqual({});
    expect((((sandbox.getObject('aws-canary-1', imageRef) as JsonObject)['spec'] as JsonObject)['additionalTrustedCA'] as JsonObject | undefined)?.['name']).toBeUndefined();

    const again = await planFleet(ports, { selection: canary });
    expect(again.clusters[0]?.summary).toMatchObject({ create: 0, update: 0, prune: 0 });
    expect((await scanFleetDrift(ports, { selection: canary })).clusters[0]?.state).toBe('in-sync');
  });

  it('storage.yaml removed after the bucket was provisioned: a skipped bucket line, and the bucket is still in S3', async () => {
    const selection = { names: ['lab-bm-1'], selector: {} };
    expect((await rolloutFleet(ports, { selection, bakeSeconds: 0, reconcile: gate })).status).toBe('succeeded');
    await s3.send(new HeadBucketCommand({ Bucket: 'acme-registry-lab-bm-1' }));

    await rm(join(configDir, 'clusters', 'lab-bm-1', 'storage.yaml'));
    const plan = await planFleet(ports, { selection });
    const cluster = plan.clusters[0];
    expect(cluster?.error).toBeUndefined();
    const bucketLines = (cluster?.entries ?? []).filter((e) => e.target.type === 'bucket');
    expect(bucketLines).toEqual([expect.objectContaining({ target: { type: 'bucket', name: 'acme-registry-lab-bm-1', region: 'us-east-1' }, action: 'skipped', changes: [] })]);
    expect(bucketLines[0]?.reason).toContain('regops never deletes buckets');
    await s3.send(new HeadBucketCommand({ Bucket: 'acme-registry-lab-bm-1' }));
  });
});
