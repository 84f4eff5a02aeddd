/**
 * Step `Publish` of a rollout, first half: the RolloutReport assembled from the per-cluster
 * outcomes the reconcile steps stored (run-store.ts).
 */
import type { ClusterRollout, RolloutReport, WavePlan, WaveRollout } from '../../core/model.ts';
import { API_VERSION } from '../../core/model.ts';
import { WorkflowError } from '../errors.ts';
import { readJson, runKeys, type StepPorts } from './run-store.ts';

export interface RolloutAssembly {
  commit: string;
  startedAt: string;
  /** Set by the state machine when a wave's Map failed. */
  halted?: { wave: string; error?: string; cause?: string };
}

/** Builds the RolloutReport (same shape as the CLI's runRollout) from what the cluster steps stored. */
export async function assembleRolloutReport(ports: Pick<StepPorts, 'reports' | 'clock'>, input: RolloutAssembly): Promise<RolloutReport> {
  const plan = await readJson<WavePlan & { fromWave?: string }>(ports.reports, runKeys.wavePlan('rollout', input.commit));
  if (plan === undefined) throw new WorkflowError('run.no-plan', `rollout ${input.commit}: no wave plan stored; the run must start with PlanWaves`, { commit: input.commit });
  const waves: WaveRollout[] = [];
  let halted: RolloutReport['halted'];
  const first = plan.fromWave === undefined ? 0 : Math.max(0, plan.waves.findIndex((w) => w.name === plan.fromWave));
  for (const [index, wave] of plan.waves.entries()) {
    const base = { name: wave.name, maxConcurrency: wave.maxConcurrency, maxFailures: wave.maxFailures };
    if (index < first) {
      waves.push({ ...base, status: 'skipped', clusters: wave.clusters.map((cluster) => ({ cluster, outcome: 'skipped', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] })) });
      continue;
    }
    const clusters = await Promise.all(wave.clusters.map(async (cluster): Promise<ClusterRollout> => {
      const stored = await readJson<ClusterRollout & { wave?: string }>(ports.reports, runKeys.cluster('rollout', input.commit, cluster));
      if (stored === undefined) return { cluster, outcome: 'not-started', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] };
      const { wave: _wave, ...rollout } = stored;
      return rollout;
    }));
    if (halted !== undefined) {
      waves.push({ ...base, status: 'not-started', clusters });
      continue;
    }
    const failures = clusters.filter((c) => c.outcome === 'failed');
    if (input.halted?.wave === wave.name) {
      const first = failures[0];
      const why = first === undefined ? `: ${input.halted.error ?? 'failed'} ${input.halted.cause ?? ''}`.trimEnd() : `: ${first.cluster} failed at ${first.step ?? 'apply'}: ${first.error?.message ?? ''}`;
      halted = { wave: wave.name, reason: `${failures.length} of ${wave.clusters.length} clusters failed (maxFailures ${wave.maxFailures})${why}` };
      waves.push({ ...base, status: 'failed', clusters });
      continue;
    }
    // a failure the wave's ToleratedFailureCount let through is still a failed cluster (rollout.ts)
    waves.push({ ...base, status: failures.length > 0 ? 'failed' : 'succeeded', clusters });
  }
  if (plan.unassigned.length > 0) {
    waves.push({ name: '(no wave)', status: 'skipped', maxConcurrency: 0, maxFailures: 0, clusters: plan.unassigned.map((cluster) => ({ cluster, outcome: 'skipped', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] })) });
  }
  const now = ports.clock.now();
  const report: RolloutReport = {
    apiVersion: API_VERSION,
    kind: 'RolloutReport',
    commit: input.commit,
    generatedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - Date.parse(input.startedAt)),
    status: halted === undefined && !waves.some((w) => w.status === 'failed') ? 'succeeded' : 'failed',
    waves,
  };
  if (halted !== undefined) report.halted = halted;
  return report;
}
