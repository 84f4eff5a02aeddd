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
  it('refuses a report without a readable time', () => {
    expect(() => buildReportKeys({ kind: 'DriftReport', generatedAt: 'yesterday' })).toThrow(RangeError);
  });
});
