/**
 * Issue #13 item 4 through the real CLI and the real kubectl against the target REGOPS_TEST_TARGET
 * names (test/support/cli-target.ts): after a rollout,
 * a hand `kubectl patch` of the Config is found by `regops drift`, which names the writer and time
 * from managedFields (kubectl's own field manager, `kubectl-patch`) in text, JSON, Markdown and the
 * HTML page.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

const run = promisify(execFile);
let target: CliTarget;
let work: string;
let kubeconfig: string;
let config: string;

const regops = runCli;

beforeAll(async () => {
  target = await startCliTarget('who');
  ({ work, kubeconfig, config } = target);
  const rollout = await regops('rollout', '--config', config, '--kubeconfig', kubeconfig, '--bake', '0s', '--timeout', '300s', '--cluster', 'prod-eu-1');
  expect(rollout.code, rollout.stderr).toBe(0);
}, timeoutFor(120_000));

afterAll(async () => {
  await target?.stop();
});

describe('drift names who changed a field', () => {
  it('a hand kubectl patch is reported with kubectl-patch and its time in text, JSON, Markdown and the page', async () => {
    const before = new Date();
    await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'prod-eu-1', 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type', 'merge', '-p', '{"spec":{"replicas":1}}']);

    const text = await regops('drift', '--config', config, '--kubeconfig', kubeconfig, '--cluster', 'prod-eu-1', '--no-enforce');
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/Config\/cluster spec\.replicas: git 3, live 1 \(changed by kubectl-patch \(Update\), \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);

    const reports = join(work, 'reports');
    const json = await regops('drift', '--config', config, '--kubeconfig', kubeconfig, '--cluster', 'prod-eu-1', '--no-enforce', '-o', 'json', '--report-dir', reports);
    const report = JSON.parse(json.stdout) as { clusters: Array<{ resources: Array<{ changes: Array<{ path: string; writer?: { manager: string; operation: string; time?: string } }> }> }> };
    const change = report.clusters[0]?.resources.flatMap((r) => r.changes).find((c) => c.path === 'spec.replicas');
    expect(change?.writer).toMatchObject({ manager: 'kubectl-patch', operation: 'Update' });
    // the API server stamps the write's time (whole seconds)
    expect(Date.parse(change?.writer?.time ?? '')).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);

    expect(await readFile(join(reports, 'latest', 'drift.md'), 'utf8')).toMatch(/\| `spec\.replicas` \| `3` \| `1` \| kubectl-patch \(Update\), /);
    expect(await readFile(join(reports, 'latest', 'index.html'), 'utf8')).toContain('by kubectl-patch (Update), ');
  }, timeoutFor(120_000));
});
