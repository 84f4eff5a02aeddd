/**
 * The `regops` command line against the fleet of config/fleet.yaml on the target REGOPS_TEST_TARGET
 * names (the sandbox, or the real operator on the testbed: test/support/cli-target.ts), with the real
 * client-node, AWS SDK and file adapters: exit codes 0/2/1, -o json (regops/v1), --cluster and
 * --selector, --report-dir files, FILE:LINE:COL validation errors, a cluster that is down, and no
 * secret value in anything regops printed or wrote. Tests run in order on one fleet (the rollout changes it).
 */
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { startCliTarget, type CliTarget } from '../../support/cli-target.ts';
import { startGitHubStandIn } from '../../support/github-stand-in.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
let target: CliTarget;
let work: string;
let config: string;
let kube: string[];
// long enough for the real operator to roll a registry out on a loaded machine (the sandbox's takes 50 ms)
const gate = '300s';
const transcript: string[] = [];

async function regops(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  transcript.push(stdout, stderr);
  return { code, stdout, stderr };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

beforeAll(async () => {
  target = await startCliTarget('cli');
  ({ work, config } = target);
  kube = ['--config', config, '--kubeconfig', target.kubeconfig];
});

afterAll(async () => {
  await target?.stop();
});

const writesTo = async (cluster: string): Promise<number> => (await target.regopsRequests(cluster)).writes;
const liveConfig = async (cluster: string): Promise<{ spec: { managementState: string; replicas: number; storage: { s3?: { bucket: string } } & Record<string, unknown> } }> =>
  (await target.getObject(cluster, configRef)) as { spec: { managementState: string; replicas: number; storage: { s3?: { bucket: string } } & Record<string, unknown> } };

describe(`regops against the ${process.env['REGOPS_TEST_TARGET'] ?? 'sandbox'} fleet`, () => {
  it('prints usage for --help (exit 0) and refuses unknown commands and options (exit 1)', async () => {
    expect((await regops('--help'))).toMatchObject({ code: 0, stdout: expect.stringContaining('regops rollout') });
    expect(await regops('frobnicate')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^regops: unknown command frobnicate \(commands: validate, plan, apply, rollout, drift(, [a-z]+)+\) \(cli\.usage\)/) });
    expect(await regops('plan', '--frob')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^regops: plan: --frob is not an option of plan; plan takes --config/) });
    expect(await regops('plan', ...kube, '-o', 'yaml')).toMatchObject({ code: 1, stderr: expect.stringContaining('-o yaml: expected one of text, json, markdown') });
  });

  it('validates config/ (exit 0) and reports a broken copy as FILE:LINE:COL (exit 1)', async () => {
    expect(await regops('validate', '--config', config)).toMatchObject({ code: 0, stdout: expect.stringContaining(': valid: 6 clusters, 0 errors') });
    const json = await regops('validate', '--config', config, '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ apiVersion: 'regops/v1', kind: 'ValidationReport', summary: { clusters: 6, errors: 0 } });

    const broken = join(work, 'broken-config');
    await cp(config, broken, { recursive: true });
    const registry = await readFile(join(broken, 'base', 'registry.yaml'), 'utf8');
    const line = registry.split('\n').findIndex((l) => l.trim().startsWith('logLevel:')) + 1;
    expect(line).toBeGreaterThan(0);
    await writeFile(join(broken, 'base', 'registry.yaml'), registry.replace(/logLevel: \w+/, 'logLevel: Loud'));
    const result = await regops('validate', '--config', broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`base/registry\\.yaml:${line}:\\d+: error schema\\.enum`));
    const plan = await regops('plan', '--config', broken, '--kubeconfig', join(work, 'kubeconfig'));
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/base\/registry\.yaml:\d+:\d+: error/);
    expect(plan.stderr).toContain('(config.invalid)');
  });

  it('plans the fleet: exit 2 with changes, -o json regops/v1, --cluster and --selector', async () => {
    const all = await regops('plan', ...kube, '-o', 'json');
    expect(all.code).toBe(2);
    const report = JSON.parse(all.stdout) as { apiVersion: string; kind: string; clusters: Array<{ cluster: string }> };
    expect(report).toMatchObject({ apiVersion: 'regops/v1', kind: 'PlanReport' });
    expect(report.clusters.map((c) => c.cluster)).toEqual(['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1']);
    // progress says what planning found; `progressing` is the health gate's word, never a plan's
    expect(all.stderr).toMatch(/^ {2}prod-eu-1 +planned +\d+ to add, \d+ to change, \d+ to prune$/m);
    expect(all.stderr).not.toContain('progressing');

    const one = JSON.parse((await regops('plan', ...kube, '-o', 'json', '--cluster', 'prod-eu-1')).stdout) as typeof report;
    expect(one.clusters.map((c) => c.cluster)).toEqual(['prod-eu-1']);
    const prod = JSON.parse((await regops('plan', ...kube, '-o', 'json', '--selector', 'env=prod')).stdout) as typeof report;
    expect(prod.clusters.map((c) => c.cluster)).toEqual(['prod-eu-1', 'prod-us-1']);
    const both = JSON.parse((await regops('plan', ...kube, '-o', 'json', '--selector', 'env=prod,region=us-east-1')).stdout) as typeof report;
    expect(both.clusters.map((c) => c.cluster)).toEqual(['prod-us-1']);

    const markdown = await regops('plan', ...kube, '-o', 'markdown', '--cluster', 'lab-bm-1');
    expect(markdown).toMatchObject({ code: 2, stdout: expect.stringContaining('### regops plan for') });
    expect(await regops('plan', ...kube, '--cluster', 'prod-eu-2')).toMatchObject({ code: 1, stderr: expect.stringContaining('regops: cluster prod-eu-2: not in fleet.yaml') });
    expect(await writesTo('prod-eu-1')).toBe(0);
  });

  it('apply needs a selection, applies one cluster (exit 0), and a second plan finds nothing (exit 0)', async () => {
    expect(await regops('apply', ...kube)).toMatchObject({ code: 1, stderr: expect.stringContaining('apply: name the clusters') });
    const applied = await regops('apply', ...kube, '--cluster', 'aws-canary-1', '-o', 'json');
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ apiVersion: 'regops/v1', kind: 'RolloutReport', status: 'succeeded', waves: [{ name: 'apply', clusters: [{ cluster: 'aws-canary-1', outcome: 'succeeded' }] }] });
    const writes = await writesTo('aws-canary-1');
    expect(writes).toBeGreaterThan(0);
    expect(await regops('plan', ...kube, '--cluster', 'aws-canary-1')).toMatchObject({ code: 0 });
    expect(await regops('apply', ...kube, '--cluster', 'aws-canary-1')).toMatchObject({ code: 0 });
    expect(await writesTo('aws-canary-1')).toBe(writes);
  });

  it('rolls the fleet out in waves (bare metal bootstrapped to Managed on a regops bucket) and writes the reports', async () => {
    const reports = join(work, 'rollout-reports');
    const result = await regops('rollout', ...kube, '--bake', '0s', '--timeout', gate, '-o', 'json', '--report-dir', reports);
    const report = JSON.parse(result.stdout) as { status: string; waves: Array<{ name: string; status: string; clusters: Array<{ cluster: string; outcome: string }> }> };
    expect(result.code).toBe(0);
    expect(report.waves.map((w) => [w.name, w.status])).toEqual([['canary', 'succeeded'], ['main', 'succeeded'], ['prod', 'succeeded']]);
    expect(report.waves[0]?.clusters).toEqual(expect.arrayContaining([expect.objectContaining({ cluster: 'lab-bm-1', outcome: 'succeeded' })]));
    const metal = await liveConfig('lab-bm-1');
    expect(metal.spec.managementState).toBe('Managed');
    expect(metal.spec.storage.s3?.bucket).toBe('acme-registry-lab-bm-1');
    expect(await listFiles(reports)).toEqual(expect.arrayContaining(['latest/rollout.json', 'latest/rollout.md', 'latest/index.html']));
    expect(JSON.parse(await readFile(join(reports, 'latest', 'rollout.json'), 'utf8'))).toMatchObject({ apiVersion: 'regops/v1', kind: 'RolloutReport' });
    const again = await regops('plan', ...kube);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^ {2}lab-bm-1 +in-sync$/m);
  });

  it('drift: exit 0 in sync, 2 after an outside `oc patch` (inform), enforce corrects prod, reports written', async () => {
    expect(await regops('drift', ...kube)).toMatchObject({ code: 0 });
    await target.outsideWrite('aws-main-1', configRef, { spec: { replicas: 1 } });
    await target.outsideWrite('prod-us-1', configRef, { spec: { replicas: 1 } });
    const inform = await regops('drift', ...kube, '--no-enforce', '-o', 'json');
    expect(inform.code).toBe(2);
    const report = JSON.parse(inform.stdout) as { apiVersion: string; clusters: Array<{ cluster: string; state: string; resources: Array<{ changes: Array<{ path: string; before: unknown; after: unknown }> }> }> };
    expect(report.apiVersion).toBe('regops/v1');
    expect(inform.stderr).toMatch(/^ {2}aws-main-1 +drifted +1 field$/m);
    expect(inform.stderr).toMatch(/^ {2}prod-eu-1 +in-sync$/m);
    expect(inform.stderr).not.toContain('progressing');
    const main = report.clusters.find((c) => c.cluster === 'aws-main-1');
    expect(main?.state).toBe('drifted');
    expect(main?.resources[0]?.changes[0]).toMatchObject({ path: 'spec.replicas', before: 1 });

    const reports = join(work, 'drift-reports');
    const enforced = await regops('drift', ...kube, '--report-dir', reports, '--timeout', gate);
    expect(enforced.code).toBe(2);
    expect(enforced.stderr).toMatch(/^ {2}prod-us-1 +drifted +1 field; correcting \(policy enforce\)$/m);
    expect(enforced.stderr).toMatch(/^ {2}aws-main-1 +drifted +1 field$/m);
    expect(enforced.stdout).toContain('2 drifted (2 fields)');
    expect((await liveConfig('prod-us-1')).spec.replicas).toBe(3);
    expect((await liveConfig('aws-main-1')).spec.replicas).toBe(1);
    expect(await listFiles(reports)).toEqual(expect.arrayContaining(['latest/drift.json', 'latest/drift.md', 'latest/index.html']));
    expect((await listFiles(reports)).some((f) => /^history\/drift\/\d{4}\/\d{2}\/\d{2}\/.+\.json$/.test(f))).toBe(true);
  });

  it('reports a cluster that is down as unreachable (exit 1) and scans the others', async () => {
    await target.setDown('edge-vs-1', true);
    try {
      const result = await regops('drift', ...kube, '--no-enforce', '-o', 'json');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { clusters: Array<{ cluster: string; state: string }> };
      expect(report.clusters.find((c) => c.cluster === 'edge-vs-1')?.state).toBe('unreachable');
      expect(result.stderr).toMatch(/^ {2}edge-vs-1 +unreachable +cluster edge-vs-1/m);
      // while regops retries, the progress says so (an unreachable cluster used to print nothing for minutes)
      expect(result.stderr).toMatch(/^ {2}edge-vs-1 +retrying +cluster\.unreachable \(attempt 1 of 6, next in [\d.]+ s\): cluster edge-vs-1/m);
      expect(report.clusters.filter((c) => c.state !== 'unreachable')).toHaveLength(5);
    } finally {
      await target.setDown('edge-vs-1', false);
    }
  });

  it('apply exits 1 when one of its clusters failed, and the summary names it (issue #10 item 2)', async () => {
    await target.setDown('edge-vs-1', true);
    try {
      const result = await regops('apply', ...kube, '--cluster', 'edge-vs-1', '--cluster', 'aws-canary-1');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^Wave apply: failed \(2 clusters/m);
      expect(result.stdout).toMatch(/^ {2}aws-canary-1 +unchanged/m);
      expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^1 cluster failed: edge-vs-1 at (connect|plan)\.$/);
      const json = await regops('apply', ...kube, '--cluster', 'edge-vs-1', '-o', 'json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'failed', waves: [{ name: 'apply', status: 'failed', clusters: [{ cluster: 'edge-vs-1', outcome: 'failed' }] }] });
    } finally {
      await target.setDown('edge-vs-1', false);
    }
  });

  it('a cluster whose certificate is not trusted fails at once as cluster.tls, without retries (issue #10, Low)', async () => {
    // the same clusters, but the kubeconfig trusts another CA (test/fixtures/cas/valid.pem)
    const kubeconfig = await readFile(target.kubeconfig, 'utf8');
    const otherCa = Buffer.from(await readFile('test/fixtures/cas/valid.pem', 'utf8')).toString('base64');
    const wrongCa = join(work, 'kubeconfig-wrong-ca');
    await writeFile(wrongCa, kubeconfig.replace(/certificate-authority-data: .*/g, `certificate-authority-data: ${otherCa}`));
    const result = await regops('plan', '--config', config, '--kubeconfig', wrongCa, '--cluster', 'aws-canary-1', '-o', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { clusters: Array<{ error?: { code: string; message: string } }> };
    expect(report.clusters[0]?.error).toMatchObject({ code: 'cluster.tls', message: expect.stringMatching(/^cluster aws-canary-1: .*the server's TLS certificate was not accepted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/) });
    // one attempt: every retry prints a `retrying` progress line (as edge-vs-1's do above); a wall-clock
    // bound (under 1.5 s) said the same until a loaded machine took longer than that for one attempt
    expect(result.stderr).not.toContain('retrying');
  });

  it('drift reports a cluster whose plan has errors as error (exit 1), never in sync, in JSON, text and the page (issue #10 item 10)', async () => {
    // someone moved lab-bm-1's registry to a PVC by hand: Git's S3 storage would now be a storage
    // backend change on a live registry, which the plan refuses (plan.destructive-storage-change,
    // core/destructive.ts), marking every write skipped. Before the fix drift called that in sync.
    const before = (await liveConfig('lab-bm-1')).spec.storage;
    await target.outsideWrite('lab-bm-1', configRef, { spec: { storage: { s3: null, pvc: { claim: 'registry-by-hand' } } } });
    try {
      const args = [...kube, '--cluster', 'lab-bm-1', '--cluster', 'aws-canary-1'];
      const writes = await writesTo('lab-bm-1');
      const plan = await regops('plan', ...args);
      expect(plan.code).toBe(1);
      expect(plan.stdout).toContain('plan.destructive-storage-change');

      const reports = join(work, 'drift-error-reports');
      const drift = await regops('drift', ...args, '-o', 'json', '--report-dir', reports);
      expect(drift.code).toBe(1);
      const report = JSON.parse(drift.stdout) as { summary: Record<string, number>; clusters: Array<{ cluster: string; state: string; error?: { code: string; message: string } }> };
      expect(report.clusters.find((c) => c.cluster === 'lab-bm-1')).toMatchObject({ state: 'error', error: { code: 'plan.refused', message: expect.stringContaining('plan.destructive-storage-change') } });
      expect(report.clusters.find((c) => c.cluster === 'aws-canary-1')?.state).toBe('in-sync');
      expect(report.summary).toMatchObject({ 'in-sync': 1, error: 1 });
      expect(drift.stderr).toMatch(/^ {2}lab-bm-1 +failed +plan has \d+ errors?: plan\.destructive-storage-change/m);
      const text = await regops('drift', ...args, '--no-enforce');
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^lab-bm-1 +error /m);
      expect(text.stdout).toContain('1 with plan errors');
      expect(await readFile(join(reports, 'latest', 'drift.md'), 'utf8')).toMatch(/\| `lab-bm-1` \| error \|/);
      expect(await readFile(join(reports, 'latest', 'index.html'), 'utf8')).toMatch(/class="t s-error"/);
      // never corrected, whatever the policy: nothing of a refused plan is applied
      expect(await writesTo('lab-bm-1')).toBe(writes);
    } finally {
      await target.outsideWrite('lab-bm-1', configRef, { spec: { storage: { pvc: null, ...before } } });
    }
  });

  it('reads the config from GitHub at a commit (--github owner/repo@sha) through the same commands', async () => {
    const github = await startGitHubStandIn();
    try {
      const files: Record<string, string> = {};
      for (const file of await listFiles(config)) files[file] = await readFile(join(config, file), 'utf8');
      const sha = github.addCommit('acme', 'fleet-config', files);
      process.env['GITHUB_API_URL'] = github.url;
      const validated = await regops('validate', '--github', `acme/fleet-config@${sha}`, '-o', 'json');
      expect(validated.code).toBe(0);
      expect(JSON.parse(validated.stdout)).toMatchObject({ commit: sha, summary: { clusters: 6, errors: 0 } });
      const planned = await regops('plan', '--github', `acme/fleet-config@${sha}`, '--kubeconfig', target.kubeconfig, '--cluster', 'aws-canary-1', '-o', 'json');
      expect(planned.code).toBe(0);
      expect(JSON.parse(planned.stdout)).toMatchObject({ kind: 'PlanReport', commit: sha });
    } finally {
      delete process.env['GITHUB_API_URL'];
      await github.stop();
    }
  });

  it('plans and scans drift offline from saved `oc get -o yaml` output (--live-dir), touching no cluster', async () => {
    const live = join(work, 'live');
    for (const [cluster, files] of [['lab-bm-1', ['baremetal-config-removed.yaml', 'pruner-bootstrapped.yaml', 'image-config.yaml']], ['aws-canary-1', ['aws-config-bootstrapped.yaml', 'pruner-bootstrapped.yaml', 'image-config.yaml']]] as const) {
      await mkdir(join(live, cluster), { recursive: true });
      for (const file of files) await cp(join('test/fixtures/live-objects', file), join(live, cluster, file));
    }
    const clusters = ['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1'];
    const kubeTotal = async (): Promise<number> => (await Promise.all(clusters.map((c) => target.regopsRequests(c)))).reduce((n, c) => n + c.reads + c.writes, 0);
    const kubeBefore = await kubeTotal();
    const planned = await regops('plan', '--config', config, '--live-dir', live, '--cluster', 'lab-bm-1', '--cluster', 'aws-canary-1', '-o', 'json');
    expect(planned.code).toBe(2);
    const report = JSON.parse(planned.stdout) as { clusters: Array<{ cluster: string; summary: { create: number; update: number } }> };
    expect(report.clusters.map((c) => c.cluster)).toEqual(['aws-canary-1', 'lab-bm-1']);
    expect(report.clusters.every((c) => c.summary.create + c.summary.update > 0)).toBe(true);
    const drift = await regops('drift', '--config', config, '--live-dir', live, '--cluster', 'aws-canary-1', '-o', 'json');
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout)).toMatchObject({ clusters: [{ cluster: 'aws-canary-1', state: 'drifted' }] });
    // only the AWS endpoints (Secrets Manager, S3 inspect) were asked; no cluster's Kubernetes API
    expect(await kubeTotal()).toBe(kubeBefore);
  });

  it('refuses to apply from saved state (--live-dir is for plan and drift)', async () => {
    expect(await regops('rollout', '--config', config, '--live-dir', work)).toMatchObject({ code: 1, stderr: expect.stringContaining('--live-dir') });
  });

  it('never printed or wrote a secret value', async () => {
    const secret = (await target.getObject('lab-bm-1', { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' })) as { data: Record<string, string> };
    const values = Object.values(secret.data).map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
    expect(values.length).toBe(2);
    const files = [...(await listFiles(join(work, 'rollout-reports'))).map((f) => join(work, 'rollout-reports', f)), ...(await listFiles(join(work, 'drift-reports'))).map((f) => join(work, 'drift-reports', f))];
    const everything = [...transcript, ...(await Promise.all(files.map((f) => readFile(f, 'utf8'))))].join('\n');
    for (const value of values) {
      expect(value.length).toBeGreaterThan(8);
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});
