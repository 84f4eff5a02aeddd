import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';

// The sandbox API on the wire (raw HTTPS, no client library): status codes and Status bodies for
// the paths the clients above do not take.

let sandbox: Sandbox;
const cluster = 'sbx-0001';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function call(method: string, path: string, options: { body?: unknown; contentType?: string; token?: string | null; accept?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    const token = options.token === undefined ? sandbox.token(cluster) : options.token;
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    if (options.contentType !== undefined) headers['Content-Type'] = options.contentType;
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    // node sends a DELETE body without framing unless Content-Length is set
    if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    const req = request(`${sandbox.clusterUrl(cluster)}${path}`, { method, ca: sandbox.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

beforeAll(async () => {
  sandbox = await startSandbox({ clusters: 1, progressingMs: 50 });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('the sandbox API on the wire', () => {
  it.each([
    ['no token', 'GET', '/api/v1/namespaces', { token: null }, 401, 'Unauthorized'],
    ['an unknown resource', 'GET', '/apis/imageregistry.operator.openshift.io/v1/widgets', {}, 404, 'NotFound'],
    ['an unknown group', 'GET', '/apis/example.com/v1/things', {}, 404, 'NotFound'],
    ['PUT on a collection', 'PUT', '/api/v1/namespaces', { body: {}, contentType: 'application/json' }, 405, 'MethodNotAllowed'],
    ['a YAML body', 'POST', '/api/v1/namespaces', { body: 'kind: Namespace', contentType: 'application/yaml' }, 415, 'UnsupportedMediaType'],
    ['broken JSON', 'POST', '/api/v1/namespaces', { body: '{', contentType: 'application/json' }, 400, 'BadRequest'],
    ['a status subresource of a core kind', 'GET', '/api/v1/namespaces/default/configmaps/x/status', {}, 404, 'NotFound'],
  ] as const)('%s → %s %s', async (_name, method, path, options, status, reason) => {
    const reply = await call(method, path, options);
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code: status });
  });

  it('/version needs no token (the kubectl dispatcher asks it first)', async () => {
    const reply = await call('GET', '/version', { token: null });
    expect(reply.status).toBe(200);
    expect(reply.body['gitVersion']).toMatch(/^v1\.32\./);
  });

  it('PATCH on the status subresource changes status only, without a generation bump', async () => {
    const before = (await call('GET', configPath)).body as { metadata: { generation: number }; spec: { replicas: number } };
    const reply = await call('PATCH', `${configPath}/status`, { body: { spec: { replicas: 7 }, status: { readyReplicas: 42 } }, contentType: 'application/merge-patch+json' });
    expect(reply.status).toBe(200);
    const after = reply.body as { metadata: { generation: number }; spec: { replicas: number }; status: { readyReplicas: number } };
    expect(after.status.readyReplicas).toBe(42);
    expect(after.spec.replicas).toBe(before.spec.replicas);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('create with dryRun=All answers 201 and persists nothing', async () => {
    const reply = await call('POST', '/api/v1/namespaces/openshift-config/configmaps?dryRun=All', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: 'b' } }, contentType: 'application/json' });
    expect(reply.status).toBe(201);
    expect((reply.body['metadata'] as Record<string, unknown>)['resourceVersion']).toBeUndefined();
    expect((await call('GET', '/api/v1/namespaces/openshift-config/configmaps/dry')).status).toBe(404);
  });

  it('delete answers a Success Status; deleting again is NotFound', async () => {
    await call('POST', '/api/v1/namespaces/openshift-config/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } }, contentType: 'application/json' });
    const deleted = await call('DELETE', '/api/v1/namespaces/openshift-config/configmaps/gone', { body: { propagationPolicy: 'Background' }, contentType: 'application/json' });
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'gone', kind: 'configmaps' } });
    const again = await call('DELETE', '/api/v1/namespaces/openshift-config/configmaps/gone');
    expect(again.body).toMatchObject({ code: 404, message: 'configmaps "gone" not found' });
  });

  it('DELETE on a collection removes the objects the label selector matches (deletecollection)', async () => {
    for (const [name, team] of [['dc-1', 'a'], ['dc-2', 'b']] as const) {
      await call('POST', '/api/v1/namespaces/openshift-config/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { team } } }, contentType: 'application/json' });
    }
    const reply = await call('DELETE', '/api/v1/namespaces/openshift-config/configmaps?labelSelector=team%3Da');
    expect(reply.body).toMatchObject({ kind: 'ConfigMapList', items: [{ metadata: { name: 'dc-1' } }] });
    expect((await call('GET', '/api/v1/namespaces/openshift-config/configmaps/dc-1')).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/openshift-config/configmaps/dc-2')).status).toBe(200);
  });

  it('unknown fields without fieldValidation are pruned with a Warning header (Warn is the default)', async () => {
    const reply = await call('PATCH', configPath, { body: { spec: { colour: 'blue' } }, contentType: 'application/merge-patch+json' });
    expect(reply.status).toBe(200);
    expect(reply.headers['warning']).toBe('299 - "unknown field \\"spec.colour\\""');
    expect((reply.body['spec'] as Record<string, unknown>)['colour']).toBeUndefined();
  });

  it('an invalid JSON patch operation is 422', async () => {
    const reply = await call('PATCH', configPath, { body: [{ op: 'remove', path: '/spec/nothing' }], contentType: 'application/json-patch+json' });
    expect(reply.status).toBe(422);
  });

  // watch=True is the Python client's spelling; the apiserver parses it with strconv.ParseBool (issue 11)
  it.each(['true', 'True'])('a watch (watch=%s) replays changes after the resourceVersion it resumes from', async (spelling) => {
    const list = await call('GET', '/api/v1/namespaces/openshift-config/configmaps');
    const resourceVersion = (list.body['metadata'] as { resourceVersion: string }).resourceVersion;
    await call('POST', '/api/v1/namespaces/openshift-config/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `watched-${spelling === 'true' ? 'go' : 'python'}` } }, contentType: 'application/json' });
    const events = await new Promise<string>((resolve, reject) => {
      const req = request(`${sandbox.clusterUrl(cluster)}/api/v1/namespaces/openshift-config/configmaps?watch=${spelling}&resourceVersion=${resourceVersion}&timeoutSeconds=1`, { ca: sandbox.caPem, headers: { Authorization: `Bearer ${sandbox.token(cluster)}` } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    const lines = events.trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    expect(lines.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([`ADDED watched-${spelling === 'true' ? 'go' : 'python'}`]);
  });
});
