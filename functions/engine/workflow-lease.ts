/**
 * The fleet lease and the release record in the Step Functions workflows, across invocations:
 * PlanWaves (rollout) takes the lease and refuses an older rollout; the publish step records the
 * release when no wave halted and gives the lease back on every ending (succeeded, halted,
 * refused); the drift scan holds it for its one invocation. The holder is named from the
 * execution's start time and commit, which every step of one execution is given
 * (infra/constructs/state-machines.ts), and the rollout's order is that start time: one
 * execution per push, started as the webhook arrives (release-record.ts).
 * A rollout that finds the lease held throws LeaseHeldError, which the state machine retries with
 * backoff; an aborted execution's lease expires after the rollout machine's own timeout.
 */
import type { ClusterRollout, ConfigSnapshot, DesiredCluster, RolloutReport } from '../core/model.ts';
import { NO_WAVE } from '../core/build-rollout-report.ts';
import { renderFleet } from '../core/render.ts';
import type { Clock, ReportStore, StateStore } from './ports.ts';
import { EngineError } from './errors.ts';
import { acquireFleetLease, releaseFleetLease } from './fleet-lease.ts';
import { checkNotSuperseded, recordRelease } from './release-record.ts';

/** The rollout state machine's timeout (24 h): no execution holds the lease longer. */
export const workflowLeaseTtlMs = 24 * 60 * 60_000;

type WorkflowPorts = { state?: StateStore; clock: Clock };

/** One execution's name in the lease. */
export function nameWorkflowHolder(commit: string, startedAt: string | undefined): string {
  return `stepfunctions:${startedAt ?? 'unknown-start'}:${commit}`;
}

/** PlanWaves of a rollout: take the lease (LeaseHeldError: retried by the state machine), refuse an older rollout. */
export async function takeWorkflowLease(ports: WorkflowPorts, commit: string, startedAt: string | undefined): Promise<void> {
  const { state, clock } = ports;
  if (state === undefined) return;
  const parsed = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
  const sequence = Number.isNaN(parsed) ? clock.now().getTime() : parsed;
  const holder = nameWorkflowHolder(commit, startedAt);
  await acquireFleetLease({ state, clock }, { holder, purpose: 'rollout', commit, sequence, ttlMs: workflowLeaseTtlMs });
  try {
    await checkNotSuperseded({ state }, commit, sequence);
  } catch (thrown) {
    await releaseFleetLease({ state, clock }, holder);
    throw thrown;
  }
}

/** The drift workflow's timeout (2 h): no scan holds the lease longer. */
export const driftWorkflowLeaseTtlMs = 2 * 60 * 60_000;

/**
 * Load branch head of the drift workflow: the scan holds the lease across its Distributed Map (one
 * child per cluster) until Publish drift gives it back; LeaseHeldError beside a rollout. The lease
 * is taken only once the clusters are stored, so a refused scan leaves nothing held.
 */
export async function takeDriftWorkflowLease(ports: WorkflowPorts, commit: string, startedAt: string | undefined): Promise<void> {
  const { state, clock } = ports;
  if (state === undefined) return;
  await acquireFleetLease({ state, clock }, { holder: nameWorkflowHolder(commit, startedAt), purpose: 'drift', commit, ttlMs: driftWorkflowLeaseTtlMs });
}

/** A drift scan's name in the run store: its execution's start time, letters and digits only. */
export function nameDriftScan(startedAt: string | undefined, clock: Clock): string {
  return (startedAt ?? clock.now().toISOString()).replace(/[^0-9A-Za-z]/g, '');
}

/** Publish of a refused or halted rollout, or of a drift scan: give the lease back if this execution holds it. */
export async function giveBackWorkflowLease(ports: WorkflowPorts, commit: string, startedAt: string | undefined): Promise<void> {
  if (ports.state === undefined) return;
  await releaseFleetLease({ state: ports.state, clock: ports.clock }, nameWorkflowHolder(commit, startedAt));
}

function isReleased(cluster: ClusterRollout, resumedWave: boolean): boolean {
  return cluster.outcome === 'succeeded' || cluster.outcome === 'unchanged' || (resumedWave && cluster.outcome === 'skipped');
}

/**
 * Publish of a rollout: when no wave halted, record what each cluster was left at (the run's
 * snapshot, `snapshotKey` in the reports store), then give the lease back.
 */
export async function finishWorkflowRollout(ports: WorkflowPorts & { reports: ReportStore }, report: RolloutReport, startedAt: string | undefined, snapshotKey: string): Promise<void> {
  const { state, clock } = ports;
  if (state === undefined) return;
  if (report.halted === undefined) {
    const text = await ports.reports.get(snapshotKey);
    if (text !== undefined) {
      let snapshot: ConfigSnapshot;
      try {
        snapshot = JSON.parse(text) as ConfigSnapshot;
      } catch (thrown) {
        throw new EngineError('run.bad-state', `run state ${snapshotKey}: not JSON; the release of ${report.commit} is not recorded (roll it out again)`, { commit: report.commit }, { cause: thrown });
      }
      const desired = new Map(renderFleet(snapshot).clusters.map((c) => [c.cluster, c]));
      // waves a resumed run skipped were done by the run it resumes (assembleRolloutReport marks them skipped)
      const clusters = report.waves
        .flatMap((w) => w.clusters.filter((c) => isReleased(c, w.status === 'skipped' && w.name !== NO_WAVE)))
        .map((c) => desired.get(c.cluster))
        .filter((d): d is DesiredCluster => d !== undefined);
      const parsed = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
      await recordRelease({ state, clock }, { commit: report.commit, sequence: Number.isNaN(parsed) ? clock.now().getTime() : parsed, snapshot, clusters });
    }
  }
  await releaseFleetLease({ state, clock }, nameWorkflowHolder(report.commit, startedAt));
}
