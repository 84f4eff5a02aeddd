import { request as httpsRequest, Agent } from 'node:https';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';

// @kubernetes/client-node 1.4 against the in-process sandbox, as regops' Kubernetes adapter uses it (docs/toolchain-facts.md).

const group = 'imageregistry.operator.openshift.io';
const configRef = { apiVersion: `${group}/v1`, kind: 'Config', name: 'cluster' };
let sandbox: Sandbox;
let dir: string;

function kubeConfigFor(cluster: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  kc.setCurrentContext(cluster);
  if (token !== undefined) {
    const user = kc.getCurrentUser();
    if (user !== null) (user as { token?: string }).token = token;
  }
  return kc;
}

async function expectApiError(promise: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<string>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function conditionsOf(object: unknown): Record<string, { status: string; reason?: string }> {
  const out: Record<string, { status: string; reason?: string }> = {};
  for (const condition of (object as { status?: { conditions?: Array<{ type: string; status: string; reason?: string }> } }).status?.conditions ?? []) out[condition.type] = condition;
  return out;
}

function control(method: string, path: string, body?: unknown, token: string | null = sandbox.adminToken): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) };
    const req = httpsRequest(`${sandbox.url}${path}`, { method, ca: sandbox.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'regops-sbx-int-'));
  const fleet = join(dir, 'fleet.yaml');
  await writeFile(
    fleet,
    'apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  clusters:\n    - name: aws-1\n      labels: {platform: aws, region: eu-west-1}\n    - name: metal-1\n      labels: {platform: baremetal}\n    - name: faulty-1\n      labels: {platform: aws, region: us-east-1}\n',
  );
  sandbox = await startSandbox({ fleetFile: fleet, progressingMs: 100, degradedAfterMs: 60_000, kubeconfigPath: join(dir, 'kube', 'config') });
});

afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('client-node against the sandbox', () => {
  it('reads the bootstrapped objects through discovery (KubernetesObjectApi)', async () => {
    const client = KubernetesObjectApi.makeApiClient(kubeConfigFor('aws-1'));
    const config = await client.read({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster' } });
    expect((config as { spec: { managementState: string } }).spec.managementState).toBe('Managed');
    const metal = await KubernetesObjectApi.makeApiClient(kubeConfigFor('metal-1')).read({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster' } });
    expect((metal as { spec: { managementState: string } }).spec.managementState).toBe('Removed');
  });

  it('a merge patch (CustomObjectsApi + setHeaderOptions) bumps generation and the operator catches up', async () => {
    const api = kubeConfigFor('aws-1').makeApiClient(CustomObjectsApi);
    const patched = (await api.patchClusterCustomObject(
      { group, version: 'v1', plural: 'configs', name: 'cluster', body: { spec: { logLevel: 'Debug' } }, fieldManager: 'regops' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { metadata: { generation: number }; spec: { logLevel: string } };
    expect(patched.spec.logLevel).toBe('Debug');
    await waitFor(() => {
      const config = sandbox.getObject('aws-1', configRef) as { metadata: { generation: number }; status: { observedGeneration: number } };
      const co = conditionsOf(sandbox.getObject('aws-1', { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' }));
      return config.status.observedGeneration === patched.metadata.generation && co['Progressing']?.status === 'False' && co['Available']?.status === 'True';
    }, 'the rollout to finish');
  });

  it('a stale resourceVersion precondition is 409 Conflict', async () => {
    const client = KubernetesObjectApi.makeApiClient(kubeConfigFor('aws-1'));
    const live = await client.read<KubernetesObject>({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster' } });
    await sandbox.outsideWrite('aws-1', configRef, { spec: { readOnly: true } });
    const error = await expectApiError(
      client.patch({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster', resourceVersion: live.metadata?.resourceVersion ?? '' }, spec: { readOnly: false } } as KubernetesObject, undefined, undefined, 'regops', undefined, PatchStrategy.MergePatch),
    );
    expect(error.code).toBe(409);
    expect(JSON.parse(error.body)).toMatchObject({ kind: 'Status', reason: 'Conflict', details: { name: 'cluster', group, kind: 'configs' } });
  });

  it('dryRun=All returns the result without persisting it', async () => {
    const client = KubernetesObjectApi.makeApiClient(kubeConfigFor('aws-1'));
    // spec and generation only: the simulated operator may write status meanwhile
    const specAndGeneration = (): unknown => {
      const object = sandbox.getObject('aws-1', configRef) as { spec: unknown; metadata: { generation: number } };
      return [object.spec, object.metadata.generation];
    };
    const before = specAndGeneration();
    const result = await client.patch({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 3 } } as KubernetesObject, undefined, 'All', 'regops', undefined, PatchStrategy.MergePatch);
    expect((result as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(specAndGeneration()).toEqual(before);
  });

  it('the default strategic-merge patch of KubernetesObjectApi is refused with 415 for a custom resource', async () => {
    const client = KubernetesObjectApi.makeApiClient(kubeConfigFor('aws-1'));
    const error = await expectApiError(client.patch({ apiVersion: `${group}/v1`, kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 2 } } as KubernetesObject));
    expect(error.code).toBe(415);
  });

  it('server-side apply creates a ConfigMap and records the field manager', async () => {
    const client = KubernetesObjectApi.makeApiClient(kubeConfigFor('aws-1'));
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { 'registry.example.com..5000': 'pem' } };
    const applied = await client.patch(body as KubernetesObject, undefined, undefined, 'regops', true, PatchStrategy.ServerSideApply);
    expect(applied.metadata?.managedFields?.map((entry) => `${entry.manager}/${entry.operation}`)).toEqual(['regops/Apply']);
  });

  it('the readonly token gets 403 on writes and reads fine', async () => {
    const api = kubeConfigFor('aws-1', sandbox.token('aws-1', 'readonly')).makeApiClient(CustomObjectsApi);
    await api.getClusterCustomObject({ group, version: 'v1', plural: 'configs', name: 'cluster' });
    const error = await expectApiError(
      api.patchClusterCustomObject({ group, version: 'v1', plural: 'configs', name: 'cluster', body: { spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
    expect(error.code).toBe(403);
  });

  it('a token of another cluster is 401', async () => {
    const api = kubeConfigFor('aws-1', sandbox.token('metal-1')).makeApiClient(CoreV1Api);
    expect((await expectApiError(api.listNamespace())).code).toBe(401);
  });

  it('LIST pages with limit and continue', async () => {
    const api = kubeConfigFor('aws-1').makeApiClient(CoreV1Api);
    const first = await api.listNamespace({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await api.listNamespace({ limit: 100, _continue: first.metadata?._continue ?? '' });
    const names = [...first.items, ...rest.items].map((ns) => ns.metadata?.name);
    expect(names).toEqual(['default', 'kube-system', 'openshift-config', 'openshift-config-managed', 'openshift-image-registry']);
  });

  it('faults: 503, 429 with Retry-After, reset, down; then clear', async () => {
    const api = kubeConfigFor('faulty-1').makeApiClient(CoreV1Api);
    const faults = sandbox.faults('faulty-1');
    faults.set({ error503Rate: 1 });
    expect((await expectApiError(api.listNamespace())).code).toBe(503);
    faults.clear();
    faults.set({ throttle429Rate: 1, retryAfterSeconds: 7 });
    const throttled = await expectApiError(api.listNamespace());
    expect(throttled.code).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    faults.clear();
    faults.set({ down: true });
    await expect(api.listNamespace()).rejects.toThrow();
    faults.clear();
    faults.set({ latencyMs: 20, jitterMs: 10 });
    expect((await api.listNamespace()).items.length).toBeGreaterThan(0);
    faults.clear();
  });

  it('control endpoints: status and faults over HTTPS', async () => {
    const status = (await control('GET', '/_sandbox/status')).json as { clusters: Array<{ name: string }> };
    expect(status.clusters.map((cluster) => cluster.name)).toEqual(['aws-1', 'metal-1', 'faulty-1']);
    const set = await control('POST', '/_sandbox/faults/faulty-1', { error500Rate: 1 });
    expect(set.status).toBe(200);
    const api = kubeConfigFor('faulty-1').makeApiClient(CoreV1Api);
    expect((await expectApiError(api.listNamespace())).code).toBe(500);
    await control('POST', '/_sandbox/faults/faulty-1', { clear: true });
    await api.listNamespace();
  });

  it('control endpoints answer 401 without the sandbox admin token (a cluster admin token is not it)', async () => {
    const without = await control('POST', '/_sandbox/faults/faulty-1', { down: true }, null);
    expect(without).toMatchObject({ status: 401, json: { error: expect.stringContaining('need the sandbox admin token') } });
    const clusterToken = await control('POST', '/_sandbox/shutdown', undefined, sandbox.token('aws-1', 'admin'));
    expect(clusterToken.status).toBe(401);
    expect((await control('GET', '/_sandbox/status', undefined, `${sandbox.adminToken}x`)).status).toBe(401);
    // none of them took effect: the fleet is up and faulty-1 has no fault
    const status = (await control('GET', '/_sandbox/status')).json as { clusters: Array<{ name: string; faults: object }> };
    expect(status.clusters.find((c) => c.name === 'faulty-1')?.faults).toEqual({});
  });

  it('outsideWrite bumps resourceVersion and generation like `oc patch`', async () => {
    const before = sandbox.getObject('aws-1', configRef) as { metadata: { resourceVersion: string; generation: number } };
    await sandbox.outsideWrite('aws-1', configRef, { spec: { disableRedirect: true } });
    const after = sandbox.getObject('aws-1', configRef) as { metadata: { resourceVersion: string; generation: number; managedFields: Array<{ manager: string }> } };
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(after.metadata.managedFields.map((entry) => entry.manager)).toContain('kubectl-patch');
  });

  it('a body of another kind is a 400 BadRequest, as the apiserver decodes for the endpoint kind', async () => {
    const api = kubeConfigFor('aws-1').makeApiClient(CoreV1Api);
    const error = await expectApiError(
      api.createNamespacedSecret({ namespace: 'openshift-config', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wrong-kind' } } as never }),
    );
    expect(error.code).toBe(400);
    expect(JSON.parse(error.body)).toMatchObject({ reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a Secret: the object provided is unrecognized' });
  });

  it('counts reads and writes per cluster', () => {
    const stats = sandbox.stats();
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.byCluster['aws-1']?.writes).toBeGreaterThan(0);
    expect(stats.byCluster['aws-1']?.reads).toBeGreaterThan(0);
  });

  it('seeds the Secrets Manager secrets regops reads (AWS SDK through the sandbox CA)', async () => {
    const client = new SecretsManagerClient({
      region: sandbox.aws.region,
      endpoint: sandbox.aws.endpoint,
      credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: sandbox.caPem }) }),
    });
    const storage = await client.send(new GetSecretValueCommand({ SecretId: 'regops/metal-1/registry-s3' }));
    expect(Object.keys(JSON.parse(storage.SecretString ?? '{}') as object).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    const connection = JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: 'regops/clusters/aws-1' }))).SecretString ?? '{}') as { server: string; token: string };
    expect(connection.server).toBe(sandbox.clusterUrl('aws-1'));
    expect(connection.token).toBe(sandbox.token('aws-1'));
  });
});

describe('seeding from oc get -o yaml dumps', () => {
  it('loads multi-document files and kind: List dumps into the named cluster', async () => {
    const seedDir = join(dir, 'seed');
    await mkdir(join(seedDir, 'dumped-1'), { recursive: true });
    await writeFile(
      join(seedDir, 'dumped-1', 'registry.yaml'),
      [
        'apiVersion: imageregistry.operator.openshift.io/v1',
        'kind: Config',
        'metadata:',
        '  name: cluster',
        '  resourceVersion: "123456"',
        '  uid: 00000000-0000-0000-0000-000000000000',
        'spec:',
        '  managementState: Unmanaged',
        '  replicas: 3',
        '---',
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: team-a',
      ].join('\n'),
    );
    await writeFile(
      join(seedDir, 'dumped-1', 'cms.yaml'),
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: registry-cas, namespace: openshift-config}\n    data: {a: b}\n',
    );
    const fleet = join(dir, 'seed-fleet.yaml');
    await writeFile(fleet, 'spec:\n  clusters:\n    - name: dumped-1\n      labels: {platform: aws, region: us-east-1}\n');
    const fromDumps = await startSandbox({ fleetFile: fleet, seedDir });
    try {
      const config = fromDumps.getObject('dumped-1', configRef) as { spec: { managementState: string; replicas: number }; metadata: { uid: string } };
      expect(config.spec).toMatchObject({ managementState: 'Unmanaged', replicas: 3 });
      expect(config.metadata.uid).not.toBe('00000000-0000-0000-0000-000000000000');
      expect(conditionsOf(config)['Available']).toMatchObject({ status: 'True', reason: 'Unmanaged' });
      expect(fromDumps.getObject('dumped-1', { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' })).toMatchObject({ data: { a: 'b' } });
      expect(fromDumps.getObject('dumped-1', { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' })).toMatchObject({ kind: 'Namespace', metadata: { name: 'team-a' } });
    } finally {
      await fromDumps.stop();
    }
  });
});
