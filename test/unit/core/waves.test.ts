import { describe, expect, it } from 'vitest';
import type { ClusterEntry, Fleet, WaveEntry } from '../../../functions/core/model.ts';
import { planWaves, WaveSelectionError } from '../../../functions/core/waves.ts';

function cluster(name: string, labels: Record<string, string>): ClusterEntry {
  return { name, labels, connection: {} };
}
function wave(name: string, selector: Record<string, string>, maxConcurrency = 1, maxFailures = 0, bakeSeconds = 0): WaveEntry {
  return { name, selector, maxConcurrency, maxFailures, bakeSeconds };
}

const fleet: Fleet = {
  apiVersion: 'regops/v1',
  kind: 'Fleet',
  clusters: [
    cluster('prod-us-1', { env: 'prod', wave: 'main' }),
    cluster('lab-1', { env: 'lab', wave: 'canary' }),
    cluster('prod-eu-1', { env: 'prod', wave: 'main' }),
    cluster('stage-1', { env: 'stage' }),
    cluster('edge-1', { env: 'edge' }),
  ],
  groups: [],
  waves: [wave('canary', { wave: 'canary' }, 1, 0, 30), wave('staging', { env: 'stage' }, 2, 1, 60), wave('main', { env: 'prod' }, 5, 1, 0), wave('all-prod', { env: 'prod' })],
  policies: [],
  defaultPolicy: 'inform',
};
const all = fleet.clusters.map((c) => c.name);

describe('planWaves', () => {
  const cases: Array<{ name: string; selected: string[]; fromWave?: string; waves: Array<[string, string[]]>; unassigned: string[] }> = [
    {
      name: 'every cluster in the first wave that matches, in fleet order; no match → unassigned',
      selected: all,
      waves: [['canary', ['lab-1']], ['staging', ['stage-1']], ['main', ['prod-eu-1', 'prod-us-1']], ['all-prod', []]],
      unassigned: ['edge-1'],
    },
    {
      name: 'only selected clusters are placed',
      selected: ['prod-eu-1', 'edge-1'],
      waves: [['canary', []], ['staging', []], ['main', ['prod-eu-1']], ['all-prod', []]],
      unassigned: ['edge-1'],
    },
    {
      name: '--from-wave drops the earlier waves and their clusters',
      selected: all,
      fromWave: 'main',
      waves: [['main', ['prod-eu-1', 'prod-us-1']], ['all-prod', []]],
      unassigned: ['edge-1'],
    },
  ];
  it.each(cases)('$name', ({ selected, fromWave, waves, unassigned }) => {
    const plan = planWaves(fleet, selected, fromWave === undefined ? {} : { fromWave });
    expect(plan.waves.map((w) => [w.name, w.clusters])).toEqual(waves);
    expect(plan.unassigned).toEqual(unassigned);
  });

  it('carries the wave limits', () => {
    expect(planWaves(fleet, all).waves[1]).toEqual({ name: 'staging', maxConcurrency: 2, maxFailures: 1, bakeSeconds: 60, clusters: ['stage-1'] });
  });

  it('an unknown --from-wave is an error with the nearest name', () => {
    expect(() => planWaves(fleet, all, { fromWave: 'mainn' })).toThrow(WaveSelectionError);
    expect(() => planWaves(fleet, all, { fromWave: 'mainn' })).toThrow('wave mainn: not in fleet.yaml (did you mean "main"?)');
  });
});
