/**
 * Runs a wave plan (core's planWaves: plain data, the same plan Step Functions runs): waves in order,
 * at most maxConcurrency clusters at once, a wave fails when more than maxFailures clusters fail and
 * the rollout halts there (later waves not started), bake time between waves, `fromWave` to resume.
 * The report is core's buildRolloutReport, as for the Step Functions rollout.
 */
import type { ChangeWindow, ClusterEntry, ClusterRollout, DesiredCluster, RolloutReport, WaveHold, WavePlan } from '../core/model.ts';
import { buildRolloutReport, idleCluster, type WaveRun } from '../core/build-rollout-report.ts';
import { evaluateWindows } from '../core/change-windows.ts';
import { describeWaveHold } from '../core/report/describe-wave-gate.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { toError } from '../core/errors.ts';
import { SelectionError } from './errors.ts';
import { reconcileCluster } from './reconcile-cluster.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { buildRestoreDesired, capturePreviousState, type PreviousState } from './rollback-wave.ts';
import { errorCode } from './retry.ts';
import { runBounded } from './run-bounded.ts';

export interface RolloutInput {
  commit: string;
  plan: WavePlan;
  /** Rendered desired state and fleet entry of every cluster in the plan, by name. */
  clusters: ReadonlyMap<string, { desired: DesiredCluster; entry: ClusterEntry }>;
  /** Resume: waves before this one are skipped. */
  fromWave?: string;
  /** Overrides every wave's bake time (the demo and tests use short ones). */
  bakeSeconds?: number;
  reconcile?: Omit<ReconcileOptions, 'commit' | 'wave' | 'client'>;
  /** Keeps a cluster's previous owned values in the run's state before a `rollback: automatic` wave writes it. */
  keepPrevious?: (previous: PreviousState) => Promise<void>;
  /** fleet.yaml change windows: a wave starts only when they allow it, else the rollout halts before it. */
  windows?: readonly ChangeWindow[];
  /** Waves a person approved for this run (`approval: required`), and who. */
  approvals?: { waves: readonly string[]; by: string };
}

/**
 * `rollback: automatic`: every cluster the failed wave wrote gets its previous owned values back
 * through reconcileCluster (same dry run, patches and health gate), in order, and says so in the
 * cluster's `rolledBack`; core's buildRolloutReport words the halt reason from it (ROLLBACK FAILED).
 */
async function rollBack(ports: ClusterPorts, input: RolloutInput, wave: string, clusters: ClusterRollout[], previous: ReadonlyMap<string, PreviousState>): Promise<void> {
  for (const c of clusters) {
    const before = previous.get(c.cluster);
    const found = input.clusters.get(c.cluster);
    const wrote = c.changes.create + c.changes.update + c.changes.prune > 0;
    if (before === undefined || found === undefined || !wrote || c.outcome === 'not-started') continue;
    ports.progress?.emit({ cluster: c.cluster, phase: 'applying', wave, message: `rolling back to ${before.commit}` });
    const result = await reconcileCluster(ports, buildRestoreDesired(found.desired, before), found.entry, { ...input.reconcile, commit: before.commit, wave });
    c.rolledBack = result.outcome === 'failed'
      ? { commit: before.commit, outcome: 'failed', ...(result.error === undefined ? {} : { error: result.error }) }
      : { commit: before.commit, outcome: 'succeeded' };
  }
}

/** Why the wave may not start now under the fleet's change windows (with the next opening), or undefined. */
function checkWindows(input: RolloutInput, wave: string, clusters: readonly string[], now: Date): WaveHold | undefined {
  if (input.windows === undefined || input.windows.length === 0) return undefined;
  const groups = [...new Set(clusters.flatMap((c) => input.clusters.get(c)?.desired.groups ?? []))];
  const verdict = evaluateWindows(input.windows, { wave, groups, clusters }, now);
  if (verdict.open) return undefined;
  return { kind: 'window', reason: verdict.reason ?? 'closed', ...(verdict.nextOpen === undefined ? {} : { nextOpen: verdict.nextOpen }) };
}

