/**
 * publishStep with in-memory ports and a publisher that records what GitHub would be told: the
 * refused, wave and drift branches, and the typed errors for a drift scan whose stored clusters are missing or corrupt.
 */
import { describe, expect, it } from 'vitest';
import type { CheckRunReport, CommitPublisher, CommitStatus } from '../../../functions/engine/ports.ts';
import { publishStep } from '../../../functions/engine/publish-step.ts';
import { WorkflowError } from '../../../functions/engine/errors.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { FakeClock, InMemoryReportStore } from '../../support/in-memory-ports.ts';

class RecordingPublisher implements CommitPublisher {
  readonly statuses: Array<{ sha: string; status: CommitStatus }> = [];
  readonly checkRuns: Array<{ sha: string; run: CheckRunReport }> = [];
  async setCommitStatus(sha: string, status: CommitStatus): Promise<void> {
    this.statuses.push({ sha, status });
  }
  async upsertCheckRun(sha: string, run: CheckRunReport): Promise<void> {
    this.checkRuns.push({ sha, run });
  }
  async upsertPullRequestComment(): Promise<void> {}
  async listOpenIssues(): Promise<[]> {
    return [];
  }
  async openIssue(): Promise<number> {
    return 1;
  }
  async updateIssue(): Promise<void> {}
  async closeIssue(): Promise<void> {}
}

const commit = 'c0ffee'.repeat(6) + 'abcd';

/** The publish step's ports over one report store; the approval records are the real adapter on it. */
const stepPorts = (reports: InMemoryReportStore, clock = new FakeClock()) => ({ reports, clock, approvals: new StoredApprovalRecords(reports) });

describe('publishStep', () => {
  it('refused: a failure status and check run saying why, no report keys', async () => {
    const publisher = new RecordingPublisher();
    const out = await publishStep(stepPorts(new InMemoryReportStore()), publisher, { kind: 'refused', commit, error: 'config.invalid', cause: 'fleet.yaml:3:1: error' });
    expect(out).toEqual({ kind: 'refused', keys: [], details: { error: 'config.invalid' } });
    expect(publisher.statuses).toHaveLength(1);
    expect(publisher.statuses[0]).toMatchObject({ sha: commit, status: { state: 'failure', context: 'regops/rollout' } });
    expect(publisher.checkRuns[0]?.run).toMatchObject({ conclusion: 'failure' });
  });

  it('plan retried after a partial publish (history and check run written, then the PR comment failed): one history entry, the same report published again', async () => {
    const reports = new InMemoryReportStore();
    await reports.put(`runs/plan/${commit}/diagnostics.json`, '[]', 'application/json');
    const clock = new FakeClock(Date.parse('2026-12-04T10:00:05.000Z'));
    const publisher = new RecordingPublisher();
    let comments = 0;
    publisher.upsertPullRequestComment = async () => {
      comments += 1;
      if (comments === 1) throw new Error('github 502');
    };
    const input = { kind: 'plan' as const, commit, startedAt: '2026-12-04T10:00:00.000Z', pullRequest: 4 };
    await expect(publishStep(stepPorts(reports, clock), publisher, input)).rejects.toThrow('github 502');
    await clock.sleep(4_000);
    const retried = await publishStep(stepPorts(reports, clock), publisher, input);
    const history = await reports.list('history/plan/');
    expect(history).toEqual([`history/plan/2026/12/04/2026-12-04T10:00:00.000Z-${commit.slice(0, 12)}.json`]);
    expect(retried.keys).toContain(history[0]);
    // the retry's report is the first attempt's: made at 10:00:05, not 10:00:09
    expect(JSON.parse((await reports.get('latest/plan.json')) ?? '{}')).toMatchObject({ generatedAt: '2026-12-04T10:00:05.000Z' });
    expect(await reports.get('latest/plan.json')).toBe(await reports.get(history[0] ?? ''));
    expect(publisher.checkRuns.map((c) => c.run)).toEqual([publisher.checkRuns[0]?.run, publisher.checkRuns[0]?.run]);
    expect(comments).toBe(2);
  });

  it('wave: counts the outcomes in the Map\'s ResultWriter files (manifest.json and what it lists); changed only when a cluster was written', async () => {
    const reports = new InMemoryReportStore();
    const entry = (outcome: string) => ({ Name: outcome, Status: 'SUCCEEDED', Input: '{}', Output: JSON.stringify(outcome) });
    const put = (key: string, value: unknown) => reports.put(key, JSON.stringify(value), 'application/json');
    await put('runs/map-results/a/SUCCEEDED_0.json', [entry('unchanged'), entry('succeeded'), entry('unchanged')]);
    await put('runs/map-results/a/FAILED_0.json', [{ Name: 'x', Status: 'FAILED', Error: 'cluster.health-timeout' }]);
    await put('runs/map-results/a/manifest.json', { ResultFiles: { SUCCEEDED: [{ Key: 'runs/map-results/a/SUCCEEDED_0.json', Size: 1 }], FAILED: [{ Key: 'runs/map-results/a/FAILED_0.json', Size: 1 }], PENDING: [] } });
    await put('runs/map-results/b/SUCCEEDED_0.json', [entry('unchanged')]);
    await put('runs/map-results/b/manifest.json', { ResultFiles: { SUCCEEDED: [{ Key: 'runs/map-results/b/SUCCEEDED_0.json', Size: 1 }], FAILED: [], PENDING: [] } });
    const publisher = new RecordingPublisher();
    const wave = (key: string) => publishStep(stepPorts(reports), publisher, { kind: 'wave', commit, wave: 'main', results: { Bucket: 'reports', Key: key } });
    expect(await wave('runs/map-results/a/manifest.json')).toMatchObject({ changed: true, details: { outcomes: { unchanged: 2, succeeded: 1 }, failed: 1 } });
    expect(await wave('runs/map-results/b/manifest.json')).toMatchObject({ changed: false, details: { outcomes: { unchanged: 1 }, failed: 0 } });
    await expect(wave('runs/map-results/c/manifest.json')).rejects.toMatchObject({ code: 'run.no-results' });
    expect(publisher.statuses).toEqual([]);
  });

  it.each([
    { name: 'missing', body: undefined, code: 'run.no-plan', message: /^drift c0ffee.*: no clusters stored at runs\/drift\/.*\/clusters\.json/ },
    { name: 'not JSON', body: '[{"cluster": "a', code: 'run.bad-state', message: /^run state runs\/drift\/.*\/clusters\.json: not JSON/ },
  ])('drift scan whose cluster list is $name: WorkflowError $code, nothing told to GitHub', async ({ body, code, message }) => {
    const reports = new InMemoryReportStore();
    const key = `runs/drift/${commit}/clusters.json`;
    if (body !== undefined) await reports.put(key, body, 'application/json');
    const publisher = new RecordingPublisher();
    const publishing = publishStep(stepPorts(reports), publisher, { kind: 'drift', commit, scan: 's1' });
    await expect(publishing).rejects.toBeInstanceOf(WorkflowError);
    await expect(publishing).rejects.toMatchObject({ code, context: { key }, message: expect.stringMatching(message) as unknown });
    expect(publisher.statuses).toEqual([]);
    expect(publisher.checkRuns).toEqual([]);
  });
});
