import { describe, expect, it } from 'vitest';
import { buildRolloutReport, idleCluster, type WaveRun } from '../../../functions/core/build-rollout-report.ts';
import type { ClusterRollout, RolloutReport, WavePlan } from '../../../functions/core/model.ts';

const plan: WavePlan = {
  waves: [
    { name: 'canary', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, clusters: ['lab-1'] },
    { name: 'main', maxConcurrency: 2, maxFailures: 1, bakeSeconds: 0, clusters: ['prod-1', 'prod-2', 'prod-3'] },
    { name: 'last', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, clusters: ['edge-1'] },
  ],
  unassigned: ['stray-1'],
};

function outcome(cluster: string, result: ClusterRollout['outcome'], step: NonNullable<ClusterRollout['step']> = 'apply'): ClusterRollout {
  const failed = result === 'failed' ? { step, error: { code: 'cluster.degraded', message: `cluster ${cluster}: health gate: Degraded=True` } } : {};
  return { cluster, outcome: result, changes: { create: 0, update: result === 'unchanged' ? 0 : 1, prune: 0, unchanged: 0, skipped: 0 }, conditions: [], ...failed };
}

const ran = (...clusters: ClusterRollout[]): WaveRun => ({ clusters });
const startedAt = new Date('2026-01-01T00:00:00.000Z');
const finishedAt = new Date('2026-01-01T00:00:07.500Z');

function build(waves: Array<[string, WaveRun]>, fromWave?: string): RolloutReport {
  return buildRolloutReport({ commit: 'abc', plan, waves: new Map(waves), startedAt, finishedAt, ...(fromWave === undefined ? {} : { fromWave }) });
}

/** Each wave as [name, status, outcomes]. */
const shape = (report: RolloutReport) => report.waves.map((w) => [w.name, w.status, w.clusters.map((c) => `${c.cluster}:${c.outcome}`).join(',')]);

