/**
 * Issue #13 item 3 through the real CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): a deny window over the prod wave (open
 * every hour for an hour, so always open) holds `regops rollout` before that wave with the time it may
 * start (earlier waves go on), `regops plan` says when each wave's window opens, and drift `enforce`
 * does not correct a prod cluster inside it (the drift is still reported). Without the window the same
 * steps roll out and correct.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

const run = promisify(execFile);
let target: CliTarget;
let work: string;
let kubeconfig: string;
let config: string;
let windowed: string;

const regops = runCli;

beforeAll(async () => {
  target = await startCliTarget('windows');
  ({ work, kubeconfig, config } = target);
  windowed = join(work, 'config');
  await cp(config, windowed, { recursive: true });
  const fleet = await readFile(join(windowed, 'fleet.yaml'), 'utf8');
  await writeFile(join(windowed, 'fleet.yaml'), `${fleet}  windows:\n    - {kind: deny, schedule: "@hourly", duration: 1h, waves: [prod]}\n`);
}, timeoutFor(60_000));

afterAll(async () => {
  await target?.stop();
});

describe('change windows', () => {
  it('plan says which waves are held and when they may start', async () => {
    const plan = await regops('plan', '--config', windowed, '--kubeconfig', kubeconfig);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/Change windows: wave canary open; wave main open; wave prod held \(deny window "@hourly" \(UTC, 1h\) is open until \S+\), may start at \d{4}-\d\d-\d\dT\d\d:00:00\.000Z\./);
  });

  it('rollout runs the waves the windows allow and halts before the held one, saying when it may start', async () => {
    const rollout = await regops('rollout', '--config', windowed, '--kubeconfig', kubeconfig, '--bake', '0s', '--timeout', '300s');
    expect(rollout.code).toBe(1);
    expect(rollout.stdout).toMatch(/Wave canary: succeeded/);
    expect(rollout.stdout).toMatch(/Wave main: succeeded/);
    expect(rollout.stdout).toMatch(/held by a change window: deny window "@hourly" \(UTC, 1h\) is open until \S+; the wave may start at \S+/);
    // the held wave itself says it, in the words of the page (core/report/describe-wave-gate.ts)
    expect(rollout.stdout).toMatch(/Wave prod: not-started \([^)]*\), held by a change window: deny window "@hourly" \(UTC, 1h\) is open until \S+; the wave may start at \d{4}-\d\d-\d\d \d\d:00 UTC\n/);
    expect(rollout.stdout).toContain('regops rollout --from-wave prod');
    const replicas = async (cluster: string) => ((await target.getObject(cluster, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' })) as { spec: { replicas?: number } }).spec.replicas;
    // prod-eu-1 never got Git's 3 replicas: the wave did not start
    expect(await replicas('prod-eu-1')).not.toBe(3);
    expect(await replicas('aws-main-1')).toBe(2);
  }, timeoutFor(120_000));

  it('drift enforce holds corrections inside a deny window, and corrects once the window is gone', async () => {
    // release prod outside the window (the plain config), then change it by hand
    expect((await regops('rollout', '--config', config, '--kubeconfig', kubeconfig, '--bake', '0s', '--timeout', '300s', '--from-wave', 'prod')).code).toBe(0);
    await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'prod-eu-1', 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type', 'merge', '-p', '{"spec":{"replicas":1}}']);
    const held = await regops('drift', '--config', windowed, '--kubeconfig', kubeconfig, '--cluster', 'prod-eu-1');
    expect(held.code).toBe(2);
    expect(held.stderr).toMatch(/not corrected: outside its change window: deny window "@hourly"/);
    expect(held.stdout).not.toContain('corrected (policy enforce)');
    const corrected = await regops('drift', '--config', config, '--kubeconfig', kubeconfig, '--cluster', 'prod-eu-1', '--timeout', '300s');
    expect(corrected.stdout).toContain('corrected (policy enforce): succeeded');
  }, timeoutFor(120_000));
});
