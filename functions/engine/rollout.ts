/**
 * Runs a wave plan (core's planWaves: plain data, the same plan Step Functions runs): waves in order,
 * at most maxConcurrency clusters at once, a wave fails when more than maxFailures clusters fail and
 * the rollout halts there (later waves not started), bake time between waves, `fromWave` to resume.
 * A failure within maxFailures lets the rollout go on, yet it is still a failure: the wave and the
 * rollout report `failed` (exit 1, README "Exit codes"), and only `halted` says whether it stopped.
 */
import type { ChangeWindow, ClusterEntry, ClusterRollout, DesiredCluster, RolloutReport, WavePlan, WaveRollout } from '../core/model.ts';
import { evaluateWindows } from '../core/change-windows.ts';
import { API_VERSION } from '../core/model.ts';
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

const none = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 };

function idle(cluster: string, outcome: 'skipped' | 'not-started'): ClusterRollout {
  return { cluster, outcome, changes: { ...none }, conditions: [] };
}

/**
 * `rollback: automatic`: every cluster the failed wave wrote gets its previous owned values back
 * through reconcileCluster (same dry run, patches and health gate), in order; answers what the halt
 * reason adds. A restore that fails is said loudly (ROLLBACK FAILED) in the reason and the cluster.
 */
async function rollBack(ports: ClusterPorts, input: RolloutInput, wave: string, clusters: ClusterRollout[], previous: ReadonlyMap<string, PreviousState>): Promise<string> {
  let restored = 0;
  const broken: string[] = [];
  for (const c of clusters) {
    const before = previous.get(c.cluster);
    const found = input.clusters.get(c.cluster);
    const wrote = c.changes.create + c.changes.update + c.changes.prune > 0;
    if (before === undefined || found === undefined || !wrote || c.outcome === 'not-started') continue;
    ports.progress?.emit({ cluster: c.cluster, phase: 'applying', wave, message: `rolling back to ${before.commit}` });
    const result = await reconcileCluster(ports, buildRestoreDesired(found.desired, before), found.entry, { ...input.reconcile, commit: before.commit, wave });
    if (result.outcome === 'failed') {
      c.rolledBack = { commit: before.commit, outcome: 'failed', ...(result.error === undefined ? {} : { error: result.error }) };
      broken.push(`${c.cluster}: ${result.error?.message ?? 'failed'}`);
    } else {
      c.rolledBack = { commit: before.commit, outcome: 'succeeded' };
      restored += 1;
    }
  }
  if (broken.length > 0) return `; ROLLBACK FAILED on ${broken.join('; ')}`;
  return restored > 0 ? `; rolled back ${restored} cluster${restored === 1 ? '' : 's'} to their previous values` : '';
}

/** Why the wave may not start now under the fleet's change windows (with the next opening), or undefined. */
function checkWindows(input: RolloutInput, wave: string, clusters: readonly string[], now: Date): string | undefined {
  if (input.windows === undefined || input.windows.length === 0) return undefined;
  const groups = [...new Set(clusters.flatMap((c) => input.clusters.get(c)?.desired.groups ?? []))];
  const verdict = evaluateWindows(input.windows, { wave, groups, clusters }, now);
  if (verdict.open) return undefined;
  return `held by a change window: ${verdict.reason ?? ''}${verdict.nextOpen === undefined ? '; no allow window opens again' : `; the wave may start at ${verdict.nextOpen}`}`;
}

