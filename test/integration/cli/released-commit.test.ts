/**
 * Issue #10 item 4 through the real `regops` CLI against the fleet on the target REGOPS_TEST_TARGET
 * names (test/support/cli-target.ts): drift `enforce`
 * restores what the last *completed* rollout released, never the commit a halted rollout left at
 * the branch head; a rollout and a drift scan never run on the fleet at once (the fleet lease, here
 * the CLI's default local state beside the kubeconfig, with a second regops process holding it).
 */
import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
let target: CliTarget;
let work: string;
let config: string;
let kube: string[];
let childEnv: NodeJS.ProcessEnv;

const regops = runCli;

type LiveConfig = { metadata: { annotations?: Record<string, string> }; spec: { logLevel?: string; replicas?: number } };
async function liveConfig(cluster: string): Promise<LiveConfig> {
  return (await target.getObject(cluster, configRef)) as LiveConfig;
}

/** `regops` as its own process (bin/regops.mjs), for a second holder of the fleet lease. */
function spawnRegops(argv: string[]): { exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/regops.mjs', ...argv], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return { exited: new Promise((done) => child.on('exit', (code) => done({ code, stderr }))) };
}

async function readLease(): Promise<{ holder?: string; purpose?: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(work, 'regops-state', 'leases', 'fleet.json'), 'utf8')) as { holder?: string; purpose?: string };
  } catch {
    return undefined; // not written yet
  }
}

beforeAll(async () => {
  target = await startCliTarget('release');
  work = target.work;
  config = join(work, 'config');
  await cp(target.config, config, { recursive: true });
  delete process.env['REGOPS_STATE_DIR'];
  delete process.env['REGOPS_STATE_BUCKET'];
  // startCliTarget set the CLI's AWS environment in process.env
  childEnv = { ...process.env };
  // the AWS clusters only: what is pinned here is the release and the lease, not bootstrapping storage
  kube = ['--config', config, '--kubeconfig', target.kubeconfig, '--selector', 'platform=aws'];
});

afterAll(async () => {
  await target?.stop();
});

describe('drift enforce restores the released commit; one of rollout and drift at a time', () => {
  let released = '';

  it('a completed rollout records its commit; drift then finds the fleet in sync', async () => {
    const rollout = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '300s', '-o', 'json');
    expect(rollout.code).toBe(0);
    released = (JSON.parse(rollout.stdout) as { commit: string }).commit;
    const record = JSON.parse(await readFile(join(work, 'regops-state', 'releases', 'record.json'), 'utf8')) as { commit: string; clusters: Record<string, { commit: string; digest: string }> };
    expect(record.commit).toBe(released);
    expect(Object.keys(record.clusters).sort()).toEqual(['aws-canary-1', 'aws-main-1', 'prod-eu-1', 'prod-us-1']);
    expect(record.clusters['prod-eu-1']?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await readLease())?.holder).toBeUndefined();
    expect(await regops('drift', ...kube)).toMatchObject({ code: 0 });
  }, timeoutFor(180_000));

  it('after a rollout halted at the canary, drift enforce leaves prod at the released commit and restores it there', async () => {
    const registry = join(config, 'base', 'registry.yaml');
    await writeFile(registry, (await readFile(registry, 'utf8')).replace('logLevel: Normal', 'logLevel: Debug'));
    await target.setDown('aws-canary-1', true);
    let halted;
    try {
      halted = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '20s', '-o', 'json');
    } finally {
      await target.setDown('aws-canary-1', false);
    }
    expect(halted.code).toBe(1);
    const report = JSON.parse(halted.stdout) as { commit: string; halted?: { wave: string } };
    expect(report.halted?.wave).toBe('canary');
    expect(report.commit).not.toBe(released);
    expect((await liveConfig('prod-eu-1')).spec.logLevel).toBe('Normal');

    // prod (policy enforce) is in sync with what was released: the halted commit is not drift to "correct"
    const scan = await regops('drift', ...kube, '-o', 'json');
    const drift = JSON.parse(scan.stdout) as { clusters: Array<{ cluster: string; state: string; corrected?: unknown }> };
    expect(drift.clusters.find((c) => c.cluster === 'prod-eu-1')).toMatchObject({ state: 'in-sync' });
    expect(drift.clusters.some((c) => c.corrected !== undefined)).toBe(false);
    expect((await liveConfig('prod-eu-1')).spec.logLevel).toBe('Normal');

    // an outside change on prod is corrected back to the released values, still not to the head's
    await target.outsideWrite('prod-eu-1', configRef, { spec: { replicas: 1, logLevel: 'Trace' } });
    const enforced = await regops('drift', ...kube, '-o', 'json', '--timeout', '300s');
    expect(enforced.code).toBe(2);
    const after = JSON.parse(enforced.stdout) as { clusters: Array<{ cluster: string; state: string; corrected?: { outcome: string } }> };
    expect(after.clusters.find((c) => c.cluster === 'prod-eu-1')).toMatchObject({ state: 'drifted', corrected: { outcome: 'succeeded' } });
    const prod = await liveConfig('prod-eu-1');
    expect(prod.spec).toMatchObject({ replicas: 3, logLevel: 'Normal' });
    expect(prod.metadata.annotations?.['regops.io/applied-commit']).toBe(released);
  }, timeoutFor(180_000));

  it('a drift scan started while another regops process rolls out is refused (exit 1), naming the holder', async () => {
    // the rollout bakes 4s after each wave that changed something: the lease is held throughout
    const rollout = spawnRegops(['rollout', ...kube, '--bake', '4s', '--timeout', '300s']);
    let lease = await readLease();
    for (let i = 0; i < 400 && lease?.purpose !== 'rollout'; i += 1) {
      await new Promise((done) => setTimeout(done, 50));
      lease = await readLease();
    }
    expect(lease?.holder).toMatch(/^cli:[^:]+:\d+:[0-9a-f]{8}$/);
    const refused = await regops('drift', ...kube);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^regops: fleet lease .*leases\/fleet\.json: held by rollout cli:[^ ]+ \(commit [^)]+\) since \d{4}-\d\d-\d\dT[^ ]+ \(expires [^)]+\); drift .* not started\. Wait for it to finish, or, if that run is gone, delete .*fleet\.json \(lease\.held\)$/m);
    const done = await rollout.exited;
    expect(done.stderr).not.toContain('lease.held');
    expect(done.code).toBe(0);
    // the lease is free again: drift runs, now against the newly released commit
    expect(await regops('drift', ...kube)).toMatchObject({ code: 0 });
    expect((await liveConfig('prod-eu-1')).spec.logLevel).toBe('Debug');
  }, timeoutFor(180_000));
});
