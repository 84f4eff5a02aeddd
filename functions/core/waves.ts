/**
 * The wave plan (issue 3): which selected cluster rolls out in which wave, with the wave's limits.
 * Plain data, so the CLI and Step Functions run the same plan.
 */
import { matchesSelector } from './fleet.ts';
import { RegopsError } from './errors.ts';
import type { Fleet, WavePlan } from './model.ts';
import { formatSuggestion } from './suggest-name.ts';

export interface WavePlanOptions {
  /** Resume from this wave: earlier waves are left out. */
  fromWave?: string;
}

/** A wave named with --from-wave that fleet.yaml does not have. */
export class WaveSelectionError extends RegopsError {}

/**
 * Puts each selected cluster in the first wave (fleet order) whose selector matches its labels;
 * clusters no wave matches are `unassigned`. Clusters inside a wave are in name order. Waves with
 * no selected cluster stay in the plan (empty), so a report shows every wave of the fleet.
 */
export function planWaves(fleet: Fleet, selectedClusterNames: readonly string[], options: WavePlanOptions = {}): WavePlan {
  const selected = new Set(selectedClusterNames);
  let startIndex = 0;
  if (options.fromWave !== undefined) {
    const fromWave = options.fromWave;
    startIndex = fleet.waves.findIndex((wave) => wave.name === fromWave);
    if (startIndex < 0) {
      const names = fleet.waves.map((wave) => wave.name);
      throw new WaveSelectionError(
        'select.unknown-wave',
        `wave ${fromWave}: not in fleet.yaml${formatSuggestion(fromWave, names)}; waves are: ${names.join(', ') || '(none)'}`,
        { wave: fromWave },
      );
    }
  }
  const byWave = fleet.waves.map(() => [] as string[]);
  const unassigned: string[] = [];
  for (const cluster of fleet.clusters) {
    if (!selected.has(cluster.name)) continue;
    const index = fleet.waves.findIndex((wave) => matchesSelector(cluster.labels, wave.selector));
    if (index < 0) unassigned.push(cluster.name);
    else byWave[index]?.push(cluster.name);
  }
  const waves = fleet.waves.slice(startIndex).map((wave, i) => ({
    name: wave.name,
    maxConcurrency: wave.maxConcurrency,
    maxFailures: wave.maxFailures,
    bakeSeconds: wave.bakeSeconds,
    ...(wave.rollback === 'automatic' ? { rollback: 'automatic' as const } : {}),
    ...(wave.approval === 'required' ? { approval: 'required' as const } : {}),
    ...(wave.approval === 'required' && wave.approvers === 'different-from-pusher' ? { approvers: 'different-from-pusher' as const } : {}),
    clusters: (byWave[startIndex + i] ?? []).sort(),
  }));
  return { waves, unassigned: unassigned.sort() };
}
