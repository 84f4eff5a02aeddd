/**
 * The rollout workflow's `Check window` step (engine/steps/wave-window-step.ts) on in-memory ports
 * and a fake clock (2026-11-25T12:00Z): Plan waves stores the run, then each wave is checked
 * against fleet.yaml's windows; a held wave answers when to ask again, and a wave that cannot open
 * within the execution's limit halts with what to do.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../functions/core/model.ts';
import { planWavesStep } from '../../../functions/engine/steps/plan-waves-step.ts';
import { checkWaveWindowStep } from '../../../functions/engine/steps/wave-window-step.ts';
import { assembleRolloutReport } from '../../../functions/engine/steps/assemble-rollout-report.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { FakeClock, InMemoryReportStore } from '../../support/in-memory-ports.ts';

const base: ConfigSnapshot = { ...loadSnapshot('config', ''), commit: 'c0mmit1' };
const waves = ['canary', 'main', 'prod'];
const day = 24 * 3600;

async function planned(windows: string, fromWave?: string, gatedProd = false) {
  const clock = new FakeClock();
  const reports = new InMemoryReportStore();
  const gate = (fleet: string): string => (gatedProd ? fleet.replace(/(- name: prod\n\s+selector: \{wave: prod\}\n)/, '$1      approval: required\n') : fleet);
  const files = base.files.map((f) => (f.path === 'fleet.yaml' ? { ...f, content: `${gate(f.content)}  windows:\n${windows}` } : f));
  const config = { load: () => Promise.resolve({ commit: 'c1', files }) };
  await planWavesStep({ config, reports, clock }, { kind: 'rollout', commit: 'c1', expectedWaves: waves, startedAt: clock.now().toISOString(), ...(fromWave === undefined ? {} : { execution: { fromWave } }) }, { maxClusters: 100 });
  const check = (wave: string) => checkWaveWindowStep({ reports, clock }, { gate: 'window', commit: 'c1', wave, startedAt: '2026-11-25T11:00:00.000Z', executionTimeoutSeconds: day });
  return { clock, check, reports };
}

describe('checkWaveWindowStep', () => {
  it('holds a wave outside its allow window until it opens, and opens it then; other waves are not held', async () => {
    const t = await planned('    - {kind: allow, schedule: "0 14 * * *", duration: 1h, waves: [prod]}\n');
    expect(await t.check('canary')).toEqual({ open: true, checkedAt: '2026-11-25T12:00:00.000Z' });
    expect(await t.check('prod')).toEqual({ open: false, checkedAt: '2026-11-25T12:00:00.000Z', reason: 'outside every allow window (allow window "0 14 * * *" (UTC, 1h))', nextOpen: '2026-11-25T14:00:00.000Z' });
    await t.clock.sleep(2 * 3600 * 1000);
    expect(await t.check('prod')).toEqual({ open: true, checkedAt: '2026-11-25T14:00:00.000Z' });
  });

  it('holds a wave again when a deny window opened while it waited (the state machine checks after every Wait)', async () => {
    const t = await planned('    - {kind: allow, schedule: "0 14 * * *", duration: 1h, waves: [prod]}\n    - {kind: deny, schedule: "0 14 * * *", duration: 20m, waves: [prod]}\n');
    expect((await t.check('prod')).nextOpen).toBe('2026-11-25T14:00:00.000Z');
    await t.clock.sleep(2 * 3600 * 1000);
    expect(await t.check('prod')).toMatchObject({ open: false, reason: 'deny window "0 14 * * *" (UTC, 20m) is open until 2026-11-25T14:20:00.000Z', nextOpen: '2026-11-25T14:20:00.000Z' });
    await t.clock.sleep(20 * 60 * 1000);
    expect((await t.check('prod')).open).toBe(true);
  });

  it('does not hold the waves a resumed rollout skips', async () => {
    const t = await planned('    - {kind: deny, schedule: "@hourly", duration: 1h}\n', 'prod');
    expect((await t.check('canary')).open).toBe(true);
    expect(await t.check('prod')).toMatchObject({ open: false, nextOpen: '2026-11-25T13:00:00.000Z' });
  });

  it('halts a wave whose window opens only after the execution limit, saying when to start again', async () => {
    const t = await planned('    - {kind: allow, schedule: "0 0 1 1 *", duration: 1h, waves: [prod]}\n');
    await expect(t.check('prod')).rejects.toMatchObject({
      name: 'WorkflowError', code: 'rollout.window-after-timeout',
      message: 'wave prod: held by a change window (outside every allow window (allow window "0 0 1 1 *" (UTC, 1h))) until 2027-01-01T00:00:00.000Z, after this execution\'s limit (2026-11-26T11:00:00.000Z); start the rollout again after that time with {"commit": "c1", "fromWave": "prod"}',
    });
  });

  it('keeps the hold of a wave it halts, and the rollout report of that execution says it (not a failed wave); a later execution\'s does not', async () => {
    const t = await planned('    - {kind: allow, schedule: "0 0 1 1 *", duration: 1h, waves: [prod]}\n');
    await expect(t.check('prod')).rejects.toMatchObject({ code: 'rollout.window-after-timeout' });
    const hold = { kind: 'window', reason: 'outside every allow window (allow window "0 0 1 1 *" (UTC, 1h))', nextOpen: '2027-01-01T00:00:00.000Z' };
    expect(JSON.parse((await t.reports.get(runKeys.windowHold('c1', 'prod'))) ?? '{}')).toEqual({ startedAt: '2026-11-25T11:00:00.000Z', hold });
    const ports = { reports: t.reports, clock: t.clock, approvals: new StoredApprovalRecords(t.reports) };
    const halted = { wave: 'prod', error: 'WorkflowError', cause: '{"errorType":"WorkflowError"}' };
    const report = await assembleRolloutReport(ports, { commit: 'c1', startedAt: '2026-11-25T11:00:00.000Z', halted });
    expect(report.halted).toEqual({ wave: 'prod', reason: 'held by a change window: outside every allow window (allow window "0 0 1 1 *" (UTC, 1h)); the wave may start at 2027-01-01 00:00 UTC' });
    expect(report.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'not-started', held: hold });
    // the same commit started again later and halted in prod for another reason: that hold is not its
    const later = await assembleRolloutReport(ports, { commit: 'c1', startedAt: '2026-11-26T11:00:00.000Z', halted });
    expect(later.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'failed' });
    expect(later.waves.find((w) => w.name === 'prod')?.held).toBeUndefined();
  });

  it('a wave approved in the halted execution keeps who approved it beside the window hold; an approval asked for by an earlier execution does not', async () => {
    const t = await planned('    - {kind: allow, schedule: "0 0 1 1 *", duration: 1h, waves: [prod]}\n', undefined, true);
    await expect(t.check('prod')).rejects.toMatchObject({ code: 'rollout.window-after-timeout' });
    const approvals = new StoredApprovalRecords(t.reports);
    const ports = { reports: t.reports, clock: t.clock, approvals };
    const halted = { wave: 'prod', error: 'WorkflowError', cause: '{"errorType":"WorkflowError"}' };
    const approvedBy = { by: 'alice', at: '2026-11-25T11:40:00.000Z' };
    // asked for at 11:30 by the execution that started at 11:00 (Approve, Record approval, then Check window)
    await approvals.put({ commit: 'c1', wave: 'prod', checkRunId: 7, requestedAt: '2026-11-25T11:30:00.000Z', expiresAt: '2026-11-25T13:30:00.000Z', approvedBy });
    const report = await assembleRolloutReport(ports, { commit: 'c1', startedAt: '2026-11-25T11:00:00.000Z', halted });
    expect(report.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'not-started', held: { kind: 'window' }, approvedBy });
    // the same record seen by an execution that started after it was asked for: not this execution's approval
    await t.reports.put(runKeys.windowHold('c1', 'prod'), JSON.stringify({ startedAt: '2026-11-25T11:45:00.000Z', hold: { kind: 'window', reason: 'closed' } }), 'application/json');
    const later = await assembleRolloutReport(ports, { commit: 'c1', startedAt: '2026-11-25T11:45:00.000Z', halted });
    expect(later.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'not-started', held: { kind: 'window' } });
    expect(later.waves.find((w) => w.name === 'prod')?.approvedBy).toBeUndefined();
  });

  it('refuses a run whose wave plan is missing', async () => {
    const clock = new FakeClock();
    await expect(checkWaveWindowStep({ reports: new InMemoryReportStore(), clock }, { gate: 'window', commit: 'nope', wave: 'prod', startedAt: clock.now().toISOString(), executionTimeoutSeconds: day }))
      .rejects.toMatchObject({ code: 'run.no-wave-plan' });
  });
});
