import { describe, expect, it } from 'vitest';
import { diffOutsideChanges } from '../../../functions/engine/outside-changes.ts';

describe('diffOutsideChanges', () => {
  it('lists what another writer changed, ignoring status and server bookkeeping', () => {
    const before = { metadata: { name: 'cluster', resourceVersion: '5', generation: 2 }, spec: { replicas: 2, defaultRoute: false, logLevel: 'Normal' }, status: { readyReplicas: 2 } };
    const after = { metadata: { name: 'cluster', resourceVersion: '9', generation: 3 }, spec: { replicas: 2, defaultRoute: true, routes: [{ name: 'r' }] }, status: { readyReplicas: 1 } };
    expect(diffOutsideChanges(before, after)).toEqual([
      { path: 'spec.defaultRoute', op: 'change', before: false, after: true },
      { path: 'spec.logLevel', op: 'remove', before: 'Normal' },
      { path: 'spec.routes', op: 'add', after: [{ name: 'r' }] },
    ]);
  });
  it('finds nothing when only the resourceVersion moved', () => {
    expect(diffOutsideChanges({ metadata: { resourceVersion: '1' }, spec: { a: 1 } }, { metadata: { resourceVersion: '2' }, spec: { a: 1 } })).toEqual([]);
  });
});
