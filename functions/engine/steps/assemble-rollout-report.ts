/**
 * Step `Publish` of a rollout, first half: the RolloutReport assembled from the per-cluster
 * outcomes the reconcile steps stored (run-store.ts).
 */
import { buildRolloutReport, type WaveRun } from '../../core/build-rollout-report.ts';
import type { ClusterRollout, RolloutReport, WavePlan } from '../../core/model.ts';
import { WorkflowError } from '../errors.ts';
import { APPROVAL_TIMEOUT } from './approval-check.ts';
import type { ApprovalRecords } from '../ports.ts';
import { readJson, runKeys, type StepPorts } from './run-store.ts';
import type { StoredWindowHold } from './wave-window-step.ts';

export interface RolloutAssembly {
  commit: string;
  startedAt: string;
  /** Set by the state machine when a wave's Map failed. */
  halted?: { wave: string; error?: string; cause?: string };
}

/** Builds the RolloutReport (core's buildRolloutReport, as the CLI's rollout) from what the cluster steps stored. */
export async function assembleRolloutReport(ports: Pick<StepPorts, 'reports' | 'clock'> & { approvals: Pick<ApprovalRecords, 'get'> }, input: RolloutAssembly): Promise<RolloutReport> {
  const plan = await readJson<WavePlan & { fromWave?: string }>(ports.reports, runKeys.wavePlan('rollout', input.commit));
  if (plan === undefined) throw new WorkflowError('run.no-plan', `rollout ${input.commit}: no wave plan stored; the run must start with PlanWaves`, { commit: input.commit });
  const first = plan.fromWave === undefined ? 0 : Math.max(0, plan.waves.findIndex((w) => w.name === plan.fromWave));
  const runs = new Map<string, WaveRun>();
  for (const wave of plan.waves.slice(first)) {
    const stored = await Promise.all(wave.clusters.map((cluster) => readJson<ClusterRollout & { wave?: string }>(ports.reports, runKeys.cluster('rollout', input.commit, cluster))));
    const clusters = stored.filter((c) => c !== undefined).map(({ wave: _wave, ...rollout }) => rollout);
    const halted = input.halted?.wave === wave.name;
    // a gated wave: who approved it, as the approval step recorded it (approval-request-step.ts), read
    // through the same port that wrote it: one place names the record (stored-approval-records.ts)
    const record = wave.approval === 'required' ? await ports.approvals.get(input.commit, wave.name) : undefined;
    const approvedBy = record?.approvedBy;
    if (halted && input.halted?.error === APPROVAL_TIMEOUT) {
      // nobody approved in time: the wave never started (state-machines.ts, Approval timed out)
      runs.set(wave.name, { held: { kind: 'approval-expired', detail: input.halted?.cause ?? `${APPROVAL_TIMEOUT}: nobody approved wave ${wave.name} in time` } });
      break;
    }
    // Check window halted this execution before the wave (wave-window-step.ts): the window, not a failure
    const windowHold = halted ? await readJson<StoredWindowHold>(ports.reports, runKeys.windowHold(input.commit, wave.name)) : undefined;
    if (windowHold !== undefined && windowHold.startedAt === input.startedAt) {
      // approved in this execution (Approve, then Record approval, then Check window: state-machines.ts),
      // then held by the window: the report keeps who approved it. A record asked for before this
      // execution started is an earlier execution's and says nothing about this one.
      const approvedNow = record !== undefined && Date.parse(record.requestedAt) >= Date.parse(input.startedAt) ? record.approvedBy : undefined;
      runs.set(wave.name, { held: windowHold.hold, ...(approvedNow === undefined ? {} : { approvedBy: approvedNow }) });
      break;
    }
    runs.set(wave.name, { clusters, ...(approvedBy === undefined ? {} : { approvedBy }), ...(halted ? { halted: { unexplained: `${input.halted?.error ?? 'failed'} ${input.halted?.cause ?? ''}`.trimEnd() } } : {}) });
    if (halted) break;
  }
  return buildRolloutReport({ commit: input.commit, plan, ...(plan.fromWave === undefined ? {} : { fromWave: plan.fromWave }), waves: runs, startedAt: new Date(input.startedAt), finishedAt: ports.clock.now() });
}
