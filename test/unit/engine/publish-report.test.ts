import { describe, expect, it } from 'vitest';
import type { DriftReport, PlanReport } from '../../../functions/core/model.ts';
import { publishReport } from '../../../functions/engine/publish-report.ts';
import { InMemoryReportStore } from '../../support/in-memory-ports.ts';

function drift(generatedAt: string, drifted: number): DriftReport {
  return {
    apiVersion: 'regops/v1', kind: 'DriftReport', commit: 'abc123', generatedAt, durationMs: 1200,
    clusters: [{ cluster: 'prod-1', labels: { env: 'prod' }, policy: 'inform', state: drifted > 0 ? 'drifted' : 'in-sync', resources: [], conditions: [] }],
    summary: { 'in-sync': drifted > 0 ? 0 : 1, drifted, unreachable: 0, unmanaged: 0, degraded: 0, clusters: 1, driftedFields: drifted, corrected: 0 },
  };
}

describe('publishReport', () => {
  it('writes latest JSON, Markdown, the page, and a dated history entry; the page sees earlier scans', async () => {
    const store = new InMemoryReportStore();
    await publishReport(store, drift('2026-11-24T06:00:00.000Z', 0));
    const published = await publishReport(store, drift('2026-11-25T06:00:00.000Z', 1));
    expect(published.keys).toEqual(['latest/drift.json', 'latest/drift.md', 'latest/index.html', 'history/drift/2026/11/25/2026-11-25T06:00:00.000Z.json']);
    expect(JSON.parse((await store.get('latest/drift.json')) ?? '')).toMatchObject({ apiVersion: 'regops/v1', kind: 'DriftReport', generatedAt: '2026-11-25T06:00:00.000Z' });
    expect(await store.get('latest/drift.md')).toContain('prod-1');
    expect(store.files.get('latest/index.html')?.contentType).toMatch(/^text\/html/);
    expect(await store.get('latest/index.html')).toContain('<html');
    expect(await store.list('history/drift/')).toEqual([
      'history/drift/2026/11/24/2026-11-24T06:00:00.000Z.json',
      'history/drift/2026/11/25/2026-11-25T06:00:00.000Z.json',
    ]);
  });

  it('writes no page for a plan report', async () => {
    const store = new InMemoryReportStore();
    const plan: PlanReport = { apiVersion: 'regops/v1', kind: 'PlanReport', commit: 'abc', generatedAt: '2026-11-25T06:00:00.000Z', clusters: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0, clusters: 0, clustersWithChanges: 0, errors: 0 } };
    const published = await publishReport(store, plan);
    expect(published.keys).toEqual(['latest/plan.json', 'latest/plan.md', 'history/plan/2026/11/25/2026-11-25T06:00:00.000Z.json']);
    expect(await store.get('latest/index.html')).toBeUndefined();
  });
});
