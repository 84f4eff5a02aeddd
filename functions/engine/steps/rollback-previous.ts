/**
 * The Step Functions half of `rollback: automatic` (engine/rollback-wave.ts, issue 13 item 1), used
 * by reconcileStep (reconcile-step.ts). Before the first write of a wave with `rollback: automatic`,
 * the apply keeps the cluster's previous owned values in the run store, once per execution: a
 * retried apply may come after the write, and must not keep the values it wrote. When the wave
 * fails, its `Roll back` Map (infra/constructs/state-machines.ts) runs reconcileStep with `restore`
 * over the wave's clusters: a cluster this execution changed gets those values back through the
 * same apply path and health gate (its own polls), the others answer `skipped`. The outcome goes
 * into the cluster's record as `rolledBack`, which core's buildRolloutReport words, as in the CLI.
 */
import { idleCluster } from '../../core/build-rollout-report.ts';
import type { ClusterEntry, ClusterRollout, DesiredCluster, WavePlan } from '../../core/model.ts';
import { buildRestoreDesired, capturePreviousState, previousStateKey, type PreviousState } from '../rollback-wave.ts';
import { readJson, runKeys, type StepPorts } from './run-store.ts';

/** A previous state as the run store keeps it: with the execution (its start time) that kept it. */
interface KeptPrevious extends PreviousState {
  run: string;
}

/** The part of a reconcile step's input that names the run, the wave and the cluster. */
export interface RollbackStepRef {
  commit: string;
  cluster: string;
  wave?: string;
  /** The execution's start time ($$.Execution.StartTime): whose kept values these are. */
  startedAt?: string;
}

type Target = { entry: ClusterEntry; desired: DesiredCluster };

function runOf(ref: RollbackStepRef): string {
  return ref.startedAt ?? '';
}

/**
 * Apply, first round: for a wave with `rollback: automatic` (the stored wave plan says so), keeps
 * the cluster's previous owned values unless this execution kept them already. Throws when the
 * cluster cannot be read: the caller fails the cluster without writing it, as the CLI does.
 */
export async function keepPreviousForRollback(ports: StepPorts, ref: RollbackStepRef, target: Target): Promise<void> {
  if (ref.wave === undefined) return;
  const plan = await readJson<WavePlan>(ports.reports, runKeys.wavePlan('rollout', ref.commit));
  if (plan?.waves.find((w) => w.name === ref.wave)?.rollback !== 'automatic') return;
  const key = previousStateKey(ref.commit, ref.cluster);
  const kept = await readJson<KeptPrevious>(ports.reports, key);
  if (kept !== undefined && kept.run === runOf(ref)) return;
  const before = await capturePreviousState(ports, target.desired, target.entry);
  await ports.reports.put(key, JSON.stringify({ ...before, run: runOf(ref) } satisfies KeptPrevious), 'application/json');
}

/**
 * The desired state that restores the cluster, and the commit it goes back to; undefined when this
 * execution did not change the cluster (it kept no values for it, or its record says it wrote nothing).
 */
export async function readRollbackTarget(ports: StepPorts, ref: RollbackStepRef, target: Target): Promise<{ desired: DesiredCluster; commit: string } | undefined> {
  const kept = await readJson<KeptPrevious>(ports.reports, previousStateKey(ref.commit, ref.cluster));
  if (kept === undefined || kept.run !== runOf(ref)) return undefined;
  const record = await readJson<ClusterRollout>(ports.reports, runKeys.cluster('rollout', ref.commit, ref.cluster));
  // no record: the wave's Map stopped while the apply ran, which may have written; restore to be sure
  if (record !== undefined && record.changes.create + record.changes.update + record.changes.prune === 0) return undefined;
  const { run: _run, ...previous } = kept;
  return { desired: buildRestoreDesired(target.desired, previous), commit: previous.commit };
}

/** Records what the restore did on the cluster's rollout record, where the report reads it. */
export async function recordRollback(ports: StepPorts, ref: RollbackStepRef, commit: string, result: Pick<ClusterRollout, 'outcome' | 'error'>): Promise<void> {
  const key = runKeys.cluster('rollout', ref.commit, ref.cluster);
  const record = await readJson<ClusterRollout & { wave?: string }>(ports.reports, key) ?? { ...idleCluster(ref.cluster, 'not-started'), wave: ref.wave };
  const rolledBack: NonNullable<ClusterRollout['rolledBack']> = result.outcome === 'failed'
    ? { commit, outcome: 'failed', ...(result.error === undefined ? {} : { error: result.error }) }
    : { commit, outcome: 'succeeded' };
  await ports.reports.put(key, JSON.stringify({ ...record, rolledBack }), 'application/json');
}
