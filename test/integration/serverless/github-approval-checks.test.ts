/**
 * The approval gate's check run (adapters/github/github-approval-checks.ts, created by the Approve
 * step engine/steps/approval-request-step.ts) against the local GitHub stand-in with the review
 * routes, through the real octokit with @octokit/plugin-retry (create-github-octokit.ts) and the
 * lost-answer proxy: however the step is retried, the commit gets one "regops approval: <wave>"
 * check run, as every other check run regops creates (github-publisher.ts createOnce).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubOctokit } from '../../../functions/adapters/github/create-github-octokit.ts';
import { GitHubApprovalChecks } from '../../../functions/adapters/github/github-approval-checks.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { formatApprovalKey, StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import type { WavePlan } from '../../../functions/core/model.ts';
import { requestApprovalStep } from '../../../functions/engine/steps/approval-request-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { installReviewRoutes, resetReviewState, type ReviewState } from '../../support/github/review-routes.ts';
import { FakeClock, InMemoryReportStore } from '../../support/in-memory-ports.ts';
import { startLostAnswerProxy, type LostAnswerProxy } from './lost-answer-proxy.ts';

const commit = 'c0ffee0000000000000000000000000000000002';
const plan: WavePlan = { waves: [{ name: 'prod', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, approval: 'required', clusters: ['p-1'] }], unassigned: [] };

let standIn: GitHubStandIn;
let state: ReviewState;
let proxy: LostAnswerProxy;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  state = installReviewRoutes(standIn);
  proxy = await startLostAnswerProxy(standIn.url);
});
afterAll(async () => {
  await proxy.stop();
  await standIn.stop();
});
beforeEach(() => resetReviewState(state));

/** The Approve step as the publish-report Lambda runs it (a fresh Lambda per try), through the proxy. */
async function approveStep(reports: InMemoryReportStore, token: string): Promise<number> {
  const checks = new GitHubApprovalChecks(createGitHubOctokit({ secret: undefined, baseUrl: proxy.url, waitUnitMs: 1 }), 'acme', 'fleet');
  const ports = { reports, clock: new FakeClock(), approvals: new StoredApprovalRecords(reports), checks };
  return (await requestApprovalStep(ports, { approval: 'request', commit, wave: 'prod', token: createSecretValue(token), timeoutSeconds: 3600 })).checkRunId;
}

async function withPlan(): Promise<InMemoryReportStore> {
  const reports = new InMemoryReportStore();
  await reports.put(runKeys.wavePlan('rollout', commit), JSON.stringify(plan), 'application/json');
  return reports;
}

const approvalRuns = () => state.checkRuns.filter((run) => run.head_sha === commit && run.name === 'regops approval: prod');

describe('the approval check run is created once', () => {
  it('when GitHub loses the answer to its create (502 after creating), though @octokit/plugin-retry would send it again', async () => {
    const lost = proxy.lose('POST', /\/check-runs$/, 1);
    const id = await approveStep(await withPlan(), 'token-1');
    expect(lost.lost).toBe(1);
    expect(approvalRuns().map((run) => run.id)).toEqual([id]);
  });

  it('when the state machine retries the step after its first try created it: the retry reuses that check run', async () => {
    const reports = await withPlan();
    // the first try created the check run, then failed to keep the token (the run store was down):
    // the step fails and Step Functions runs it again with a new task token
    const put = reports.put.bind(reports);
    let down = true;
    reports.put = (key, body, contentType) => (down && key === formatApprovalKey(commit, 'prod') ? Promise.reject(new Error('run store down')) : put(key, body, contentType));
    await expect(approveStep(reports, 'token-1')).rejects.toThrow('run store down');
    expect(approvalRuns()).toHaveLength(1);
    down = false;
    const id = await approveStep(reports, 'token-2');
    expect(approvalRuns().map((run) => run.id)).toEqual([id]);
    expect(approvalRuns()[0]?.status).toBe('in_progress');
  });

  it('when GitHub did not make it (502 without creating), the create is tried again: one check run', async () => {
    const failed = proxy.fail('POST', /\/check-runs$/, 1);
    const id = await approveStep(await withPlan(), 'token-1');
    expect(failed.lost).toBe(1);
    expect(approvalRuns().map((run) => run.id)).toEqual([id]);
  });
});
