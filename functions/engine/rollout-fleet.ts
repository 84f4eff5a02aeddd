/**
 * `regops rollout` and `regops apply`: load and validate, select, plan the waves (core's planWaves,
 * plain data), run them. `apply` runs the selected clusters as one wave that never halts.
 */
import type { RolloutReport, WavePlan } from '../core/model.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { planWaves } from '../core/waves.ts';
import type { EnginePorts } from './engine-ports.ts';
import { loadFleet, selectDesired } from './load-fleet.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { runRollout } from './rollout.ts';

export interface RolloutFleetOptions {
  ref?: string;
  selection: ClusterSelection;
  fromWave?: string;
  /** Overrides every wave's bake time. */
  bakeSeconds?: number;
  /** `regops apply`: ignore fleet waves, apply the selection at once (this many at a time), never halt. */
  applyConcurrency?: number;
  reconcile?: Omit<ReconcileOptions, 'commit' | 'wave' | 'client'>;
}

/** Rolls the selection out; cluster failures are in the report (status failed), not thrown. */
export async function rolloutFleet(ports: EnginePorts, options: RolloutFleetOptions): Promise<RolloutReport> {
  const loaded = await loadFleet(ports, options.ref);
  const targets = selectDesired(loaded, options.selection);
  const names = targets.map((t) => t.entry.name);
  const plan: WavePlan = options.applyConcurrency === undefined
    ? planWaves(loaded.fleet, names)
    : { waves: [{ name: 'apply', maxConcurrency: options.applyConcurrency, maxFailures: names.length, bakeSeconds: 0, clusters: names }], unassigned: [] };
  if (options.fromWave !== undefined) planWaves(loaded.fleet, names, { fromWave: options.fromWave }); // throws the "did you mean" error for an unknown wave
  return runRollout(ports, {
    commit: loaded.commit,
    plan,
    clusters: new Map(targets.map((t) => [t.entry.name, t])),
    ...(options.fromWave === undefined ? {} : { fromWave: options.fromWave }),
    ...(options.bakeSeconds === undefined ? {} : { bakeSeconds: options.bakeSeconds }),
    ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
  });
}
