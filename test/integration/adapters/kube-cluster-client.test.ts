// The Kubernetes adapters with the real client-node over HTTPS against the sandbox fleet: kubeconfig
// and Secrets Manager connectors, conflicts, validation, RBAC, dry run, secrets, faults.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEntry, ResourceRef } from '../../../functions/core/model.ts';
import { ClusterError } from '../../../functions/adapters/errors.ts';
import { AgentCache } from '../../../functions/adapters/kubernetes/agent-cache.ts';
import { createKubeClusterClient } from '../../../functions/adapters/kubernetes/kube-cluster-client.ts';
import { KubeconfigConnector } from '../../../functions/adapters/kubernetes/kubeconfig-connector.ts';
import { SecretConnector } from '../../../functions/adapters/kubernetes/secret-connector.ts';
import { SecretsManagerSource } from '../../../functions/adapters/secrets/secrets-manager-source.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { startSandbox } from '../../../functions/sandbox/index.ts';
import type { Sandbox } from '../../../functions/sandbox/index.ts';

const config: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const userSecret: ResourceRef = { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' };
const entry = (name: string, connection: ClusterEntry['connection'] = {}): ClusterEntry => ({ name, labels: {}, connection });

describe('Kubernetes adapters against the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;
  let connector: KubeconfigConnector;
  let first: string;
  let second: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regops-kube-'));
    sandbox = await startSandbox({ clusters: 3, kubeconfigPath: join(dir, 'kubeconfig'), progressingMs: 50 });
    [first = '', second = ''] = sandbox.clusters;
    connector = new KubeconfigConnector({ kubeconfig: join(dir, 'kubeconfig'), requestTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const name of sandbox.clusters) sandbox.faults(name).clear();
  });

  it('connects through the kubeconfig context named after the cluster and reads the Config', async () => {
    const client = await connector.connect(entry(first));
    const live = await client.get(config);
    expect(live).toMatchObject({ apiVersion: config.apiVersion, kind: 'Config', metadata: { name: 'cluster' } });
    expect(typeof (live?.['metadata'] as { resourceVersion?: unknown }).resourceVersion).toBe('string');
    expect(await connector.connect(entry(first))).toBe(client);
  });

  it('answers undefined for an object that does not exist', async () => {
    const client = await connector.connect(entry(first));
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'no-such-map', namespace: 'openshift-config' })).toBeUndefined();
  });

  it('lists the known contexts when the fleet names one the kubeconfig lacks', async () => {
    const error = await connector.connect(entry('prod-eu-1', { context: 'prod-eu-1-admin' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as Error).message).toContain('has no context "prod-eu-1-admin" (known contexts: sbx-0001, sbx-0002, sbx-0003)');
  });

  it('patches with the resourceVersion precondition, and a stale one is cluster.conflict', async () => {
    const client = await connector.connect(entry(first));
    const live = await client.get(config);
    const resourceVersion = String((live?.['metadata'] as { resourceVersion: string }).resourceVersion);
    const patched = await client.patch(config, { metadata: { resourceVersion }, spec: { logLevel: 'Debug' } });
    expect(patched['spec']).toMatchObject({ logLevel: 'Debug' });
    await sandbox.outsideWrite(first, config, { spec: { logLevel: 'Trace' } });
    const error = await client.patch(config, { metadata: { resourceVersion }, spec: { logLevel: 'Normal' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.conflict', context: { cluster: first, resource: 'Config/cluster', status: 409 } });
    expect((error as Error).message).toMatch(new RegExp(`^cluster ${first}: Config/cluster: patch rejected \\(Conflict\\): .+`));
    expect((sandbox.getObject(first, config) as { spec: { logLevel: string } }).spec.logLevel).toBe('Trace');
  });

  it('carries the server message of a 422', async () => {
    const client = await connector.connect(entry(first));
    const error = await client.patch(config, { spec: { managementState: 'Sometimes' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.invalid', context: { status: 422, reason: 'Invalid' } });
    expect((error as Error).message).toMatch(/^cluster sbx-0001: Config\/cluster: patch rejected \(Invalid\): .*managementState/);
  });

  it('maps the readonly token writing to cluster.forbidden', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: second, server: sandbox.clusterUrl(second), caData: Buffer.from(sandbox.caPem).toString('base64'), skipTLSVerify: false }],
      users: [{ name: 'viewer', token: sandbox.token(second, 'readonly') }],
      contexts: [{ name: second, cluster: second, user: 'viewer' }],
      currentContext: second,
    });
    const client = await createKubeClusterClient(second, kc);
    expect(await client.get(config)).toMatchObject({ kind: 'Config', metadata: { name: 'cluster' } });
    await expect(client.patch(config, { spec: { logLevel: 'Debug' } })).rejects.toMatchObject({ code: 'cluster.forbidden', context: { status: 403 } });
  });

  it('reports a server whose certificate the kubeconfig does not trust as cluster.tls (not retried), naming the TLS failure', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: second, server: sandbox.clusterUrl(second), skipTLSVerify: false }],
      users: [{ name: 'admin', token: sandbox.token(second) }],
      contexts: [{ name: second, cluster: second, user: 'admin' }],
      currentContext: second,
    });
    const client = await createKubeClusterClient(second, kc);
    const error = await client.get(config).catch((e: unknown) => e);
    // the same certificate comes back on every try: cluster.tls, which the engine does not retry (issue #10)
    expect(error).toMatchObject({ code: 'cluster.tls', context: { network: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) } });
  });

  it('shares one agent (one TLS context) among clusters with the same CA, and keeps other TLS settings apart', async () => {
    const agents = new AgentCache();
    const caData = Buffer.from(sandbox.caPem).toString('base64');
    const kubeConfigOf = (name: string, cluster: Partial<Cluster> = {}): KubeConfig => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name, server: sandbox.clusterUrl(name), caData, skipTLSVerify: false, ...cluster }],
        users: [{ name: `admin@${name}`, token: sandbox.token(name) }],
        contexts: [{ name, cluster: name, user: `admin@${name}` }],
        currentContext: name,
      });
      return kc;
    };
    const clients = await Promise.all(sandbox.clusters.map((name) => createKubeClusterClient(name, kubeConfigOf(name), { agents })));
    for (const client of clients) expect(await client.get(config)).toMatchObject({ kind: 'Config' });
    expect(agents.size).toBe(1);
    const shared = await agents.agentFor(kubeConfigOf(first));
    expect(await agents.agentFor(kubeConfigOf(first, { skipTLSVerify: true }))).not.toBe(shared);
    expect(await agents.agentFor(kubeConfigOf(first, { tlsServerName: 'localhost' }))).not.toBe(shared);
    expect(await agents.agentFor(kubeConfigOf(first, { proxyUrl: 'http://127.0.0.1:3128' }))).toBeUndefined();
    expect(agents.size).toBe(3);
  });

  it('validates a dry run on the server without persisting it', async () => {
    const client = await connector.connect(entry(second));
    const before = sandbox.getObject(second, config) as { spec: { replicas?: number }; metadata: { resourceVersion: string } };
    const answer = await client.patch(config, { spec: { replicas: 7 } }, { dryRun: true });
    expect(answer['spec']).toMatchObject({ replicas: 7 });
    const after = sandbox.getObject(second, config) as typeof before;
    expect(after.spec.replicas).toBe(before.spec.replicas);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    await expect(client.patch(config, { spec: { managementState: 'Sometimes' } }, { dryRun: true })).rejects.toMatchObject({ code: 'cluster.invalid', context: { verb: 'dry-run patch' } });
  });

  it('writes secret values from digests and reads them back as digests; no value in any output', async () => {
    const value = 'sandbox-secret-key-9f1c2b7e4d';
    const held = createSecretValue(value);
    const client = await connector.connect(entry(first));
    const body = { metadata: { name: userSecret.name, namespace: 'openshift-image-registry' }, type: 'Opaque', data: { REGISTRY_STORAGE_S3_SECRETKEY: held.digest } };
    const created = await client.create(userSecret, body, { secretValues: new Map([[held.digest, held]]) });
    expect(created['data']).toEqual({ REGISTRY_STORAGE_S3_SECRETKEY: held.digest });
    const stored = sandbox.getObject(first, userSecret) as { data: Record<string, string> };
    expect(Buffer.from(stored.data['REGISTRY_STORAGE_S3_SECRETKEY'] ?? '', 'base64').toString('utf8')).toBe(value);
    const live = await client.get(userSecret);
    expect(live?.['data']).toEqual({ REGISTRY_STORAGE_S3_SECRETKEY: held.digest });
    const again = await client.create(userSecret, body, { secretValues: new Map([[held.digest, held]]) }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'cluster.conflict' });
    const printed = [JSON.stringify(created), JSON.stringify(live), inspect(again, { depth: 10 }), JSON.stringify((again as ClusterError).context), inspect(held)].join('\n');
    expect(printed).not.toContain(value);
    expect(printed).not.toContain(Buffer.from(value).toString('base64'));
  });

  it('carries Retry-After of a 429 in the error', async () => {
    const client = await connector.connect(entry(second));
    sandbox.faults(second).set({ throttle429Rate: 1, retryAfterSeconds: 4 });
    await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.throttled', context: { status: 429, retryAfterMs: 4000 } });
  });

  it('maps 503 and 500 answers to cluster.server-error', async () => {
    const client = await connector.connect(entry(second));
    sandbox.faults(second).set({ error503Rate: 1, retryAfterSeconds: 2 });
    await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.server-error', context: { status: 503 } });
    sandbox.faults(second).set({ error503Rate: 0, error500Rate: 1 });
    await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.server-error', context: { status: 500 } });
  });

  it('maps a cluster that is down to cluster.unreachable', async () => {
    const client = await connector.connect(entry(second));
    sandbox.faults(second).set({ down: true });
    const error = await client.get(config).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.unreachable', context: { cluster: second } });
    expect((error as Error).message).toMatch(new RegExp(`^cluster ${second}: Config/cluster: read failed: unreachable`));
  });

  it('counts requests the way the sandbox sees them', async () => {
    const third = sandbox.clusters[2] ?? '';
    const client = await connector.connect(entry(third));
    const before = sandbox.stats().byCluster[third] ?? { reads: 0, writes: 0 };
    await client.get(config);
    await client.get({ apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' });
    await client.patch(config, { spec: { logLevel: 'Debug' } }, { dryRun: true });
    const after = sandbox.stats().byCluster[third] ?? { reads: 0, writes: 0 };
    expect(client.requestCount).toEqual({ reads: 2, writes: 1 });
    expect({ reads: after.reads - before.reads, writes: after.writes - before.writes }).toEqual({ reads: 2, writes: 1 });
  });

  it('connects through the Secrets Manager connection secret', async () => {
    const secretsManager = new SecretsManagerClient({
      region: sandbox.aws.region,
      endpoint: sandbox.aws.endpoint,
      credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
      requestHandler: { httpsAgent: new Agent({ ca: sandbox.caPem, keepAlive: true }) },
    });
    const viaSecrets = new SecretConnector(new SecretsManagerSource(secretsManager));
    const client = await viaSecrets.connect(entry(first, { secretId: `regops/clusters/${first}` }));
    expect(await client.get(config)).toMatchObject({ kind: 'Config' });
    await expect(viaSecrets.connect(entry('ghost-1'))).rejects.toMatchObject({ code: 'secret.not-found' });
  });
});
