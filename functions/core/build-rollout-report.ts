/**
 * The RolloutReport of a wave plan, from what each wave did. One builder for both orchestrators: the
 * CLI's (engine/rollout.ts runs the waves in process) and the Step Functions rollout's
 * (engine/steps/assemble-rollout-report.ts reads what the cluster steps stored), so the halt text,
 * the skipped and not-started waves and the "(no wave)" entry are written once.
 * A failure within maxFailures lets the rollout go on, yet it is still a failure: the wave and the
 * rollout report `failed` (exit 1, README "Exit codes"), and only `halted` says whether it stopped.
 */
import type { ClusterRollout, RolloutReport, WaveHold, WavePlan, WaveRollout } from './model.ts';
import { API_VERSION } from './model.ts';
import { describeWaveHold } from './report/describe-wave-gate.ts';

/** The entry that lists the selected clusters no wave matches (never rolled out, reported skipped). */
export const NO_WAVE = '(no wave)';

/** What one wave did. */
export type WaveRun =
  /**
   * Held before it started (approval required, outside a change window): nothing ran and the rollout
   * stops here. `approvedBy`: the wave was approved in this run and then held by its change window.
   */
  | { held: WaveHold; approvedBy?: { by: string; at: string } }
  | {
    /** The outcomes of the clusters that ran; a cluster of the wave missing here did not start. */
    clusters: readonly ClusterRollout[];
    approvedBy?: { by: string; at: string };
    /** The wave stopped the rollout: more clusters failed than its maxFailures allows. */
    halted?: {
      /** Why, when no stored cluster failure says it (the state machine's Map error and cause). */
      unexplained?: string;
    };
  };

export interface RolloutRun {
  commit: string;
  plan: WavePlan;
  /** Resumed here: earlier waves are reported skipped. */
  fromWave?: string;
  /** The waves that ran or were held, by name; any other wave after fromWave did not start. */
  waves: ReadonlyMap<string, WaveRun>;
  startedAt: Date;
  finishedAt: Date;
}

/** A cluster nothing was done to. */
export function idleCluster(cluster: string, outcome: 'skipped' | 'not-started'): ClusterRollout {
  return { cluster, outcome, changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] };
}

/** The report; waves after the first that halted are not started, whatever `waves` holds for them. */
export function buildRolloutReport(run: RolloutRun): RolloutReport {
  const first = run.fromWave === undefined ? 0 : Math.max(0, run.plan.waves.findIndex((w) => w.name === run.fromWave));
  const waves: WaveRollout[] = [];
  let halted: RolloutReport['halted'];
  for (const [index, wave] of run.plan.waves.entries()) {
    const base = { name: wave.name, maxConcurrency: wave.maxConcurrency, maxFailures: wave.maxFailures };
    const done = run.waves.get(wave.name);
    if (index < first) {
      waves.push({ ...base, status: 'skipped', clusters: wave.clusters.map((c) => idleCluster(c, 'skipped')) });
      continue;
    }
    if (halted !== undefined || done === undefined || 'held' in done) {
      // only the first hold stopped the rollout: the report names it on the wave and as the halt reason
      const held: Pick<WaveRollout, 'held' | 'approvedBy'> = halted === undefined && done !== undefined && 'held' in done ? { held: done.held, ...(done.approvedBy === undefined ? {} : { approvedBy: done.approvedBy }) } : {};
      if (held.held !== undefined) halted = { wave: wave.name, reason: describeWaveHold(wave.name, held.held) };
      waves.push({ ...base, ...held, status: 'not-started', clusters: wave.clusters.map((c) => idleCluster(c, 'not-started')) });
      continue;
    }
    const byName = new Map(done.clusters.map((c) => [c.cluster, c]));
    const clusters = wave.clusters.map((c) => byName.get(c) ?? idleCluster(c, 'not-started'));
    const failures = clusters.filter((c) => c.outcome === 'failed');
    if (done.halted !== undefined) halted = { wave: wave.name, reason: describeHalt(wave, clusters, failures, done.halted) };
    const approval = done.approvedBy === undefined ? {} : { approvedBy: done.approvedBy };
    waves.push({ ...base, ...approval, status: done.halted !== undefined || failures.length > 0 ? 'failed' : 'succeeded', clusters });
  }
  if (run.plan.unassigned.length > 0) {
    waves.push({ name: NO_WAVE, status: 'skipped', maxConcurrency: 0, maxFailures: 0, clusters: run.plan.unassigned.map((c) => idleCluster(c, 'skipped')) });
  }
  const report: RolloutReport = {
    apiVersion: API_VERSION,
    kind: 'RolloutReport',
    commit: run.commit,
    generatedAt: run.finishedAt.toISOString(),
    durationMs: Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()),
    status: halted === undefined && !waves.some((w) => w.status === 'failed') ? 'succeeded' : 'failed',
    waves,
  };
  if (halted !== undefined) report.halted = halted;
  return report;
}

/**
 * What an automatic rollback did (engine/rollback-wave.ts), from the clusters' `rolledBack`: the CLI
 * and the Step Functions rollout (its rollback Map stores them) say it in the same words.
 */
function describeRollback(clusters: readonly ClusterRollout[]): string {
  const broken = clusters.filter((c) => c.rolledBack?.outcome === 'failed');
  if (broken.length > 0) return `; ROLLBACK FAILED on ${broken.map((c) => `${c.cluster}: ${c.rolledBack?.error?.message ?? 'failed'}`).join('; ')}`;
  const restored = clusters.filter((c) => c.rolledBack?.outcome === 'succeeded').length;
  return restored > 0 ? `; rolled back ${restored} cluster${restored === 1 ? '' : 's'} to their previous values` : '';
}

function describeHalt(wave: WavePlan['waves'][number], clusters: readonly ClusterRollout[], failures: readonly ClusterRollout[], halt: { unexplained?: string }): string {
  const first = failures[0];
  const why = first !== undefined
    ? `: ${first.cluster} failed at ${first.step ?? 'apply'}: ${first.error?.message ?? ''}`
    : halt.unexplained === undefined ? '' : `: ${halt.unexplained}`;
  return `${failures.length} of ${wave.clusters.length} clusters failed (maxFailures ${wave.maxFailures})${why}${describeRollback(clusters)}`;
}
