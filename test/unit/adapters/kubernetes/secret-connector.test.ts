// SecretConnector: the connection secret's keys become the client's server and bearer token; a secret
// without them is refused without printing what it holds. The reader is an in-memory SecretDocumentReader.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEntry } from '../../../../functions/core/model.ts';
import type { SecretValue } from '../../../../functions/engine/ports.ts';
import { SecretError } from '../../../../functions/adapters/errors.ts';
import { SecretConnector, findConnectionSecretId } from '../../../../functions/adapters/kubernetes/secret-connector.ts';
import type { SecretDocumentReader } from '../../../../functions/adapters/kubernetes/secret-connector.ts';
import { createSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';
import { startFakeKubeApi } from '../support/fake-kube-api.ts';
import type { FakeKubeApi } from '../support/fake-kube-api.ts';

class MemoryReader implements SecretDocumentReader {
  readonly reads: string[] = [];
  constructor(private readonly documents: Record<string, Record<string, string>>) {}
  resolveDocument(id: string): Promise<ReadonlyMap<string, SecretValue>> {
    this.reads.push(id);
    const document = this.documents[id];
    if (document === undefined) return Promise.reject(new SecretError('secret.not-found', `secret secretsmanager ${id}: not found`, { secretId: id }));
    return Promise.resolve(new Map(Object.entries(document).map(([k, v]) => [k, createSecretValue(v)])));
  }
}

const entry = (name: string, secretId?: string): ClusterEntry => ({ name, labels: {}, connection: secretId === undefined ? {} : { secretId } });

describe('SecretConnector', () => {
  let api: FakeKubeApi;
  beforeAll(async () => {
    api = await startFakeKubeApi();
    api.put('/apis/imageregistry.operator.openshift.io/v1/configs/cluster', { kind: 'Config', metadata: { name: 'cluster' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('defaults the secret id to regops/clusters/<name>', () => {
    expect(findConnectionSecretId(entry('prod-eu-1'))).toBe('regops/clusters/prod-eu-1');
    expect(findConnectionSecretId(entry('prod-eu-1', 'custom/id'))).toBe('custom/id');
  });

  it('reads the default connection secret under the configured prefix (the stack\'s CLUSTER_SECRET_PREFIX)', async () => {
    expect(findConnectionSecretId(entry('prod-eu-1'), 'fleet-a/')).toBe('fleet-a/prod-eu-1');
    const reader = new MemoryReader({ 'fleet-a/lab-1': { server: 'https://127.0.0.1:1', token: 'conn-token-123456' } });
    await new SecretConnector(reader, { secretPrefix: 'fleet-a/' }).connect(entry('lab-1'));
    expect(reader.reads).toEqual(['fleet-a/lab-1']);
  });

  it('builds one client per cluster from one secret read', async () => {
    const reader = new MemoryReader({ 'regops/clusters/lab-1': { server: 'https://127.0.0.1:1', token: 'conn-token-123456' } });
    const connector = new SecretConnector(reader);
    const client = await connector.connect(entry('lab-1'));
    expect(client.cluster).toBe('lab-1');
    expect(await connector.connect(entry('lab-1'))).toBe(client);
    expect(reader.reads).toEqual(['regops/clusters/lab-1']);
  });

  it('refuses to send the token over plain HTTP', async () => {
    // the token and server path over HTTPS with caData are exercised against the sandbox (integration)
    const reader = new MemoryReader({ 'regops/clusters/lab-3': { server: api.url, token: 'conn-token-123456' } });
    const client = await new SecretConnector(reader).connect(entry('lab-3'));
    const before = api.requests.length;
    await expect(client.get({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' })).rejects.toMatchObject({
      code: 'cluster.invalid',
      message: expect.stringContaining('HTTP protocol is not allowed'),
    });
    expect(api.requests.length).toBe(before);
  });

  it('refuses a secret without server or token, naming the missing keys and no value', async () => {
    const reader = new MemoryReader({ 'regops/clusters/lab-2': { caData: 'LS0tLS1CRUdJTg==', token: 'leaky-token-value-42' } });
    const error = await new SecretConnector(reader).connect(entry('lab-2')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cluster.invalid', message: 'cluster lab-2: connection secret regops/clusters/lab-2 lacks server' });
    expect(inspect(error, { depth: 10 })).not.toContain('leaky-token-value-42');
  });

  it('passes the secret error through and retries on the next connect', async () => {
    const reader = new MemoryReader({});
    const connector = new SecretConnector(reader);
    await expect(connector.connect(entry('ghost-1'))).rejects.toMatchObject({ code: 'secret.not-found' });
    await expect(connector.connect(entry('ghost-1'))).rejects.toMatchObject({ code: 'secret.not-found' });
    expect(reader.reads).toEqual(['regops/clusters/ghost-1', 'regops/clusters/ghost-1']);
  });
});
