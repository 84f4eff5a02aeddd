/**
 * The approval gate's two engine steps (engine/steps/approval-request-step.ts, approval-grant-step.ts)
 * over in-memory ports: the real StoredApprovalRecords on an in-memory report store, GitHub's check
 * runs and permissions and Step Functions' SendTaskSuccess as recording fakes (nothing real answers
 * a task token here; the e2e test rollout-approval.test.ts runs them against the stand-ins).
 */
import { describe, expect, it } from 'vitest';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { formatApprovalKey, StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import type { ClusterRollout, JsonObject, WavePlan } from '../../../functions/core/model.ts';
import type { ApprovalChecks, SecretValue, TaskTokens } from '../../../functions/engine/ports.ts';
import { approvalCheck } from '../../../functions/engine/steps/approval-check.ts';
import { grantApprovalStep } from '../../../functions/engine/steps/approval-grant-step.ts';
import { expireApprovalStep, recordApprovalStep, requestApprovalStep } from '../../../functions/engine/steps/approval-request-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { assembleRolloutReport } from '../../../functions/engine/steps/assemble-rollout-report.ts';
import { FakeClock, InMemoryReportStore } from '../../support/in-memory-ports.ts';

const commit = 'a'.repeat(40);
const token = 'AQCEAAAAKgAAAAMAAAAAAAAAAZ-secret-task-token';
const plan: WavePlan = {
  waves: [
    { name: 'canary', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, clusters: ['c-1'] },
    { name: 'prod', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, approval: 'required', clusters: ['p-1', 'p-2'] },
  ],
  unassigned: [],
};

class FakeChecks implements ApprovalChecks {
  readonly calls: Array<[string, ...unknown[]]> = [];
  constructor(private readonly permissions: Record<string, 'admin' | 'write' | 'read'>) {}
  requestApproval(sha: string, request: Parameters<ApprovalChecks['requestApproval']>[1]): Promise<number> {
    this.calls.push(['request', sha, request]);
    return Promise.resolve(7);
  }
  finishApproval(id: number, result: Parameters<ApprovalChecks['finishApproval']>[1]): Promise<void> {
    this.calls.push(['finish', id, result]);
    return Promise.resolve();
  }
  noteApproval(id: number, note: { title: string; summary: string }): Promise<void> {
    this.calls.push(['note', id, note]);
    return Promise.resolve();
  }
  readPermission(login: string): Promise<'admin' | 'write' | 'read' | 'none'> {
    return Promise.resolve(this.permissions[login] ?? 'none');
  }
}

class FakeTasks implements TaskTokens {
  readonly sent: Array<{ token: string; output: JsonObject }> = [];
  constructor(private readonly answer: 'sent' | 'expired' = 'sent') {}
  succeed(secret: SecretValue, output: JsonObject): Promise<'sent' | 'expired'> {
    // the digest is all the engine may see; the fake compares digests
    this.sent.push({ token: secret.digest, output });
    return Promise.resolve(this.answer);
  }
}

async function setup(options: { answer?: 'sent' | 'expired'; separated?: { pushedBy?: string } } = {}) {
  const reports = new InMemoryReportStore();
  // approvers: different-from-pusher on prod, and the pusher Plan waves kept from the execution input (plan-waves-step.ts)
  const stored = options.separated === undefined ? plan : { ...plan, waves: plan.waves.map((w) => (w.name === 'prod' ? { ...w, approvers: 'different-from-pusher' } : w)), ...options.separated };
  await reports.put(runKeys.wavePlan('rollout', commit), JSON.stringify(stored), 'application/json');
  const canary: ClusterRollout = { cluster: 'c-1', outcome: 'succeeded', changes: { create: 1, update: 2, prune: 0, unchanged: 3, skipped: 0 }, conditions: [] };
  await reports.put(runKeys.cluster('rollout', commit, 'c-1'), JSON.stringify({ ...canary, wave: 'canary' }), 'application/json');
  const clock = new FakeClock();
  const approvals = new StoredApprovalRecords(reports);
  const checks = new FakeChecks({ alice: 'write', root: 'admin', reader: 'read' });
  const tasks = new FakeTasks(options.answer);
  await requestApprovalStep({ reports, clock, approvals, checks }, { approval: 'request', commit, wave: 'prod', token: createSecretValue(token), timeoutSeconds: 3600 });
  return { reports, clock, approvals, checks, tasks };
}

describe('requestApprovalStep', () => {
  it('creates the check run with the button and a summary, and keeps the token in the run store only', async () => {
    const t = await setup();
    const [kind, sha, request] = t.checks.calls[0] ?? [];
    expect([kind, sha]).toEqual(['request', commit]);
    expect(request).toMatchObject({ name: 'regops approval: prod', action: { identifier: approvalCheck.action, label: 'Approve wave' } });
    const summary = (request as { summary: string }).summary;
    expect(summary).toContain('starts it on 2 cluster(s): `p-1`, `p-2`');
    expect(summary).toContain('| canary | c-1 | succeeded | 1 | 2 | 0 |');
    expect(summary).toContain('Without an approval by 2026-11-25T13:00:00.000Z');
    expect(summary).not.toContain(token);
    expect(approvalCheck.action.length).toBeLessThanOrEqual(20);
    const stored = JSON.parse((await t.reports.get(formatApprovalKey(commit, 'prod'))) ?? '{}') as Record<string, unknown>;
    expect(stored).toEqual({ commit, wave: 'prod', checkRunId: 7, requestedAt: '2026-11-25T12:00:00.000Z', expiresAt: '2026-11-25T13:00:00.000Z', token });
  });

  it('recordApprovalStep keeps who approved and drops the token', async () => {
    const t = await setup();
    await recordApprovalStep({ approvals: t.approvals }, { approval: 'granted', commit, wave: 'prod', approvedBy: 'alice', at: '2026-11-25T12:10:00.000Z' });
    const stored = (await t.reports.get(formatApprovalKey(commit, 'prod'))) ?? '';
    expect(JSON.parse(stored)).toMatchObject({ approvedBy: { by: 'alice', at: '2026-11-25T12:10:00.000Z' } });
    expect(stored).not.toContain(token);
  });

  it('the rollout report reads who approved through the approval records that wrote it (one key, stored-approval-records.ts)', async () => {
    const t = await setup();
    await recordApprovalStep({ approvals: t.approvals }, { approval: 'granted', commit, wave: 'prod', approvedBy: 'alice', at: '2026-11-25T12:10:00.000Z' });
    const report = await assembleRolloutReport({ reports: t.reports, clock: t.clock, approvals: t.approvals }, { commit, startedAt: '2026-11-25T12:00:00.000Z' });
    expect(report.waves.map((w) => [w.name, w.approvedBy])).toEqual([['canary', undefined], ['prod', { by: 'alice', at: '2026-11-25T12:10:00.000Z' }]]);
  });
});

describe('grantApprovalStep: who may approve, and every outcome an answer', () => {
  const press = { commit, wave: 'prod', checkRunId: 7 };

  it.each(['alice', 'root'])('%s (write or admin) approves: SendTaskSuccess {approvedBy, at}, check run success', async (sender) => {
    const t = await setup();
    await t.clock.sleep(60_000);
    const outcome = await grantApprovalStep(t, { ...press, sender });
    expect(outcome.result).toBe('approved');
    expect(t.tasks.sent).toEqual([{ token: createSecretValue(token).digest, output: { approvedBy: sender, at: '2026-11-25T12:01:00.000Z' } }]);
    expect(t.checks.calls.at(-1)).toEqual(['finish', 7, expect.objectContaining({ conclusion: 'success', title: `Approved by ${sender}` })]);
  });

  it.each(['reader', 'stranger'])('%s (read or no permission) is refused: no token answered, the check run says why', async (sender) => {
    const t = await setup();
    const outcome = await grantApprovalStep(t, { ...press, sender });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(new RegExp(`${sender} may not approve \\(permission (read|none); write, maintain or admin needed\\)`));
    expect(t.tasks.sent).toEqual([]);
    expect(t.checks.calls.at(-1)?.[0]).toBe('note');
  });

  it('approvers: different-from-pusher: the pusher (any case of the login) is refused before any permission read; another writer approves', async () => {
    const t = await setup({ separated: { pushedBy: 'alice' } });
    expect(JSON.parse((await t.reports.get(formatApprovalKey(commit, 'prod'))) ?? '{}')).toMatchObject({ separation: { pushedBy: 'alice' } });
    expect((t.checks.calls[0]?.[2] as { summary: string }).summary).toContain('other than **alice**, who pushed this commit');
    for (const sender of ['alice', 'ALICE']) {
      const outcome = await grantApprovalStep(t, { ...press, sender });
      expect(outcome).toEqual({ result: 'refused', reason: `wave prod of ${commit.slice(0, 12)}: ${sender} pushed this commit and may not approve it (approvers: different-from-pusher); another person with write, maintain or admin permission must` });
      expect(t.checks.calls.at(-1)).toEqual(['note', 7, { title: `Waiting for approval: wave prod (${sender} pushed this commit)`, summary: `${outcome.reason}. The rollout still waits, until 2026-11-25T13:00:00.000Z.` }]);
    }
    expect(t.tasks.sent).toEqual([]);
    expect((await grantApprovalStep(t, { ...press, sender: 'root' })).result).toBe('approved');
  });

  it('approvers: different-from-pusher with no pusher known (not started by a push) refuses everyone: the rule fails closed', async () => {
    const t = await setup({ separated: {} });
    expect((t.checks.calls[0]?.[2] as { summary: string }).summary).toContain('Who may approve: nobody yet.');
    const outcome = await grantApprovalStep(t, { ...press, sender: 'root' });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toContain('who pushed this commit is unknown');
    expect(t.tasks.sent).toEqual([]);
  });

  it('a press on another check run of that name approves nothing (unknown)', async () => {
    const t = await setup();
    const outcome = await grantApprovalStep(t, { ...press, checkRunId: 8, sender: 'alice' });
    expect(outcome.result).toBe('unknown');
    expect(t.tasks.sent).toEqual([]);
    expect(t.checks.calls.at(-1)).toEqual(['finish', 8, expect.objectContaining({ conclusion: 'neutral' })]);
  });

  it('a wave no rollout asked for is unknown, said on the check run', async () => {
    const t = await setup();
    expect((await grantApprovalStep(t, { ...press, wave: 'canary', sender: 'alice' })).result).toBe('unknown');
  });

  it('after the deadline, or when Step Functions says the task is gone, the press is expired: timed_out, nothing started', async () => {
    const late = await setup();
    await late.clock.sleep(3600_000);
    expect((await grantApprovalStep(late, { ...press, sender: 'alice' })).result).toBe('expired');
    expect(late.tasks.sent).toEqual([]);
    const gone = await setup({ answer: 'expired' });
    expect((await grantApprovalStep(gone, { ...press, sender: 'alice' })).result).toBe('expired');
    expect(gone.checks.calls.at(-1)).toEqual(['finish', 7, expect.objectContaining({ conclusion: 'timed_out' })]);
  });

  it('a second press after the approval was recorded changes nothing', async () => {
    const t = await setup();
    await recordApprovalStep({ approvals: t.approvals }, { approval: 'granted', commit, wave: 'prod', approvedBy: 'alice', at: '2026-11-25T12:10:00.000Z' });
    const outcome = await grantApprovalStep(t, { ...press, sender: 'root' });
    expect(outcome).toEqual({ result: 'already-approved', reason: `wave prod of ${commit.slice(0, 12)}: already approved by alice at 2026-11-25T12:10:00.000Z` });
    expect(t.tasks.sent).toEqual([]);
  });

  it('after the wait timed out (expireApprovalStep: check run timed_out, token gone), a press is expired and answers no token', async () => {
    const t = await setup();
    expect(await expireApprovalStep(t, { approval: 'expired', commit, wave: 'prod' })).toEqual({ expired: true });
    expect(t.checks.calls.at(-1)).toEqual(['finish', 7, expect.objectContaining({ conclusion: 'timed_out', title: 'Approval expired: wave prod' })]);
    expect(await t.reports.get(formatApprovalKey(commit, 'prod'))).not.toContain(token);
    const outcome = await grantApprovalStep(t, { ...press, sender: 'alice' });
    expect(outcome.result).toBe('expired');
    expect(t.tasks.sent).toEqual([]);
  });
});
