import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../../functions/core/model.ts';
import { ClusterSelectionError, selectClusters } from '../../../functions/core/select-clusters.ts';

const fleet: Fleet = {
  apiVersion: 'regops/v1',
  kind: 'Fleet',
  clusters: [
    { name: 'prod-us-1', labels: { env: 'prod', platform: 'aws' }, connection: {} },
    { name: 'lab-1', labels: { env: 'lab', platform: 'vsphere' }, connection: {} },
    { name: 'prod-eu-1', labels: { env: 'prod', platform: 'aws' }, connection: {} },
    { name: 'bm-1', labels: { env: 'prod', platform: 'baremetal' }, connection: {} },
  ],
  groups: [],
  waves: [],
  policies: [],
  defaultPolicy: 'inform',
};

describe('selectClusters', () => {
  const cases: Array<{ name: string; names: string[]; selector: Record<string, string>; expected: string[] }> = [
    { name: 'nothing given selects all, in name order', names: [], selector: {}, expected: ['bm-1', 'lab-1', 'prod-eu-1', 'prod-us-1'] },
    { name: 'names only', names: ['prod-us-1', 'lab-1'], selector: {}, expected: ['lab-1', 'prod-us-1'] },
    { name: 'selector only', names: [], selector: { env: 'prod', platform: 'aws' }, expected: ['prod-eu-1', 'prod-us-1'] },
    { name: 'names and selector must both match', names: ['lab-1', 'bm-1'], selector: { env: 'prod' }, expected: ['bm-1'] },
    { name: 'a selector nothing matches selects nothing', names: [], selector: { env: 'dev' }, expected: [] },
  ];
  it.each(cases)('$name', ({ names, selector, expected }) => {
    expect(selectClusters(fleet, { names, selector }).map((c) => c.name)).toEqual(expected);
  });

  it('an unknown name is an error naming the nearest cluster', () => {
    const attempt = (): unknown => selectClusters(fleet, { names: ['prod-eu1'], selector: {} });
    expect(attempt).toThrow(ClusterSelectionError);
    expect(attempt).toThrow('cluster prod-eu1: not in fleet.yaml (did you mean "prod-eu-1"?)');
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'select.unknown-cluster', context: { cluster: 'prod-eu1' } });
    }
  });

  it('a name far from every cluster gets no suggestion', () => {
    expect(() => selectClusters(fleet, { names: ['zzzzzzzz'], selector: {} })).toThrow(/^cluster zzzzzzzz: not in fleet.yaml$/);
  });
});
