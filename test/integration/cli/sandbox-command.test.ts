/**
 * `regops sandbox up` as a user runs it (bin/regops.mjs in its own process): it prints where the
 * clusters are, writes a kubeconfig with one context per cluster, serves until `regops sandbox down`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

const bin = resolve('bin/regops.mjs');

/** Starts `regops sandbox up ARGS` in cwd and resolves once it printed where the clusters are. */
async function startUp(cwd: string, args: string[]): Promise<{ lines: string[]; exited: Promise<number | null> }> {
  const up = spawn(process.execPath, [bin, 'sandbox', 'up', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((done) => up.once('exit', done));
  await new Promise<void>((done, fail) => {
    createInterface({ input: up.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Ctrl-C')) done();
    });
    up.once('exit', (code) => fail(new Error(`sandbox up exited ${String(code)}: ${lines.join('\n')}`)));
  });
  return { lines, exited };
}

describe('regops sandbox', () => {
  it('up serves a generated fleet and writes its kubeconfig; down stops it (exit 0)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'regops-sandbox-cmd-'));
    const { lines, exited } = await startUp(cwd, ['--clusters', '3', '--kubeconfig', 'fleet.kubeconfig']);
    expect(lines[0]).toMatch(/^regops sandbox: 3 clusters at https:\/\/127\.0\.0\.1:\d+\/clusters\/<name>$/);
    expect(lines.slice(1, 4).map((l) => l.trim())).toEqual(['sbx-0001', 'sbx-0002', 'sbx-0003']);
    const kubeconfig = await readFile(join(cwd, 'fleet.kubeconfig'), 'utf8');
    for (const name of ['sbx-0001', 'sbx-0002', 'sbx-0003']) expect(kubeconfig).toContain(`name: ${name}`);

    // the control endpoints need the admin token, recorded for this user only
    const stateFile = join(cwd, '.regops', 'sandbox.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { url: string; caFile: string; adminToken: string };
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const anonymous = await new Promise<number>((done, fail) => {
      const req = httpsRequest(`${state.url}/_sandbox/shutdown`, { method: 'POST', ca: readFileSync(state.caFile) }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end();
    });
    expect(anonymous).toBe(401);

    const down = spawnSync(process.execPath, [bin, 'sandbox', 'down'], { cwd, encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/^regops sandbox: stopped https:\/\/127\.0\.0\.1:\d+/);
    expect(await exited).toBe(0);
  });

  it('up --seed-dir starts a cluster from a saved `oc get -o yaml` dump instead of the bootstrap', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'regops-sandbox-seed-'));
    await mkdir(join(cwd, 'seed', 'sbx-0001'), { recursive: true });
    // the shape `oc get configs.imageregistry.operator.openshift.io cluster -o yaml` prints (trimmed)
    await writeFile(join(cwd, 'seed', 'sbx-0001', 'config.yaml'), [
      'apiVersion: imageregistry.operator.openshift.io/v1',
      'kind: Config',
      'metadata:',
      '  name: cluster',
      'spec:',
      '  managementState: Managed',
      '  replicas: 7',
      '  rolloutStrategy: RollingUpdate',
      '  storage:',
      '    managementState: Managed',
      '    emptyDir: {}',
      '',
    ].join('\n'));
    const { exited } = await startUp(cwd, ['--clusters', '1', '--kubeconfig', 'fleet.kubeconfig', '--seed-dir', 'seed']);
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(join(cwd, 'fleet.kubeconfig'));
      kubeConfig.setCurrentContext('sbx-0001');
      const config = (await kubeConfig.makeApiClient(CustomObjectsApi).getClusterCustomObject({ group: 'imageregistry.operator.openshift.io', version: 'v1', plural: 'configs', name: 'cluster' })) as { spec: { replicas: number; storage: Record<string, unknown> } };
      expect(config.spec.replicas).toBe(7);
      expect(Object.keys(config.spec.storage).sort()).toEqual(['emptyDir', 'managementState']);
    } finally {
      expect(spawnSync(process.execPath, [bin, 'sandbox', 'down'], { cwd, encoding: 'utf8' }).status).toBe(0);
    }
    expect(await exited).toBe(0);
  });
});
