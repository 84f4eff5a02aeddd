// Choosing the kubeconfig context as kubectl would: KUBECONFIG lists merged (first file wins),
// context = connection.context ?? cluster name, clear errors; one client per cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEntry } from '../../../../functions/core/model.ts';
import { KubeconfigConnector } from '../../../../functions/adapters/kubernetes/kubeconfig-connector.ts';
import { startFakeKubeApi } from '../support/fake-kube-api.ts';
import type { FakeKubeApi } from '../support/fake-kube-api.ts';

function kubeconfig(entries: Array<{ context: string; cluster: string; server: string; token: string }>): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const e of entries) lines.push(`- name: ${e.cluster}`, '  cluster:', `    server: ${e.server}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const e of entries) lines.push(`- name: user-${e.context}`, '  user:', `    token: ${e.token}`);
  lines.push('contexts:');
  for (const e of entries) lines.push(`- name: ${e.context}`, '  context:', `    cluster: ${e.cluster}`, `    user: user-${e.context}`);
  return `${lines.join('\n')}\n`;
}

const entry = (name: string, context?: string): ClusterEntry => ({ name, labels: {}, connection: context === undefined ? {} : { context } });
const config = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };

describe('KubeconfigConnector', () => {
  let api: FakeKubeApi;
  let dir: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    api.put('/apis/imageregistry.operator.openshift.io/v1/configs/cluster', { kind: 'Config', metadata: { name: 'cluster' } });
    dir = mkdtempSync(join(tmpdir(), 'regops-kubeconfig-'));
    first = join(dir, 'first.yaml');
    second = join(dir, 'second.yaml');
    writeFileSync(first, kubeconfig([{ context: 'lab-1', cluster: 'c-lab-1', server: api.url, token: 'from-first' }]));
    writeFileSync(
      second,
      kubeconfig([
        { context: 'lab-1', cluster: 'c-lab-1-other', server: api.url, token: 'from-second' },
        { context: 'prod-admin', cluster: 'c-prod', server: api.url, token: 'prod-token' },
      ]),
    );
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    api.requests.length = 0;
  });

  it('uses the context named after the cluster, the first file winning in a KUBECONFIG list', async () => {
    const connector = new KubeconfigConnector({ kubeconfig: [first, second].join(delimiter) });
    const client = await connector.connect(entry('lab-1'));
    await client.get(config);
    expect(api.requests.at(-1)?.authorization).toBe('Bearer from-first');
  });

  it('uses connection.context when the fleet names one, from any file of the list', async () => {
    const connector = new KubeconfigConnector({ kubeconfig: [first, second].join(delimiter) });
    await (await connector.connect(entry('prod-eu-1', 'prod-admin'))).get(config);
    expect(api.requests.at(-1)?.authorization).toBe('Bearer prod-token');
  });

  it('builds one client per cluster', async () => {
    const connector = new KubeconfigConnector({ kubeconfig: first });
    expect(await connector.connect(entry('lab-1'))).toBe(await connector.connect(entry('lab-1')));
  });

  it('names the missing context and lists the known ones', async () => {
    const connector = new KubeconfigConnector({ kubeconfig: [first, second].join(delimiter) });
    await expect(connector.connect(entry('ghost-1'))).rejects.toMatchObject({
      code: 'cluster.invalid',
      message: expect.stringContaining('has no context "ghost-1" (known contexts: lab-1, prod-admin)'),
      context: { cluster: 'ghost-1', context: 'ghost-1' },
    });
  });

  it('refuses a file that is not a kubeconfig', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [unclosed\n');
    expect(() => new KubeconfigConnector({ kubeconfig: bad })).toThrow(/kubeconfig .*bad\.yaml: cannot be read/);
  });
});
