/**
 * Issue #13 item 5, through the real CLI against the fleet on the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): after config/ is rolled out,
 * `regops import` builds a repository from the live clusters (and from saved `kubectl get -o yaml`
 * dumps of them), and `regops plan` on that repository finds no change on any cluster. The imported
 * files hold no secret value, never a field the operator fills in, and a second import into the same
 * folder is refused without touching it.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

const run = promisify(execFile);
const clusters = ['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1'];
let target: CliTarget;
let work: string;
let kubeconfig: string;
let config: string;

const regops = runCli;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

beforeAll(async () => {
  target = await startCliTarget('import');
  ({ work, kubeconfig, config } = target);
  const rollout = await regops('rollout', '--config', config, '--kubeconfig', kubeconfig, '--bake', '0s', '--timeout', '300s');
  expect(rollout.code, rollout.stderr).toBe(0);
}, timeoutFor(120_000));

afterAll(async () => {
  await target?.stop();
});

describe('regops import', () => {
  it('builds a repository from the live fleet that plans with no change on every cluster', async () => {
    const out = join(work, 'imported');
    const imported = await regops('import', '--fleet', join(config, 'fleet.yaml'), '--kubeconfig', kubeconfig, '--out', out, '--buckets');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported into ${out}:`);
    const files = await listFiles(out);
    expect(files).toEqual(expect.arrayContaining(['fleet.yaml', 'base/registry.yaml', 'base/trusted-cas/mirror.acme.internal..5000.pem', 'clusters/lab-bm-1/storage.yaml']));
    // the fleet file is copied as the user wrote it (its groups made the layers)
    expect(await readFile(join(out, 'fleet.yaml'), 'utf8')).toBe(await readFile(join(config, 'fleet.yaml'), 'utf8'));
    expect(await readFile(join(out, 'base', 'trusted-cas', 'mirror.acme.internal..5000.pem'), 'utf8')).toBe(await readFile(join(config, 'base/trusted-cas/mirror.acme.internal..5000.pem'), 'utf8'));
    const storage = parse(await readFile(join(out, 'clusters', 'lab-bm-1', 'storage.yaml'), 'utf8')) as { spec: Record<string, unknown> };
    expect(storage.spec).toMatchObject({ s3: { bucket: 'acme-registry-lab-bm-1', region: 'us-east-1', tags: { team: 'platform', 'cost-center': '4711' } }, credentials: { secretsManager: { secretId: 'regops/lab-bm-1/registry-s3' } } });
    expect(imported.stderr).toContain('lab-bm-1: storage credentials: put accessKeyId, secretAccessKey into the Secrets Manager secret regops/lab-bm-1/registry-s3');

    const everything = (await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))).join('\n');
    for (const word of ['httpSecret', 'observedConfig', 'sha256:', 'REGISTRY_STORAGE', 'owned-fields', 'applied-commit']) expect(everything, word).not.toContain(word);

    expect((await regops('validate', '--config', out)).code).toBe(0);
    const plan = await regops('plan', '--config', out, '--kubeconfig', kubeconfig, '-o', 'json');
    expect(plan.code, plan.stdout).toBe(0);
    const report = JSON.parse(plan.stdout) as { clusters: Array<{ cluster: string; summary: { create: number; update: number; prune: number } }> };
    expect(report.clusters.map((c) => [c.cluster, c.summary.create + c.summary.update + c.summary.prune])).toEqual(clusters.map((c) => [c, 0]));
  }, timeoutFor(120_000));

  it('imports from saved `kubectl get -o yaml` dumps (--live-dir) without a fleet file, and that repository plans with no change', async () => {
    const dumps = join(work, 'dumps');
    for (const cluster of clusters) {
      await mkdir(join(dumps, cluster), { recursive: true });
      const kubectl = (args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, '--context', cluster, ...args, '-o', 'yaml'], { maxBuffer: 16 << 20 });
      const registry = await kubectl(['get', 'configs.imageregistry.operator.openshift.io/cluster', 'imagepruners.imageregistry.operator.openshift.io/cluster', 'images.config.openshift.io/cluster']);
      await writeFile(join(dumps, cluster, 'registry.yaml'), registry.stdout);
      const configMaps = await kubectl(['get', 'configmaps', '-n', 'openshift-config']);
      await writeFile(join(dumps, cluster, 'configmaps.yaml'), configMaps.stdout);
    }
    const out = join(work, 'imported-from-dumps');
    const imported = await regops('import', '--live-dir', dumps, '--out', out);
    expect(imported.code, imported.stderr).toBe(0);
    const fleet = parse(await readFile(join(out, 'fleet.yaml'), 'utf8')) as { spec: { clusters: Array<{ name: string }> } };
    expect(fleet.spec.clusters.map((c) => c.name)).toEqual(clusters);
    // no groups without a fleet file: shared values in base/, the rest per cluster
    expect((await listFiles(out)).filter((f) => f.startsWith('groups/'))).toEqual([]);
    const plan = await regops('plan', '--config', out, '--live-dir', dumps);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0);
  }, timeoutFor(120_000));

  it('refuses to write into a folder that is not empty, and fails whole when a cluster cannot be read', async () => {
    const out = join(work, 'imported');
    const before = await listFiles(out);
    const again = await regops('import', '--fleet', join(config, 'fleet.yaml'), '--kubeconfig', kubeconfig, '--out', out);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('the folder exists and is not empty') });
    expect(await listFiles(out)).toEqual(before);

    await target.setDown('prod-us-1', true);
    const fresh = join(work, 'never-written');
    const down = await regops('import', '--fleet', join(config, 'fleet.yaml'), '--kubeconfig', kubeconfig, '--out', fresh).finally(() => target.setDown('prod-us-1', false));
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/1 of 6 clusters could not be read; nothing was written:\n {2}cluster prod-us-1: /);
    await expect(readdir(fresh)).rejects.toThrow(/ENOENT/);
  }, timeoutFor(180_000));

  it('refuses options that are not import\'s, and requires --out', async () => {
    expect(await regops('import', '--fleet', join(config, 'fleet.yaml'), '--kubeconfig', kubeconfig)).toMatchObject({ code: 1, stderr: expect.stringContaining('--out DIR is required') });
    expect((await regops('import', '--out', join(work, 'x'), '--bake', '5m')).code).toBe(1);
  });
});
