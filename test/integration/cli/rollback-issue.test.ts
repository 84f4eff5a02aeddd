/**
 * A rollback that itself fails (issue 13 item 1) through the real `regops rollout`: the canary's
 * registry is kept from becoming healthy by something regops does not own (someone set a
 * nodeSelector no node matches on the live Config, a field Git does not set), so the wave fails at
 * the health gate and the restore fails at it too. With `--github OWNER/REPO` regops opens one
 * issue in that repository (the GitHub stand-in) through the same publisher as the AWS publish
 * step; without a GitHub connection stderr says loudly that no issue was opened. Exit 1 both times.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { installReviewRoutes, type ReviewState } from '../../support/github/review-routes.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
let target: CliTarget;
let config: string;
let github: GitHubStandIn;
let review: ReviewState;
let kube: string[];
let released: string;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The config folder as a commit in the GitHub stand-in. */
async function commitConfig(): Promise<string> {
  const files: Record<string, string> = {};
  for (const file of await listFiles(config)) files[file] = await readFile(join(config, file), 'utf8');
  return github.addCommit('acme', 'fleet', files);
}

/** A change every cluster takes (aws-canary-1 sets its own logLevel): spec.requests.read.maxWaitInQueue. */
async function setReadWait(wait: string): Promise<void> {
  const registry = join(config, 'base', 'registry.yaml');
  await writeFile(registry, (await readFile(registry, 'utf8')).replace(/read:\n {6}maxWaitInQueue: \w+/, `read:\n      maxWaitInQueue: ${wait}`));
}

beforeAll(async () => {
  target = await startCliTarget('rollback-issue');
  config = join(target.work, 'config');
  await cp(target.config, config, { recursive: true });
  const fleet = join(config, 'fleet.yaml');
  await writeFile(fleet, (await readFile(fleet, 'utf8')).replace('      bakeTime: 30s\n', '      bakeTime: 30s\n      rollback: automatic\n'));
  delete process.env['REGOPS_STATE_DIR'];
  delete process.env['REGOPS_STATE_BUCKET'];
  github = await startGitHubStandIn();
  review = installReviewRoutes(github);
  kube = ['--kubeconfig', target.kubeconfig, '--selector', 'platform=aws'];
  const first = await runCli('rollout', '--config', config, ...kube, '--bake', '0s', '--timeout', '300s', '-o', 'json');
  expect(first.code, first.stderr).toBe(0);
  released = (JSON.parse(first.stdout) as { commit: string }).commit;
  // not regops' field: it stays whatever regops writes or restores, and no registry pod can schedule
  await target.outsideWrite('aws-canary-1', configRef, { spec: { nodeSelector: { 'regops.io/no-such-node': 'true' } } });
}, timeoutFor(240_000));

afterAll(async () => {
  delete process.env['GITHUB_API_URL'];
  delete process.env['GITHUB_TOKEN'];
  await Promise.all([target?.stop(), github?.stop()]);
});

describe('a rollback that fails', () => {
  it('without a GitHub connection: the report says ROLLBACK FAILED, stderr says loudly that no issue was opened, exit 1', async () => {
    await setReadWait('3m');
    const halted = await runCli('rollout', '--config', config, ...kube, '--bake', '0s', '--timeout', '3s', '-o', 'json');
    expect(halted.code).toBe(1);
    const report = JSON.parse(halted.stdout) as { halted?: { wave: string; reason: string }; waves: Array<{ clusters: Array<{ cluster: string; rolledBack?: { commit: string; outcome: string } }> }> };
    expect(report.halted?.wave).toBe('canary');
    expect(report.halted?.reason).toContain('; ROLLBACK FAILED on aws-canary-1: cluster aws-canary-1: health gate: ');
    expect(report.waves[0]?.clusters[0]).toMatchObject({ cluster: 'aws-canary-1', rolledBack: { commit: released, outcome: 'failed' } });
    expect(halted.stderr).toMatch(/^regops rollout: ROLLBACK FAILED on aws-canary-1: left as commit \S+ wrote it; NO ISSUE OPENED: this run has no GitHub connection \(--github OWNER\/REPO with GITHUB_TOKEN opens one\); act on it now$/m);
    expect(review.issues).toEqual([]);
  }, timeoutFor(120_000));

  it('with --github OWNER/REPO: one issue opened there through the publisher the AWS publish step uses; run again, the same issue is updated', async () => {
    await setReadWait('4m');
    const sha = await commitConfig();
    process.env['GITHUB_API_URL'] = github.url;
    process.env['GITHUB_TOKEN'] = 'ghp_rollbackIssueTestToken0000000000000';
    const argv = ['rollout', '--github', `acme/fleet@${sha}`, ...kube, '--bake', '0s', '--timeout', '3s', '-o', 'json'];
    const halted = await runCli(...argv);
    expect(halted.code).toBe(1);
    expect(halted.stderr).toContain(`regops rollout: ROLLBACK FAILED on aws-canary-1: left as commit ${sha} wrote it; opened issue #1 in acme/fleet`);
    expect(review.issues).toHaveLength(1);
    expect(review.issues[0]).toMatchObject({ title: `regops: ROLLBACK FAILED in wave canary (commit ${sha.slice(0, 12)})`, labels: ['regops-rollback'], state: 'open' });
    expect(review.issues[0]?.body).toContain(`<!-- regops:rollback-failed:${sha}:canary -->`);
    expect(review.issues[0]?.body).toMatch(/^\| `aws-canary-1` \| canary \| `\S+` \| cluster\.health-timeout: cluster aws-canary-1: health gate: /m);
    expect(review.issues[0]?.body).not.toContain('ghp_rollbackIssueTestToken');

    const again = await runCli(...argv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('; updated issue #1 in acme/fleet');
    expect(review.issues).toHaveLength(1);
  }, timeoutFor(120_000));
});