describe('buildRolloutReport', () => {
  const cases: Array<{ name: string; waves: Array<[string, WaveRun]>; fromWave?: string; status: RolloutReport['status']; halted?: RolloutReport['halted']; shape: string[][] }> = [
    {
      name: 'every wave ran: succeeded, the unassigned cluster in "(no wave)", skipped',
      waves: [['canary', ran(outcome('lab-1', 'succeeded'))], ['main', ran(outcome('prod-1', 'succeeded'), outcome('prod-2', 'unchanged'), outcome('prod-3', 'succeeded'))], ['last', ran(outcome('edge-1', 'succeeded'))]],
      status: 'succeeded',
      shape: [['canary', 'succeeded', 'lab-1:succeeded'], ['main', 'succeeded', 'prod-1:succeeded,prod-2:unchanged,prod-3:succeeded'], ['last', 'succeeded', 'edge-1:succeeded'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a failure within maxFailures: the wave and the rollout are failed, not halted, later waves run',
      waves: [['canary', ran(outcome('lab-1', 'succeeded'))], ['main', ran(outcome('prod-1', 'failed'), outcome('prod-2', 'succeeded'), outcome('prod-3', 'succeeded'))], ['last', ran(outcome('edge-1', 'succeeded'))]],
      status: 'failed',
      shape: [['canary', 'succeeded', 'lab-1:succeeded'], ['main', 'failed', 'prod-1:failed,prod-2:succeeded,prod-3:succeeded'], ['last', 'succeeded', 'edge-1:succeeded'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a halted wave: the first failed cluster says why, the rollback note follows, a cluster that did not start is not-started, later waves not started even if given',
      waves: [['canary', ran(outcome('lab-1', 'succeeded'))], ['main', { clusters: [outcome('prod-1', 'succeeded'), { ...outcome('prod-2', 'failed', 'health-gate'), rolledBack: { commit: 'c0', outcome: 'succeeded' } }, outcome('prod-3', 'failed')], halted: {} }], ['last', ran(outcome('edge-1', 'succeeded'))]],
      status: 'failed',
      halted: { wave: 'main', reason: '2 of 3 clusters failed (maxFailures 1): prod-2 failed at health-gate: cluster prod-2: health gate: Degraded=True; rolled back 1 cluster to their previous values' },
      shape: [['canary', 'succeeded', 'lab-1:succeeded'], ['main', 'failed', 'prod-1:succeeded,prod-2:failed,prod-3:failed'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a rollback that failed is said loudly with the restore error, after the wave failure',
      waves: [['canary', { clusters: [{ ...outcome('lab-1', 'failed', 'health-gate'), rolledBack: { commit: 'c0', outcome: 'failed', error: { code: 'cluster.unreachable', message: 'cluster lab-1: connection reset', step: 'connect' } } }], halted: {} }]],
      status: 'failed',
      halted: { wave: 'canary', reason: '1 of 1 clusters failed (maxFailures 0): lab-1 failed at health-gate: cluster lab-1: health gate: Degraded=True; ROLLBACK FAILED on lab-1: cluster lab-1: connection reset' },
      shape: [['canary', 'failed', 'lab-1:failed'], ['main', 'not-started', 'prod-1:not-started,prod-2:not-started,prod-3:not-started'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'halted with no cluster failure stored (the Map itself failed): the unexplained error says why; missing clusters not started',
      waves: [['canary', { clusters: [], halted: { unexplained: 'States.TaskFailed Lambda timed out' } }]],
      status: 'failed',
      halted: { wave: 'canary', reason: '0 of 1 clusters failed (maxFailures 0): States.TaskFailed Lambda timed out' },
      shape: [['canary', 'failed', 'lab-1:not-started'], ['main', 'not-started', 'prod-1:not-started,prod-2:not-started,prod-3:not-started'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a wave waiting for approval halts with what to run before anything ran',
      waves: [['canary', ran(outcome('lab-1', 'succeeded'))], ['main', { held: { kind: 'approval-required' } }]],
      status: 'failed',
      halted: { wave: 'main', reason: 'wave main needs approval (approval: required); after review run: regops rollout --approve main --from-wave main' },
      shape: [['canary', 'succeeded', 'lab-1:succeeded'], ['main', 'not-started', 'prod-1:not-started,prod-2:not-started,prod-3:not-started'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a wave held by a change window halts with the window and when the wave may start',
      waves: [['canary', ran(outcome('lab-1', 'succeeded'))], ['main', { held: { kind: 'window', reason: 'deny window "@hourly" (UTC, 1h) is open until 2026-01-01T01:00:00.000Z', nextOpen: '2026-01-01T01:00:00.000Z' } }]],
      status: 'failed',
      halted: { wave: 'main', reason: 'held by a change window: deny window "@hourly" (UTC, 1h) is open until 2026-01-01T01:00:00.000Z; the wave may start at 2026-01-01 01:00 UTC' },
      shape: [['canary', 'succeeded', 'lab-1:succeeded'], ['main', 'not-started', 'prod-1:not-started,prod-2:not-started,prod-3:not-started'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'a wave whose approval timed out (Step Functions) halts saying the rollout stopped waiting',
      waves: [['canary', { held: { kind: 'approval-expired', detail: 'wave canary: nobody approved it within 2h' } }]],
      status: 'failed',
      halted: { wave: 'canary', reason: 'approval timed out, the rollout stopped waiting: wave canary: nobody approved it within 2h' },
      shape: [['canary', 'not-started', 'lab-1:not-started'], ['main', 'not-started', 'prod-1:not-started,prod-2:not-started,prod-3:not-started'], ['last', 'not-started', 'edge-1:not-started'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
    {
      name: 'resumed from a wave: earlier waves skipped, whatever was given for them',
      fromWave: 'last',
      waves: [['canary', ran(outcome('lab-1', 'failed'))], ['last', ran(outcome('edge-1', 'unchanged'))]],
      status: 'succeeded',
      shape: [['canary', 'skipped', 'lab-1:skipped'], ['main', 'skipped', 'prod-1:skipped,prod-2:skipped,prod-3:skipped'], ['last', 'succeeded', 'edge-1:unchanged'], ['(no wave)', 'skipped', 'stray-1:skipped']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const report = build(c.waves, c.fromWave);
      expect(shape(report)).toEqual(c.shape);
      expect(report.status).toBe(c.status);
      expect(report.halted).toEqual(c.halted);
    });
  }

  it('stamps the envelope from the times given, never a negative duration, and keeps who approved a wave', () => {
    const approvedBy = { by: 'ana', at: '2026-01-01T00:00:01.000Z' };
    const report = build([['canary', { clusters: [outcome('lab-1', 'succeeded')], approvedBy }]]);
    expect(report).toMatchObject({ apiVersion: 'regops/v1', kind: 'RolloutReport', commit: 'abc', generatedAt: '2026-01-01T00:00:07.500Z', durationMs: 7_500 });
    expect(report.waves[0]?.approvedBy).toEqual(approvedBy);
    const early = buildRolloutReport({ commit: 'abc', plan, waves: new Map(), startedAt: finishedAt, finishedAt: startedAt });
    expect(early.durationMs).toBe(0);
  });

  it('names the hold on the wave it stopped, and on no later wave, even one given a hold too', () => {
    const window = { kind: 'window', reason: 'outside every allow window', nextOpen: '2026-01-02T00:00:00.000Z' } as const;
    const report = build([['canary', ran(outcome('lab-1', 'succeeded'))], ['main', { held: window }], ['last', { held: { kind: 'approval-required' } }]]);
    expect(report.waves.map((w) => w.held)).toEqual([undefined, window, undefined, undefined]);
  });

  it('keeps who approved a wave that its change window then held, on the held wave only', () => {
    const window = { kind: 'window', reason: 'outside every allow window', nextOpen: '2026-01-02T00:00:00.000Z' } as const;
    const approvedBy = { by: 'ana', at: '2026-01-01T00:00:03.000Z' };
    const report = build([['canary', ran(outcome('lab-1', 'succeeded'))], ['main', { held: window, approvedBy }]]);
    expect(report.waves[1]).toMatchObject({ name: 'main', status: 'not-started', held: window, approvedBy });
    expect(report.waves.filter((w) => w.approvedBy !== undefined).map((w) => w.name)).toEqual(['main']);
    expect(report.halted?.wave).toBe('main');
  });

  it('an idle cluster has no changes and no conditions', () => {
    expect(idleCluster('c', 'skipped')).toEqual({ cluster: 'c', outcome: 'skipped', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] });
  });
});