/** Rolls the plan out wave by wave; never throws for a cluster failure (it is in the report). */
export async function runRollout(ports: ClusterPorts, input: RolloutInput): Promise<RolloutReport> {
  const { clock } = ports;
  const started = clock.now();
  const firstWave = input.fromWave === undefined ? 0 : input.plan.waves.findIndex((w) => w.name === input.fromWave);
  if (firstWave < 0) throw new SelectionError(`rollout: no wave named ${input.fromWave ?? ''} (waves: ${input.plan.waves.map((w) => w.name).join(', ')})`);
  const waves: WaveRollout[] = [];
  let halted: RolloutReport['halted'];
  for (const [index, wave] of input.plan.waves.entries()) {
    const base = { name: wave.name, maxConcurrency: wave.maxConcurrency, maxFailures: wave.maxFailures };
    if (index < firstWave) {
      waves.push({ ...base, status: 'skipped', clusters: wave.clusters.map((c) => idle(c, 'skipped')) });
      continue;
    }
    if (halted !== undefined) {
      waves.push({ ...base, status: 'not-started', clusters: wave.clusters.map((c) => idle(c, 'not-started')) });
      continue;
    }
    const approved = wave.approval !== 'required' || input.approvals?.waves.includes(wave.name) === true;
    if (!approved) {
      const reason = `wave ${wave.name} needs approval (approval: required); after review run: regops rollout --approve ${wave.name} --from-wave ${wave.name}`;
      halted = { wave: wave.name, reason };
      for (const cluster of wave.clusters) ports.progress?.emit({ cluster, phase: 'skipped', wave: wave.name, message: 'waiting for approval' });
      waves.push({ ...base, status: 'not-started', clusters: wave.clusters.map((c) => idle(c, 'not-started')) });
      continue;
    }
    const approval = wave.approval === 'required' && input.approvals !== undefined ? { approvedBy: { by: input.approvals.by, at: clock.now().toISOString() } } : {};
    const held = checkWindows(input, wave.name, wave.clusters, clock.now());
    if (held !== undefined) {
      halted = { wave: wave.name, reason: held };
      for (const cluster of wave.clusters) ports.progress?.emit({ cluster, phase: 'skipped', wave: wave.name, message: held });
      waves.push({ ...base, status: 'not-started', clusters: wave.clusters.map((c) => idle(c, 'not-started')) });
      continue;
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
            return { ...idle(name, 'not-started'), outcome: 'failed', step: 'connect', error: { code: errorCode(error), message: error.message, step: 'connect' } } satisfies ClusterRollout;
          }
        }
        const outcome = await reconcileCluster(ports, found.desired, found.entry, { ...input.reconcile, commit: input.commit, wave: wave.name });
        if (outcome.outcome === 'failed') failures += 1;
        return outcome;
      },
      () => failures <= wave.maxFailures,
    );
    const clusters = results.map((r, i) => r ?? idle(wave.clusters[i] as string, 'not-started'));
    for (const c of clusters) if (c.outcome === 'not-started') ports.progress?.emit({ cluster: c.cluster, phase: 'skipped', wave: wave.name, message: 'wave stopped' });
    const failed = failures > wave.maxFailures;
    waves.push({ ...base, ...approval, status: failures > 0 ? 'failed' : 'succeeded', clusters });
    if (failed) {
      const first = clusters.find((c) => c.outcome === 'failed');
      const why = first === undefined ? '' : `: ${first.cluster} failed at ${first.step ?? 'apply'}: ${first.error?.message ?? ''}`;
      halted = { wave: wave.name, reason: `${failures} of ${wave.clusters.length} clusters failed (maxFailures ${wave.maxFailures})${why}${await rollBack(ports, input, wave.name, clusters, previous)}` };
      continue;
    }
    const bake = input.bakeSeconds ?? wave.bakeSeconds;
    const more = index < input.plan.waves.length - 1;
    if (more && bake > 0 && clusters.some((c) => c.outcome === 'succeeded')) {
      for (const c of clusters) ports.progress?.emit({ cluster: c.cluster, phase: 'healthy', wave: wave.name, message: `baking ${bake}s before the next wave` });
      await clock.sleep(bake * 1000);
    }
  }
  if (input.plan.unassigned.length > 0) {
    waves.push({ name: '(no wave)', status: 'skipped', maxConcurrency: 0, maxFailures: 0, clusters: input.plan.unassigned.map((c) => idle(c, 'skipped')) });
  }
  const report: RolloutReport = {
    apiVersion: API_VERSION,
    kind: 'RolloutReport',
    commit: input.commit,
    generatedAt: clock.now().toISOString(),
    durationMs: clock.now().getTime() - started.getTime(),
    status: halted === undefined && !waves.some((w) => w.status === 'failed') ? 'succeeded' : 'failed',
    waves,
  };
  if (halted !== undefined) report.halted = halted;
  return report;
}
