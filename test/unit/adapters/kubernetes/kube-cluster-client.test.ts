// KubeClusterClient on the wire: what client-node sends (merge patch, precondition, dry run, no
// discovery, one pooled connection) and how each kind of failure maps to ClusterError. The server is
// a scripted fake (test/unit/adapters/support); the sandbox runs the same client in integration tests.
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../../../functions/core/model.ts';
import { ClusterError, SecretError } from '../../../../functions/adapters/errors.ts';
import { AgentCache } from '../../../../functions/adapters/kubernetes/agent-cache.ts';
import { createKubeClusterClient } from '../../../../functions/adapters/kubernetes/kube-cluster-client.ts';
import type { KubeClusterClientOptions } from '../../../../functions/adapters/kubernetes/kube-cluster-client.ts';
import { createSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';
import { digestSecretBytes } from '../../../../functions/adapters/secrets/secret-value.ts';
import { startFakeKubeApi } from '../support/fake-kube-api.ts';
import type { FakeKubeApi } from '../support/fake-kube-api.ts';

const config: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
const secret: ResourceRef = { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' };
const secretPath = '/api/v1/namespaces/openshift-image-registry/secrets/image-registry-private-configuration-user';
const secretValue = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function kubeConfigFor(server: string, token = 'admin-token'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c1', server, skipTLSVerify: true }],
    users: [{ name: 'u1', token }],
    contexts: [{ name: 'c1', cluster: 'c1', user: 'u1' }],
    currentContext: 'c1',
  });
  return kc;
}

