import { describe, expect, it } from 'vitest';
import { buildReportKeys, nameReportKind } from '../../../functions/core/report-keys.ts';

describe('buildReportKeys', () => {
  it.each([
    ['DriftReport', '2026-11-25T06:00:00.000Z', 'latest/drift.json', 'history/drift/2026/11/25/2026-11-25T06:00:00.000Z.json'],
    ['RolloutReport', '2026-01-02T23:59:59.123Z', 'latest/rollout.json', 'history/rollout/2026/01/02/2026-01-02T23:59:59.123Z.json'],
    ['PlanReport', '2026-12-31T00:00:00Z', 'latest/plan.json', 'history/plan/2026/12/31/2026-12-31T00:00:00.000Z.json'],
  ] as const)('%s at %s', (kind, generatedAt, json, history) => {
    const keys = buildReportKeys({ kind, generatedAt });
    expect(keys.json).toBe(json);
    expect(keys.markdown).toBe(json.replace('.json', '.md'));
    expect(keys.html).toBe('latest/index.html');
    expect(keys.history).toBe(history);
    expect(nameReportKind({ kind })).toBe(json.slice('latest/'.length, -'.json'.length));
  });
  it('a workflow run\'s entry is dated by the run\'s start and named by its commit, whenever the report was made (a retried publish finds it)', () => {
    const run = { startedAt: '2026-12-04T09:59:58.250Z', commit: 'c0ffee'.repeat(6) + 'abcd' };
    const first = buildReportKeys({ kind: 'RolloutReport', generatedAt: '2026-12-04T10:20:00.000Z' }, run);
    const retried = buildReportKeys({ kind: 'RolloutReport', generatedAt: '2026-12-04T10:20:04.000Z' }, run);
    expect(first.history).toBe('history/rollout/2026/12/04/2026-12-04T09:59:58.250Z-c0ffeec0ffee.json');
    expect(retried).toEqual(first);
    expect(() => buildReportKeys({ kind: 'PlanReport', generatedAt: '2026-12-04T10:20:00.000Z' }, { ...run, startedAt: '' })).toThrow(/run startedAt is not a time/);
  });
  it('refuses a report without a readable time', () => {
    expect(() => buildReportKeys({ kind: 'DriftReport', generatedAt: 'yesterday' })).toThrow(RangeError);
  });
});
