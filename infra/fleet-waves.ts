/**
 * The waves of fleet.yaml as the stack needs them at synth time: names, limits and how many
 * clusters match each (to choose inline vs Distributed Map). Cluster lists are resolved per run by
 * plan-waves from the commit being rolled out; this only shapes the state machine.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { WaveSpec } from './constructs/state-machines.ts';

interface FleetYaml {
  spec?: {
    clusters?: Array<{ name?: string; labels?: Record<string, string> }>;
    waves?: Array<{ name?: string; selector?: Record<string, string>; maxConcurrency?: number; maxFailures?: number }>;
  };
}

/** Reads the waves of a fleet.yaml file (interfaces.md §1). */
export function readFleetWaves(fleetFile: string): WaveSpec[] {
  const fleet = parse(readFileSync(fleetFile, 'utf8')) as FleetYaml;
  const clusters = fleet.spec?.clusters ?? [];
  const waves = fleet.spec?.waves ?? [];
  if (waves.length === 0) {
    throw new Error(`${fleetFile}: spec.waves is empty; the rollout state machine needs at least one wave`);
  }
  // like core's planWaves: each cluster belongs to the first wave (fleet order) whose selector matches
  const counts = waves.map(() => 0);
  for (const cluster of clusters) {
    const index = waves.findIndex((wave) => Object.entries(wave.selector ?? {}).every(([key, value]) => cluster.labels?.[key] === value));
    if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
  }
  return waves.map((wave, index) => {
    if (wave.name === undefined) throw new Error(`${fleetFile}: spec.waves[${index}].name is missing`);
    return {
      name: wave.name,
      maxConcurrency: wave.maxConcurrency ?? 1,
      maxFailures: wave.maxFailures ?? 0,
      expectedClusters: counts[index] ?? 0,
    };
  });
}