/** Rolls the plan out wave by wave; never throws for a cluster failure (it is in the report). */
export async function runRollout(ports: ClusterPorts, input: RolloutInput): Promise<RolloutReport> {
  const { clock } = ports;
  const started = clock.now();
  const firstWave = input.fromWave === undefined ? 0 : input.plan.waves.findIndex((w) => w.name === input.fromWave);
  if (firstWave < 0) throw new SelectionError(`rollout: no wave named ${input.fromWave ?? ''} (waves: ${input.plan.waves.map((w) => w.name).join(', ')})`);
  const runs = new Map<string, WaveRun>();
  const finish = (): RolloutReport => buildRolloutReport({ commit: input.commit, plan: input.plan, ...(input.fromWave === undefined ? {} : { fromWave: input.fromWave }), waves: runs, startedAt: started, finishedAt: clock.now() });
  for (const [index, wave] of input.plan.waves.entries()) {
    if (index < firstWave) continue;
    const approved = wave.approval !== 'required' || input.approvals?.waves.includes(wave.name) === true;
    const approval = approved && wave.approval === 'required' && input.approvals !== undefined ? { approvedBy: { by: input.approvals.by, at: clock.now().toISOString() } } : {};
    const held: WaveHold | undefined = approved ? checkWindows(input, wave.name, wave.clusters, clock.now()) : { kind: 'approval-required' };
    if (held !== undefined) {
      for (const cluster of wave.clusters) ports.progress?.emit({ cluster, phase: 'skipped', wave: wave.name, message: approved ? describeWaveHold(wave.name, held) : 'waiting for approval' });
      // approved on the command line, then held by its window: the report keeps who approved it
      runs.set(wave.name, { held, ...approval });
      return finish();
    }
    for (const cluster of wave.clusters) ports.progress?.emit({ cluster, phase: 'waiting', wave: wave.name });
    let failures = 0;
    const previous = new Map<string, PreviousState>();
    const results = await runBounded(
      wave.clusters,
      wave.maxConcurrency,
      async (name) => {
        const found = input.clusters.get(name);
        if (found === undefined) throw new SelectionError(`rollout: cluster ${name} is in wave ${wave.name} but was not rendered`);
        if (wave.rollback === 'automatic') {
          // no write before the values to restore are kept: a cluster that cannot be read is not changed
          try {
            const before = await capturePreviousState(ports, found.desired, found.entry);
            await input.keepPrevious?.(before);
            previous.set(name, before);
          } catch (thrown) {
            const error = toError(thrown);
            failures += 1;
            ports.progress?.emit({ cluster: name, phase: 'failed', wave: wave.name, message: error.message });
            return { ...idleCluster(name, 'not-started'), outcome: 'failed', step: 'connect', error: { code: errorCode(error), message: error.message, step: 'connect' } } satisfies ClusterRollout;
          }
        }
        const outcome = await reconcileCluster(ports, found.desired, found.entry, { ...input.reconcile, commit: input.commit, wave: wave.name });
        if (outcome.outcome === 'failed') failures += 1;
        return outcome;
      },
      () => failures <= wave.maxFailures,
    );
    const clusters = results.filter((r): r is ClusterRollout => r !== undefined);
    for (const [i, r] of results.entries()) if (r === undefined) ports.progress?.emit({ cluster: wave.clusters[i] as string, phase: 'skipped', wave: wave.name, message: 'wave stopped' });
    if (failures > wave.maxFailures) {
      await rollBack(ports, input, wave.name, clusters, previous);
      runs.set(wave.name, { clusters, ...approval, halted: {} });
      return finish();
    }
    runs.set(wave.name, { clusters, ...approval });
    const bake = input.bakeSeconds ?? wave.bakeSeconds;
    const more = index < input.plan.waves.length - 1;
    if (more && bake > 0 && clusters.some((c) => c.outcome === 'succeeded')) {
      for (const c of clusters) ports.progress?.emit({ cluster: c.cluster, phase: 'healthy', wave: wave.name, message: `baking ${bake}s before the next wave` });
      await clock.sleep(bake * 1000);
    }
  }
  return finish();
}
