/**
 * GitHubPublisher (@octokit/rest) and the engine's publish-to-github against the local GitHub
 * stand-in with the review routes: a check run updated in place, one PR comment edited rather than
 * added, annotations batched by 50, and one drift issue per cluster opened, updated and closed.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubPublisher, GitHubPublishError } from '../../../functions/adapters/github/github-publisher.ts';
import type { ClusterDrift, Diagnostic, DriftReport, PlanReport, RolloutReport } from '../../../functions/core/model.ts';
import { buildDriftCloseMarker, buildDriftIssueMarker, planCommentMarker, publishDriftToGitHub, publishPlanToGitHub, publishRolloutToGitHub } from '../../../functions/engine/publish-to-github.ts';
import { createGitHubOctokit } from '../../../functions/adapters/github/create-github-octokit.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { startLostAnswerProxy } from './lost-answer-proxy.ts';
import { installReviewRoutes, resetReviewState, type ReviewState } from '../../support/github/review-routes.ts';

const sha = 'c0ffee0000000000000000000000000000000001';
let standIn: GitHubStandIn;
let state: ReviewState;
let publisher: GitHubPublisher;

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  state = installReviewRoutes(standIn);
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(() => {
  resetReviewState(state);
  publisher = new GitHubPublisher(new Octokit({ baseUrl: standIn.url, log: quiet }), 'acme', 'fleet');
});

function cluster(name: string, state: ClusterDrift['state'], fields = 0): ClusterDrift {
  return {
    cluster: name, labels: {}, policy: 'inform', state, conditions: [],
    resources: fields === 0 ? [] : [{ target: { type: 'object', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' } }, changes: Array.from({ length: fields }, (_, i) => ({ path: `spec.replicas${i}`, op: 'change' as const, before: 1, after: 2 })) }],
  };
}

function driftReport(clusters: ClusterDrift[], at: string): DriftReport {
  const summary = { 'in-sync': 0, 'drifted': 0, 'unreachable': 0, 'unmanaged': 0, 'degraded': 0, 'error': 0 };
  for (const c of clusters) summary[c.state] += 1;
  return { apiVersion: 'regops/v1', kind: 'DriftReport', commit: sha, generatedAt: at, durationMs: 10, clusters, summary: { ...summary, clusters: clusters.length, driftedFields: clusters.reduce((n, c) => n + c.resources.reduce((m, r) => m + r.changes.length, 0), 0), corrected: 0 } };
}

describe('GitHubPublisher', () => {
  it('creates a check run once and updates it in place afterwards', async () => {
    await publisher.upsertCheckRun(sha, { name: 'regops plan', conclusion: 'failure', title: 'first', summary: 's1' });
    await publisher.upsertCheckRun(sha, { name: 'regops plan', conclusion: 'success', title: 'second', summary: 's2' });
    expect(state.checkRuns).toHaveLength(1);
    expect(state.checkRuns[0]).toMatchObject({ head_sha: sha, name: 'regops plan', status: 'completed', conclusion: 'success', output: { title: 'second', summary: 's2' } });
  });

  it('sends annotations in batches of 50 (GitHub\'s limit per request)', async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: 'fleet.yaml', startLine: i + 1, endLine: i + 1, level: 'failure' as const, message: `m${i}` }));
    await publisher.upsertCheckRun(sha, { name: 'regops plan', conclusion: 'failure', title: 't', summary: 's', annotations });
    expect(state.checkRuns[0]?.output.annotations).toHaveLength(120);
    const writes = standIn.requests.filter((r) => /check-runs(\/\d+)?$/.test(r.path) && r.method !== 'GET').slice(-3);
    expect(writes.map((w) => w.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  });

  it('keeps one PR comment, found by its hidden marker, and edits it', async () => {
    state.comments.push({ id: 1, issue: 7, body: 'LGTM from a human' });
    await publisher.upsertPullRequestComment(7, '<!-- m -->', 'plan v1');
    await publisher.upsertPullRequestComment(7, '<!-- m -->', 'plan v2');
    expect(state.comments.filter((c) => c.issue === 7).map((c) => c.body)).toEqual(['LGTM from a human', '<!-- m -->\nplan v2']);
  });

  it('turns a GitHub error into a GitHubPublishError naming the repository and the call', async () => {
    const bare = await startGitHubStandIn();
    try {
      bare.route('POST', /^\/repos\/acme\/fleet\/statuses\//, () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }));
      const failure = new GitHubPublisher(new Octokit({ baseUrl: bare.url, log: quiet }), 'acme', 'fleet').setCommitStatus(sha, { state: 'success', context: 'regops/rollout', description: 'x' });
      await expect(failure).rejects.toBeInstanceOf(GitHubPublishError);
      await expect(failure).rejects.toThrow(/^github acme\/fleet: create status regops\/rollout on c0ffee000000: 403 /);
    } finally {
      await bare.stop();
    }
  });
});

describe('publishDriftToGitHub', () => {
  it('opens one issue per drifted cluster, updates it on the next scan, closes it when back in sync', async () => {
    const first = await publishDriftToGitHub(publisher, driftReport([cluster('a', 'drifted', 2), cluster('b', 'in-sync'), cluster('c', 'degraded')], '2026-11-25T10:00:00Z'));
    expect(first).toEqual({ opened: ['a', 'c'], updated: [], closed: [] });
    expect(state.issues.map((i) => [i.title, i.state, i.labels])).toEqual([['regops: a is drifted', 'open', ['regops-drift']], ['regops: c is degraded', 'open', ['regops-drift']]]);
    expect(state.issues[0]?.body).toContain(buildDriftIssueMarker('a'));
    expect(state.issues[0]?.body).toContain('`spec.replicas0`');

    // someone renames the issue: the marker still finds it
    if (state.issues[0] !== undefined) state.issues[0].title = 'registry drift on a (triaged)';
    const second = await publishDriftToGitHub(publisher, driftReport([cluster('a', 'drifted', 3), cluster('b', 'in-sync'), cluster('c', 'unreachable')], '2026-11-25T11:00:00Z'));
    expect(second).toEqual({ opened: [], updated: ['a'], closed: [] });
    expect(state.issues).toHaveLength(2);
    expect(state.issues[0]?.body).toContain('`spec.replicas2`');

    const third = await publishDriftToGitHub(publisher, driftReport([cluster('a', 'in-sync'), cluster('b', 'in-sync'), cluster('c', 'in-sync')], '2026-11-25T12:00:00Z'));
    expect(third).toEqual({ opened: [], updated: [], closed: ['a', 'c'] });
    expect(state.issues.map((i) => [i.state, i.state_reason])).toEqual([['closed', 'completed'], ['closed', 'completed']]);
    expect(state.comments.filter((c) => c.issue === 1).at(-1)?.body).toBe(`${buildDriftCloseMarker('a', '2026-11-25T12:00:00Z')}\nBack in sync with \`c0ffee000000\` (scan 2026-11-25T12:00:00Z).`);
    expect(state.statuses.map((s) => [s.context, s.state])).toEqual([['regops/drift', 'failure'], ['regops/drift', 'failure'], ['regops/drift', 'success']]);
    expect(state.checkRuns).toHaveLength(1);
    expect(state.checkRuns[0]).toMatchObject({ name: 'regops drift', conclusion: 'success', output: { title: 'all 3 clusters in sync' } });
  });

  it('a drift publish retried after it closed an issue comments once: the closing comment is found by its marker', async () => {
    await publishDriftToGitHub(publisher, driftReport([cluster('a', 'drifted', 1)], '2026-11-25T10:00:00Z'));
    const back = driftReport([cluster('a', 'in-sync')], '2026-11-25T11:00:00Z');
    // the first attempt commented, then GitHub failed the close (the step throws, the state machine retries it)
    const number = state.issues[0]?.number ?? 0;
    const proxy = await startLostAnswerProxy(standIn.url);
    try {
      const failed = proxy.fail('PATCH', new RegExp(`/issues/${number}$`), 1);
      const viaProxy = new GitHubPublisher(new Octokit({ baseUrl: proxy.url, log: quiet }), 'acme', 'fleet');
      await expect(publishDriftToGitHub(viaProxy, back)).rejects.toMatchObject({ code: 'github.publish-failed', context: { status: 502 } });
      expect(failed.lost).toBe(1);
      expect(state.issues[0]?.state).toBe('open');
      // the retry publishes the same report (publish-step.ts reads it back from its history entry)
      expect(await publishDriftToGitHub(viaProxy, back)).toEqual({ opened: [], updated: [], closed: ['a'] });
    } finally {
      await proxy.stop();
    }
    expect(state.comments.filter((c) => c.issue === number)).toHaveLength(1);
    expect(state.issues[0]?.state).toBe('closed');
  });

  it('a create whose answer GitHub loses (502 after creating) is made once, though @octokit/plugin-retry would send it again', async () => {
    const proxy = await startLostAnswerProxy(standIn.url);
    try {
      const octokit = createGitHubOctokit({ secret: undefined, baseUrl: proxy.url, waitUnitMs: 1 });
      const viaProxy = new GitHubPublisher(octokit, 'acme', 'fleet');
      const lostIssue = proxy.lose('POST', /\/issues$/, 1);
      const lostRun = proxy.lose('POST', /\/check-runs$/, 1);
      const lostComment = proxy.lose('POST', /\/issues\/\d+\/comments$/, 2);
      await publishDriftToGitHub(viaProxy, driftReport([cluster('a', 'drifted', 1)], '2026-11-25T10:00:00Z'));
      await viaProxy.upsertPullRequestComment(9, planCommentMarker, 'plan');
      await publishDriftToGitHub(viaProxy, driftReport([cluster('a', 'in-sync')], '2026-11-25T11:00:00Z'));
      expect([lostIssue.lost, lostRun.lost, lostComment.lost]).toEqual([1, 1, 2]);
      expect(state.issues.map((i) => [i.title, i.state])).toEqual([['regops: a is drifted', 'closed']]);
      expect(state.checkRuns).toHaveLength(1);
      expect(state.comments.map((c) => c.issue)).toEqual([9, 1]);
    } finally {
      await proxy.stop();
    }
  });

  it('reports only unreachable clusters as an error status, opening no issue', async () => {
    await publishDriftToGitHub(publisher, driftReport([cluster('a', 'unreachable'), cluster('b', 'in-sync')], '2026-11-25T10:00:00Z'));
    expect(state.statuses.at(-1)?.state).toBe('error');
    expect(state.issues).toHaveLength(0);
    expect(state.checkRuns[0]?.conclusion).toBe('neutral');
  });

  it('fails the drift status for a cluster whose plan has errors, naming it in the check (issue #10 item 10)', async () => {
    const refused: ClusterDrift = { ...cluster('a', 'error'), error: { code: 'plan.refused', message: 'cluster a: plan has 1 error, nothing of it would be applied: plan.destructive-storage-change: storage backend changes from pvc to s3', step: 'plan' } };
    await publishDriftToGitHub(publisher, driftReport([refused, cluster('b', 'in-sync')], '2026-11-25T10:00:00Z'));
    expect(state.statuses.at(-1)).toMatchObject({ state: 'failure', description: '0 drifted, 0 degraded, 0 unreachable, 1 with plan errors of 2' });
    expect(state.checkRuns[0]?.output?.summary).toContain('| a | error | 0 | cluster a: plan has 1 error');
  });
});

describe('publishPlanToGitHub and publishRolloutToGitHub', () => {
  const diagnostic: Diagnostic = { code: 'schema.enum', severity: 'error', file: 'clusters/prod-eu-1/registry.yaml', line: 4, col: 20, message: 'spec.managementState: Manged is not one of Managed, Unmanaged, Removed', hint: 'did you mean Managed?' };

  it('fails the check with FILE:LINE annotations and writes them in the PR comment', async () => {
    await publishPlanToGitHub(publisher, { commit: sha, pullRequest: 3, diagnostics: [diagnostic] });
    expect(state.checkRuns[0]).toMatchObject({ name: 'regops plan', conclusion: 'failure', output: { title: 'invalid config: 1 error(s)' } });
    expect(state.checkRuns[0]?.output.annotations).toEqual([{ path: 'clusters/prod-eu-1/registry.yaml', start_line: 4, end_line: 4, annotation_level: 'failure', title: 'schema.enum', message: 'spec.managementState: Manged is not one of Managed, Unmanaged, Removed\ndid you mean Managed?' }]);
    const comment = state.comments.find((c) => c.issue === 3);
    expect(comment?.body.startsWith(planCommentMarker)).toBe(true);
    expect(comment?.body).toContain('`clusters/prod-eu-1/registry.yaml:4:20` schema.enum');
  });

  it('escapes values from Git and the cluster in the PR comment: no table break, no HTML, no closed <details>', async () => {
    const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
    const hostile = 'x | y</details><img src=x onerror=alert(1)>`';
    const report: PlanReport = {
      apiVersion: 'regops/v1', kind: 'PlanReport', commit: sha, generatedAt: '2026-11-25T10:00:00Z',
      summary: { clusters: 1, clustersWithChanges: 1, errors: 0, create: 0, update: 1, prune: 0, unchanged: 0, skipped: 0 },
      clusters: [{
        cluster: 'prod-eu-1', diagnostics: [], summary: { create: 0, update: 1, prune: 0, unchanged: 0, skipped: 0 },
        entries: [{ step: 1, target: { type: 'object', ref: configRef }, action: 'update', changes: [
          { path: 'spec.nodeSelector.team', op: 'change', before: hostile, after: 'platform' },
          { path: 'spec.proxy.https', op: 'change', before: 'http://ops:hunter2@proxy:3128', after: 'http://proxy:3128' },
        ] }],
      }],
    };
    await publishPlanToGitHub(publisher, { commit: sha, pullRequest: 4, diagnostics: [{ ...diagnostic, severity: 'warning', message: 'a | b <script>x</script>' }], report });
    const body = state.comments.find((c) => c.issue === 4)?.body ?? '';
    // inside a code span (a fence longer than any backtick run) HTML and pipes are literal text (CommonMark)
    const span = '`` "x | y</details><img src=x onerror=alert(1)>`" ``';
    expect(body).toContain(span);
    const outside = body.replace(span, '');
    expect(outside).not.toContain('<img');
    expect(outside).not.toContain('<script>');
    expect(outside.match(/<\/details>/g)).toHaveLength(1);
    expect(body).not.toContain('hunter2');
    expect(body).toContain('a \\| b &lt;script&gt;x&lt;/script&gt;');
    expect(body).toContain('`spec.proxy.https`: `"***"` → `"***"`');
  });

  it('publishes a halted rollout as a failure naming the wave, the cluster and its step', async () => {
    const report: RolloutReport = {
      apiVersion: 'regops/v1', kind: 'RolloutReport', commit: sha, generatedAt: '2026-11-25T10:00:00Z', durationMs: 1, status: 'failed',
      halted: { wave: 'canary', reason: '1 of 1 clusters failed (maxFailures 0)' },
      waves: [
        { name: 'canary', status: 'failed', maxConcurrency: 1, maxFailures: 0, clusters: [{ cluster: 'lab-1', outcome: 'failed', step: 'health-gate', error: { code: 'cluster.degraded', message: 'cluster lab-1: health gate: Degraded=True StorageError: bucket gone' }, changes: { create: 0, update: 1, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] }] },
        { name: 'main', status: 'not-started', maxConcurrency: 5, maxFailures: 1, clusters: [{ cluster: 'prod-1', outcome: 'not-started', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] }] },
      ],
    };
    await publishRolloutToGitHub(publisher, report);
    expect(state.statuses[0]).toMatchObject({ sha, context: 'regops/rollout', state: 'failure', description: 'halted at wave canary: 1 cluster(s) failed' });
    expect(state.checkRuns[0]?.output.summary).toContain('`lab-1` (wave canary) at step **health-gate**: cluster.degraded');
  });
});