describe('KubeClusterClient', () => {
  let api: FakeKubeApi;
  const connect = (options: KubeClusterClientOptions = {}) => createKubeClusterClient('prod-eu-1', kubeConfigFor(api.url), options);

  beforeAll(async () => {
    api = await startFakeKubeApi();
  });
  afterAll(async () => {
    await api.stop();
  });
  afterEach(() => {
    api.requests.length = 0;
    api.objects.clear();
  });

  function seedConfig(): void {
    api.put(configPath, { apiVersion: config.apiVersion, kind: 'Config', metadata: { name: 'cluster', resourceVersion: '7' }, spec: { replicas: 2, managementState: 'Managed' } });
  }

  it('reads an object as plain JSON with the bearer token, without discovery requests', async () => {
    seedConfig();
    const client = await connect();
    const live = await client.get(config);
    expect(live).toEqual({ apiVersion: config.apiVersion, kind: 'Config', metadata: { name: 'cluster', resourceVersion: '7' }, spec: { replicas: 2, managementState: 'Managed' } });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${configPath}`]);
    expect(api.requests[0]?.authorization).toBe('Bearer admin-token');
    expect(client.requestCount).toEqual({ reads: 1, writes: 0 });
  });

  it('answers undefined for a 404', async () => {
    const client = await connect();
    expect(await client.get(config)).toBeUndefined();
  });

  it('patches with application/merge-patch+json, the body as given (resourceVersion precondition inside) and fieldManager regops', async () => {
    seedConfig();
    const client = await connect();
    const patched = await client.patch(config, { metadata: { resourceVersion: '7' }, spec: { replicas: 3 } });
    expect(patched['spec']).toEqual({ replicas: 3, managementState: 'Managed' });
    const sent = api.requests.at(-1);
    expect(sent).toMatchObject({ method: 'PATCH', path: configPath, contentType: 'application/merge-patch+json', query: { fieldManager: 'regops' } });
    expect(sent?.body).toEqual({ apiVersion: config.apiVersion, kind: 'Config', metadata: { name: 'cluster', resourceVersion: '7' }, spec: { replicas: 3 } });
    expect(client.requestCount).toEqual({ reads: 0, writes: 1 });
  });

  it('maps a stale resourceVersion (409) to cluster.conflict with the server message', async () => {
    seedConfig();
    const client = await connect();
    const error = await client.patch(config, { metadata: { resourceVersion: '6' }, spec: { replicas: 3 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error).toMatchObject({ code: 'cluster.conflict', context: { cluster: 'prod-eu-1', resource: 'Config/cluster', status: 409, reason: 'Conflict' } });
    expect((error as Error).message).toBe(
      `cluster prod-eu-1: Config/cluster: patch rejected (Conflict): Operation cannot be fulfilled on ${configPath}: the object has been modified; please apply your changes to the latest version and try again`,
    );
  });

  it('sends dryRun=All and the dry run leaves the object unchanged', async () => {
    seedConfig();
    const client = await connect();
    const answer = await client.patch(config, { spec: { replicas: 5 } }, { dryRun: true });
    expect(answer['spec']).toMatchObject({ replicas: 5 });
    expect(api.requests.at(-1)?.query).toEqual({ dryRun: 'All', fieldManager: 'regops' });
    expect(api.objects.get(configPath)?.['spec']).toEqual({ replicas: 2, managementState: 'Managed' });
  });

  it('creates a namespaced object with the body as given (core/plan.ts builds it) and maps AlreadyExists to cluster.conflict', async () => {
    const client = await connect();
    const cm: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' };
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config', annotations: { 'regops.io/applied-commit': 'c1' } }, data: { a: 'b' } };
    await client.create(cm, body);
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/openshift-config/configmaps' });
    expect(api.requests.at(-1)?.body).toEqual(body);
    const again = await client.create(cm, { data: { a: 'b' } }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'cluster.conflict', context: { reason: 'AlreadyExists', resource: 'ConfigMap/openshift-config/registry-cas' } });
  });

  it("sends a core kind's body as given, keys its client-node model does not list included: the API server judges them", async () => {
    const client = await connect();
    const cm: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' };
    // KubernetesObjectApi's ObjectSerializer would drop `extra` (not in V1ConfigMap) without a word
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { a: 'b' }, extra: { typo: true } };
    await client.create(cm, body);
    expect(api.requests.at(-1)?.body).toEqual(body);
  });

  it('finds the URL of a kind regops does not know by discovery, one request per group-version', async () => {
    const job: ResourceRef = { apiVersion: 'batch/v1', kind: 'Job', name: 'prune', namespace: 'openshift-image-registry' };
    api.put('/apis/batch/v1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'batch/v1', resources: [{ name: 'cronjobs', kind: 'CronJob', namespaced: true }, { name: 'jobs', kind: 'Job', namespaced: true }] });
    api.put('/apis/batch/v1/namespaces/openshift-image-registry/jobs/prune', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'prune', namespace: 'openshift-image-registry' } });
    const client = await connect();
    expect(await client.get(job)).toMatchObject({ kind: 'Job', metadata: { name: 'prune' } });
    expect(await client.get({ ...job, name: 'other' })).toBeUndefined();
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /apis/batch/v1', 'GET /apis/batch/v1/namespaces/openshift-image-registry/jobs/prune', 'GET /apis/batch/v1/namespaces/openshift-image-registry/jobs/other']);
  });

  it('maps a kind the API server does not serve (a CRD not installed) to cluster.not-found', async () => {
    api.put('/apis/example.io/v1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'example.io/v1', resources: [] });
    const client = await connect();
    const error = await client.get({ apiVersion: 'example.io/v1', kind: 'Widget', name: 'w' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.not-found', message: expect.stringContaining('the API server does not serve this kind') });
  });

  const statusBody = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
  const failures = [
    {
      name: '422 Invalid carries the server message',
      answer: { status: 422, body: statusBody(422, 'Invalid', 'Config.imageregistry.operator.openshift.io "cluster" is invalid: spec.replicas: Invalid value: -1: must be >= 0') },
      expected: { code: 'cluster.invalid', message: 'cluster prod-eu-1: Config/cluster: patch rejected (Invalid): Config.imageregistry.operator.openshift.io "cluster" is invalid: spec.replicas: Invalid value: -1: must be >= 0' },
    },
    {
      name: '403 from a readonly token',
      answer: { status: 403, body: statusBody(403, 'Forbidden', 'configs.imageregistry.operator.openshift.io "cluster" is forbidden: User "readonly" cannot patch resource') },
      expected: { code: 'cluster.forbidden', message: expect.stringContaining('patch rejected (Forbidden): configs.imageregistry.operator.openshift.io "cluster" is forbidden') },
    },
    { name: '401', answer: { status: 401, body: statusBody(401, 'Unauthorized', 'Unauthorized') }, expected: { code: 'cluster.unauthorized' } },
    {
      name: '429 with Retry-After',
      answer: { status: 429, body: statusBody(429, 'TooManyRequests', 'Too many requests, please try again later.'), headers: { 'retry-after': '7' } },
      expected: { code: 'cluster.throttled', context: { retryAfterMs: 7000, status: 429 }, message: 'cluster prod-eu-1: Config/cluster: patch failed (TooManyRequests): Too many requests, please try again later.' },
    },
    {
      name: '503 with Retry-After',
      answer: { status: 503, body: statusBody(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'), headers: { 'retry-after': '2' } },
      expected: { code: 'cluster.server-error', context: { retryAfterMs: 2000 } },
    },
    { name: '500', answer: { status: 500, body: statusBody(500, 'InternalError', 'boom') }, expected: { code: 'cluster.server-error' } },
    { name: '504', answer: { status: 504, body: statusBody(504, 'Timeout', 'the server was unable to return a response in the time allotted') }, expected: { code: 'cluster.timeout' } },
    { name: 'a non-Status body', answer: { status: 502, body: 'upstream connect error' }, expected: { code: 'cluster.server-error', message: 'cluster prod-eu-1: Config/cluster: patch failed (BadGateway): upstream connect error' } },
  ];
  it.each(failures)('maps $name', async ({ answer, expected }) => {
    seedConfig();
    const client = await connect();
    api.failNext(answer);
    const error = await client.patch(config, { spec: { replicas: 3 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error).toMatchObject(expected);
  });

  it('maps a reset connection to cluster.unreachable', async () => {
    const client = await connect();
    api.failNext('reset');
    await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.unreachable', context: { network: 'ECONNRESET' } });
  });

  it('maps a refused connection to cluster.unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const client = await createKubeClusterClient('down-1', kubeConfigFor(`http://127.0.0.1:${port}`));
    const error = await client.get(config).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.unreachable', context: { cluster: 'down-1', network: 'ECONNREFUSED' } });
    expect((error as Error).message).toMatch(/^cluster down-1: Config\/cluster: read failed: unreachable \(ECONNREFUSED\)/);
  });

  it('maps a request with no answer within the timeout to cluster.unreachable', async () => {
    const silent = createHttpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = await createKubeClusterClient('slow-1', kubeConfigFor(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`), { requestTimeoutMs: 100 });
      await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.unreachable', context: { network: 'timeout' } });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('maps an answer that stalls mid-body to cluster.unreachable at the timeout', async () => {
    const stalling = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"kind":');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const client = await createKubeClusterClient('slow-2', kubeConfigFor(`http://127.0.0.1:${(stalling.address() as AddressInfo).port}`), { requestTimeoutMs: 100 });
      await expect(client.get(config)).rejects.toMatchObject({ code: 'cluster.unreachable', context: { cluster: 'slow-2', network: 'timeout' } });
    } finally {
      stalling.closeAllConnections();
      await new Promise<void>((resolve) => stalling.close(() => resolve()));
    }
  });

  it('follows a redirect on a GET as client-node (node-fetch) does', async () => {
    seedConfig();
    const client = await connect();
    api.failNext({ status: 307, body: '', headers: { location: configPath } });
    expect(await client.get(config)).toMatchObject({ kind: 'Config', metadata: { name: 'cluster' } });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${configPath}`, `GET ${configPath}`]);
    // node-fetch follows the redirect inside the one request client-node's middleware counts
    expect(client.requestCount).toEqual({ reads: 1, writes: 0 });
  });

  it('reads with the token of an exec credential plugin (kept on client-node, whose authenticator renews it)', async () => {
    seedConfig();
    // a real exec plugin: a node process printing an ExecCredential (client.authentication.k8s.io/v1)
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token' } });
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c1', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'u1', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`] } }],
      contexts: [{ name: 'c1', cluster: 'c1', user: 'u1' }],
      currentContext: 'c1',
    });
    const client = await createKubeClusterClient('exec-1', kc);
    expect(await client.get(config)).toMatchObject({ kind: 'Config' });
    expect(api.requests.at(-1)?.authorization).toBe('Bearer exec-token');
  });

  it('sends basic auth from the kubeconfig user', async () => {
    seedConfig();
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c1', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'u1', username: 'alice', password: 'pw', impersonateUser: 'system:admin' }],
      contexts: [{ name: 'c1', cluster: 'c1', user: 'u1' }],
      currentContext: 'c1',
    });
    const client = await createKubeClusterClient('basic-1', kc);
    await client.get(config);
    expect(api.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('alice:pw').toString('base64')}`);
  });

  it('reads objects of several clusters on one server through one shared agent and connection', async () => {
    seedConfig();
    const agents = new AgentCache();
    const clients = await Promise.all(['a-1', 'a-2', 'a-3'].map((name) => createKubeClusterClient(name, kubeConfigFor(api.url, `${name}-token`), { agents })));
    for (const client of clients) await client.get(config);
    expect(agents.size).toBe(1);
    expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer a-1-token', 'Bearer a-2-token', 'Bearer a-3-token']);
    expect(new Set(api.requests.map((r) => r.socketId)).size).toBe(1);
  });

  it('reuses one kept-alive connection for successive requests', async () => {
    seedConfig();
    const client = await connect();
    for (let i = 0; i < 4; i += 1) await client.get(config);
    expect(new Set(api.requests.map((r) => r.socketId)).size).toBe(1);
  });

  describe('Secrets', () => {
    const held = createSecretValue(secretValue);
    const values = new Map([[held.digest, held]]);

    it('returns data values as sha256 digests of the decoded value, and the last-applied annotation digested', async () => {
      const lastApplied = JSON.stringify({ data: { REGISTRY_STORAGE_S3_SECRETKEY: Buffer.from(secretValue).toString('base64') } });
      api.put(secretPath, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret.name, namespace: 'openshift-image-registry', resourceVersion: '4', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
        data: { REGISTRY_STORAGE_S3_SECRETKEY: Buffer.from(secretValue).toString('base64') },
      });
      const client = await connect();
      const live = await client.get(secret);
      expect(live?.['data']).toEqual({ REGISTRY_STORAGE_S3_SECRETKEY: held.digest });
      expect(JSON.stringify(live)).not.toContain(secretValue);
      expect(JSON.stringify(live)).not.toContain(Buffer.from(secretValue).toString('base64'));
    });

    it('writes the base64 of the value where the patch holds its digest, and answers digests', async () => {
      api.put(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret.name, namespace: 'openshift-image-registry', resourceVersion: '4' }, data: {} });
      const client = await connect();
      const answer = await client.patch(secret, { metadata: { resourceVersion: '4' }, data: { REGISTRY_STORAGE_S3_SECRETKEY: held.digest } }, { secretValues: values });
      expect(api.requests.at(-1)?.body).toMatchObject({ data: { REGISTRY_STORAGE_S3_SECRETKEY: Buffer.from(secretValue).toString('base64') } });
      expect(answer['data']).toEqual({ REGISTRY_STORAGE_S3_SECRETKEY: digestSecretBytes(secretValue) });
    });

    it('refuses to send a digest it holds no value for, before any request', async () => {
      const client = await connect();
      const error = await client.create(secret, { data: { KEY: digestSecretBytes('other') } }, { secretValues: values }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretError);
      expect(error).toMatchObject({ code: 'secret.unresolved' });
      expect(api.requests).toHaveLength(0);
    });

    it('never lets the value reach an error, its context, its cause or a log line', async () => {
      const client = await connect();
      const encoded = Buffer.from(secretValue).toString('base64');
      // a server echoing the submitted data back in its message (admission webhooks do such things)
      api.failNext({ status: 422, body: { kind: 'Status', code: 422, reason: 'Invalid', message: `data[KEY]: Invalid value: "${encoded}" (${secretValue})` } });
      const error = await client.create(secret, { data: { KEY: held.digest } }, { secretValues: values }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'cluster.invalid' });
      const printed = [String(error), inspect(error, { depth: 10 }), JSON.stringify(error), JSON.stringify((error as ClusterError).context), String((error as Error).cause), inspect(held), JSON.stringify({ held }), `${String(held)}`];
      for (const line of printed) {
        expect(line).not.toContain(secretValue);
        expect(line).not.toContain(encoded);
      }
      expect((error as Error).message).toContain(held.digest);
    });
  });
});
