import { describe, expect, it } from 'vitest';
import type { ClusterDrift, DriftReport } from '../../../../../functions/core/model.ts';
import { computeDriftSince, fieldKey, type RunStart } from '../../../../../functions/core/report/html/drift-since.ts';
import { orderDriftScans } from '../../../../../functions/core/report/html/drift-scans.ts';

const CONFIG = { type: 'object' as const, ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' } };
const CONFIG_KEY = 'object:imageregistry.operator.openshift.io/v1:Config:cluster';

/** A scan at hour `hour` where cluster `a` has `state` and drifted fields `paths` (absent when state is undefined). */
function scan(hour: number, state: ClusterDrift['state'] | undefined, paths: string[] = []): DriftReport {
  const clusters: ClusterDrift[] =
    state === undefined
      ? []
      : [
          {
            cluster: 'a',
            labels: {},
            policy: 'inform',
            state,
            resources: paths.length === 0 ? [] : [{ target: CONFIG, changes: paths.map((path) => ({ path, op: 'change' as const, before: 1, after: 2 })) }],
            conditions: [],
          },
        ];
  const summary = { 'in-sync': 0, drifted: 0, degraded: 0, unreachable: 0, unmanaged: 0, clusters: clusters.length, driftedFields: 0, corrected: 0 };
  return { apiVersion: 'regops/v1', kind: 'DriftReport', commit: 'c', generatedAt: at(hour), durationMs: 1, clusters, summary };
}

function at(hour: number): string {
  return `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
}

describe('computeDriftSince', () => {
  const run = (hour: number, open = false): RunStart => ({ at: at(hour), open });
  const cases: Array<{ name: string; scans: DriftReport[]; since: RunStart | undefined; fields: Record<string, RunStart> }> = [
    { name: 'drifted only now', scans: [scan(1, 'in-sync'), scan(2, 'drifted', ['spec.replicas'])], since: run(2), fields: { 'spec.replicas': run(2) } },
    {
      name: 'drifted through all scans known: it may have started earlier',
      scans: [scan(1, 'drifted', ['spec.replicas']), scan(2, 'drifted', ['spec.replicas']), scan(3, 'drifted', ['spec.replicas'])],
      since: run(1, true),
      fields: { 'spec.replicas': run(1, true) },
    },
    { name: 'drifted in the only scan', scans: [scan(1, 'drifted', ['spec.replicas'])], since: run(1, true), fields: { 'spec.replicas': run(1, true) } },
    {
      name: 'a fixed drift that came back counts anew',
      scans: [scan(1, 'drifted', ['spec.replicas']), scan(2, 'in-sync'), scan(3, 'drifted', ['spec.replicas'])],
      since: run(3),
      fields: { 'spec.replicas': run(3) },
    },
    {
      name: 'a scan without the cluster breaks the run',
      scans: [scan(1, 'drifted', ['spec.replicas']), scan(2, undefined), scan(3, 'drifted', ['spec.replicas'])],
      since: run(3),
      fields: { 'spec.replicas': run(3) },
    },
    {
      name: 'each field has its own start',
      scans: [scan(1, 'in-sync'), scan(2, 'drifted', ['spec.logLevel']), scan(3, 'drifted', ['spec.logLevel', 'spec.replicas']), scan(4, 'drifted', ['spec.replicas', 'spec.logLevel'])],
      since: run(2),
      fields: { 'spec.logLevel': run(2), 'spec.replicas': run(3) },
    },
    {
      name: 'a field keeps differing while the cluster turns degraded: the field run goes on, the drifted run does not',
      scans: [scan(1, 'in-sync'), scan(2, 'drifted', ['spec.replicas']), scan(3, 'degraded', ['spec.replicas']), scan(4, 'drifted', ['spec.replicas'])],
      since: run(4),
      fields: { 'spec.replicas': run(2) },
    },
    { name: 'not drifted now', scans: [scan(1, 'drifted', ['spec.replicas']), scan(2, 'in-sync')], since: undefined, fields: {} },
  ];

  it.each(cases)('$name', ({ scans, since, fields }) => {
    const result = computeDriftSince(scans).get('a');
    expect(result?.since).toEqual(since);
    expect(Object.fromEntries(result?.fields ?? [])).toEqual(Object.fromEntries(Object.entries(fields).map(([path, start]) => [fieldKey(CONFIG_KEY, path), start])));
  });

  it('returns nothing without scans', () => {
    expect(computeDriftSince([]).size).toBe(0);
  });
});

describe('orderDriftScans', () => {
  it('sorts history oldest first, drops scans not older than the current one, and appends the current one', () => {
    const current = scan(5, 'drifted', ['spec.replicas']);
    const ordered = orderDriftScans([scan(3, 'in-sync'), scan(1, 'in-sync'), scan(5, 'in-sync'), scan(7, 'in-sync'), scan(2, 'in-sync')], current);
    expect(ordered.map((s) => s.generatedAt)).toEqual([at(1), at(2), at(3), at(5)]);
    expect(ordered[3]).toBe(current);
  });

  it('keeps all of history when there is no current drift scan (a rollout page)', () => {
    expect(orderDriftScans([scan(2, 'in-sync'), scan(1, 'in-sync')]).map((s) => s.generatedAt)).toEqual([at(1), at(2)]);
  });
});
