import { describe, expect, it } from 'vitest';
import { buildPlanReport } from '../../../functions/core/build-plan-report.ts';
import type { ClusterPlan } from '../../../functions/core/model.ts';

function plan(cluster: string, counts: Partial<ClusterPlan['summary']>, extra: Partial<ClusterPlan> = {}): ClusterPlan {
  return { cluster, entries: [], diagnostics: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0, ...counts }, ...extra };
}

describe('buildPlanReport', () => {
  it('sorts clusters by name and totals the counts', () => {
    const report = buildPlanReport('abc', '2026-11-25T12:00:00.000Z', [
      plan('b', { update: 2, unchanged: 1 }),
      plan('a', { create: 1 }),
      plan('c', { unchanged: 3 }),
      plan('d', {}, { error: { code: 'cluster.unreachable', message: 'down' } }),
      plan('e', { skipped: 1 }, { diagnostics: [{ code: 'plan.destructive-remove', severity: 'error', file: 'f', line: 1, col: 1, message: 'm', hint: 'h' }] }),
    ]);
    expect(report.clusters.map((c) => c.cluster)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(report.summary).toEqual({ create: 1, update: 2, prune: 0, unchanged: 4, skipped: 1, clusters: 5, clustersWithChanges: 2, errors: 2 });
    expect(report).toMatchObject({ apiVersion: 'regops/v1', kind: 'PlanReport', commit: 'abc', generatedAt: '2026-11-25T12:00:00.000Z' });
  });
});
