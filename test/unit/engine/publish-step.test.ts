/**
 * publishStep with in-memory ports and a publisher that records what GitHub would be told: the
 * refused and drift branches, and the typed errors for a drift report that is missing or corrupt.
 */
import { describe, expect, it } from 'vitest';
import type { CheckRunReport, CommitPublisher, CommitStatus } from '../../../functions/adapters/ports.ts';
import { publishStep } from '../../../functions/engine/publish-step.ts';
import { WorkflowError } from '../../../functions/engine/errors.ts';
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

describe('publishStep', () => {
  it('refused: a failure status and check run saying why, no report keys', async () => {
    const publisher = new RecordingPublisher();
    const out = await publishStep({ reports: new InMemoryReportStore(), clock: new FakeClock() }, publisher, { kind: 'refused', commit, error: 'config.invalid', cause: 'fleet.yaml:3:1: error' });
    expect(out).toEqual({ kind: 'refused', keys: [], details: { error: 'config.invalid' } });
    expect(publisher.statuses).toHaveLength(1);
    expect(publisher.statuses[0]).toMatchObject({ sha: commit, status: { state: 'failure', context: 'regops/rollout' } });
    expect(publisher.checkRuns[0]?.run).toMatchObject({ conclusion: 'failure' });
  });

  it.each([
    { name: 'missing', body: undefined, code: 'run.no-report', message: /^drift report history\/drift\/x\.json: not in the reports bucket/ },
    { name: 'not JSON', body: '{"kind": "DriftRep', code: 'run.bad-report', message: /^drift report history\/drift\/x\.json: not JSON/ },
  ])('drift report $name: WorkflowError $code, nothing told to GitHub', async ({ body, code, message }) => {
    const reports = new InMemoryReportStore();
    if (body !== undefined) await reports.put('history/drift/x.json', body, 'application/json');
    const publisher = new RecordingPublisher();
    const publishing = publishStep({ reports, clock: new FakeClock() }, publisher, { kind: 'drift', commit, reportKey: 'history/drift/x.json' });
    await expect(publishing).rejects.toBeInstanceOf(WorkflowError);
    await expect(publishing).rejects.toMatchObject({ code, context: { commit, key: 'history/drift/x.json' }, message: expect.stringMatching(message) as unknown });
    expect(publisher.statuses).toEqual([]);
    expect(publisher.checkRuns).toEqual([]);
  });
});
