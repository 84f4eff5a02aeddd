import { describe, expect, it } from 'vitest';
import { orderJson, renderReportJson } from '../../../../functions/core/report/report-json.ts';
import { sampleDriftReport, samplePlanReport, sampleRolloutReport } from '../support/sample-reports.ts';

describe('renderReportJson', () => {
  it.each([
    ['PlanReport', samplePlanReport()],
    ['DriftReport', sampleDriftReport()],
    ['RolloutReport', sampleRolloutReport()],
  ] as const)('%s: apiVersion and kind first, then sorted keys; round-trips', (kind, report) => {
    const json = renderReportJson(report);
    expect(json.startsWith(`{\n  "apiVersion": "regops/v1",\n  "kind": "${kind}",\n`)).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    const topKeys = Object.keys(JSON.parse(json) as object);
    expect(topKeys.slice(2)).toEqual([...topKeys.slice(2)].sort());
  });

  it('orders keys at every level, apiVersion/kind/metadata first (a create patch reads like a manifest)', () => {
    expect(JSON.stringify(orderJson({ spec: { b: 1, a: [{ z: 1, y: 2 }] }, metadata: { name: 'x' }, kind: 'Config', apiVersion: 'v1' }))).toBe(
      '{"apiVersion":"v1","kind":"Config","metadata":{"name":"x"},"spec":{"a":[{"y":2,"z":1}],"b":1}}',
    );
  });

  it('is byte-for-byte stable whatever order the report was built in', () => {
    const report = sampleDriftReport();
    const reversed = Object.fromEntries(Object.entries(report).reverse()) as unknown as typeof report;
    expect(Object.keys(reversed)[0]).toBe('summary');
    expect(renderReportJson(reversed)).toBe(renderReportJson(report));
  });

  it('carries secret data as digests only', () => {
    const json = renderReportJson(samplePlanReport());
    expect(json).toMatch(/"REGISTRY_STORAGE_S3_SECRETKEY": "sha256:[0-9a-f]{64}"/);
  });
});
