/**
 * The engine with the real adapters (client-node over HTTPS, the AWS SDK for S3 and Secrets
 * Manager, the local config source) against the sandbox fleet, under faults: 503/429 storms are
 * retried, an outside writer racing an apply is reported (never lost silently), a cluster the operator
 * turns Degraded fails its wave and halts the rollout, a cluster that is down is reported while the
 * others carry on. Test doubles here only wrap real adapters to time an outside write or hand out
 * wrong credentials.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeconfigConnector } from '../../../functions/adapters/kubernetes/kubeconfig-connector.ts';
import { LocalConfigSource } from '../../../functions/adapters/local-fs/local-config-source.ts';
import type { ClusterConnector, SecretSource } from '../../../functions/engine/ports.ts';
import { S3BucketStore } from '../../../functions/adapters/s3/s3-bucket-store.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { SecretsManagerSource } from '../../../functions/adapters/secrets/secrets-manager-source.ts';
import { SecretSourceRouter } from '../../../functions/adapters/secrets/secret-source-router.ts';
import { systemClock } from '../../../functions/adapters/system-clock.ts';
import { readInventory } from '../../../functions/core/inventory.ts';
import type { JsonObject } from '../../../functions/core/model.ts';
import type { EnginePorts } from '../../../functions/engine/engine-ports.ts';
import { rolloutFleet } from '../../../functions/engine/rollout-fleet.ts';
import { scanFleetDrift } from '../../../functions/engine/scan-fleet-drift.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const all = { names: [], selector: {} };
const gate = { healthGate: { timeoutMs: 30_000, pollMs: 500 } };
let sandbox: Sandbox;
let ports: EnginePorts;

beforeEach(async () => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const work = await mkdtemp(join(tmpdir(), 'regops-engine-'));
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', kubeconfigPath: join(work, 'kubeconfig'), progressingMs: 50, degradedAfterMs: 300 });
  const aws = { ...buildSandboxAwsSettings(sandbox), forcePathStyle: true };
  ports = {
    config: new LocalConfigSource('config'),
    connector: new KubeconfigConnector({ kubeconfig: join(work, 'kubeconfig') }),
    secrets: new SecretSourceRouter({ secretsmanager: new SecretsManagerSource(new SecretsManagerClient(aws)) }),
    buckets: new S3BucketStore(new S3Client(aws)),
    clock: systemClock,
  };
});

afterEach(async () => {
  await sandbox.stop();
});

describe('engine against the sandbox', () => {
  it('rides out 503 and 429 storms (Retry-After honoured) and still applies', async () => {
    sandbox.faults('aws-canary-1').set({ error503Rate: 0.3, throttle429Rate: 0.3, retryAfterSeconds: 0 });
    // 60 % of requests fail: a read gives up after n attempts with p = 0.6^n, and a rollout makes some 30 reads and
    // writes (the health gate's included), so 12 attempts failed a run in ~6 %; 30 make it ~1e-5
    const report = await rolloutFleet(ports, { selection: { names: ['aws-canary-1'], selector: {} }, bakeSeconds: 0, reconcile: { ...gate, retry: { attempts: 30, baseDelayMs: 10, maxDelayMs: 100 } } });
    expect(report.status).toBe('succeeded');
    sandbox.faults('aws-canary-1').clear();
    const drift = await scanFleetDrift(ports, { selection: { names: ['aws-canary-1'], selector: {} } });
    expect(drift.clusters[0]?.state).toBe('in-sync');
  });

  it('shows what an outside writer changed during an apply; their change to a field Git does not own survives', async () => {
    let raced = false;
    const racing: ClusterConnector = {
      connect: async (entry) => {
        const client = await ports.connector.connect(entry);
        return {
          ...client,
          cluster: client.cluster,
          requestCount: client.requestCount,
          get: (ref) => client.get(ref),
          create: (ref, body, options) => client.create(ref, body, options),
          patch: async (ref, patch, options) => {
            if (!raced && ref.kind === 'Config' && options?.dryRun !== true) {
              raced = true;
              await sandbox.outsideWrite(entry.name, configRef, { spec: { defaultRoute: true } });
            }
            return client.patch(ref, patch, options);
          },
        };
      },
    };
    const report = await rolloutFleet({ ...ports, connector: racing }, { selection: { names: ['aws-main-1'], selector: {} }, bakeSeconds: 0, reconcile: gate });
    const cluster = report.waves.flatMap((w) => w.clusters).find((c) => c.cluster === 'aws-main-1');
    expect(cluster?.outcome).toBe('succeeded');
    expect(cluster?.outsideChanges).toEqual([{ resource: 'Config/cluster', changes: expect.arrayContaining([expect.objectContaining({ path: 'spec.defaultRoute', after: true })]) }]);
    expect((sandbox.getObject('aws-main-1', configRef) as { spec: { defaultRoute?: boolean } }).spec.defaultRoute).toBe(true);
  });

  it('a canary the operator turns Degraded fails its wave and halts the rollout; later waves are untouched', async () => {
    const real = ports.secrets;
    const wrong: SecretSource = { resolve: async (ref) => (ref.id.includes('lab-bm-1') ? createSecretValue(`wrong-${ref.key ?? ''}`) : real.resolve(ref)) };
    const report = await rolloutFleet({ ...ports, secrets: wrong }, { selection: all, bakeSeconds: 0, reconcile: gate });
    expect(report.status).toBe('failed');
    expect(report.halted?.wave).toBe('canary');
    const metal = report.waves[0]?.clusters.find((c) => c.cluster === 'lab-bm-1');
    expect(metal).toMatchObject({ outcome: 'failed', step: 'health-gate' });
    expect(metal?.error?.message).toMatch(/^cluster lab-bm-1: health gate: (Degraded=True|not healthy)/);
    expect(report.waves.slice(1).map((w) => w.status)).toEqual(['not-started', 'not-started']);
    for (const name of ['aws-main-1', 'edge-vs-1', 'prod-eu-1', 'prod-us-1']) expect(sandbox.stats().byCluster[name]?.writes ?? 0).toBe(0);
  });

  it('after a rollout, a drift scan of the in-sync cluster GETs exactly the objects in its inventory and the ClusterOperator (sandbox request count)', async () => {
    const one = { names: ['aws-canary-1'], selector: {} };
    expect((await rolloutFleet(ports, { selection: one, bakeSeconds: 0, reconcile: gate })).status).toBe('succeeded');
    const inventory = readInventory(sandbox.getObject('aws-canary-1', configRef) as JsonObject);
    // what Git renders there, the Config among them (core/inventory.ts)
    expect(inventory?.map((r) => r.kind)).toEqual(expect.arrayContaining(['Config']));
    const before = sandbox.stats().byCluster['aws-canary-1'] ?? { reads: 0, writes: 0 };
    const report = await scanFleetDrift(ports, { selection: one, enforce: false });
    const after = sandbox.stats().byCluster['aws-canary-1'] ?? { reads: 0, writes: 0 };
    expect(report.clusters.map((c) => c.state)).toEqual(['in-sync']);
    expect({ reads: after.reads - before.reads, writes: after.writes - before.writes }).toEqual({ reads: (inventory?.length ?? 0) + 1, writes: 0 });
  });

  it('reports a cluster that is down as unreachable and scans the rest', async () => {
    sandbox.faults('prod-us-1').set({ down: true });
    const report = await scanFleetDrift(ports, { selection: all, enforce: false, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    expect(report.clusters.find((c) => c.cluster === 'prod-us-1')).toMatchObject({ state: 'unreachable', error: { code: expect.stringMatching(/^cluster\./) } });
    expect(report.summary.unreachable).toBe(1);
    expect(report.summary.clusters).toBe(6);
    expect(report.clusters.filter((c) => c.state === 'drifted')).toHaveLength(5);
  });
});
