import { describe, expect, it } from 'vitest';
import type { ClusterDrift, DriftReport, DriftState } from '../../../../../functions/core/model.ts';
import { collectTrendPoints } from '../../../../../functions/core/report/html/trend-points.ts';
import { renderTrendChart } from '../../../../../functions/core/report/html/render-trend-chart.ts';

function scan(at: string, states: DriftState[]): DriftReport {
  const clusters: ClusterDrift[] = states.map((state, index) => ({ cluster: `c${index}`, labels: {}, policy: 'inform', state, resources: [], conditions: [] }));
  const summary = { 'in-sync': 0, drifted: 0, degraded: 0, unreachable: 0, unmanaged: 0, clusters: clusters.length, driftedFields: 0, corrected: 0 };
  return { apiVersion: 'regops/v1', kind: 'DriftReport', commit: 'c', generatedAt: at, durationMs: 1, clusters, summary };
}

describe('collectTrendPoints', () => {
  const scans = [
    scan('2026-11-20T01:00:00.000Z', ['in-sync', 'drifted', 'drifted', 'unmanaged']),
    scan('2026-11-20T02:00:00.000Z', ['degraded', 'drifted', 'unreachable', 'unmanaged']),
    scan('2026-11-20T03:00:00.000Z', ['in-sync', 'in-sync', 'in-sync', 'unmanaged']),
  ];

  it('counts drifted, degraded and unreachable clusters per scan', () => {
    expect(collectTrendPoints(scans, 30)).toEqual([
      { at: '2026-11-20T01:00:00.000Z', clusters: 4, drifted: 2, degraded: 0, unreachable: 0 },
      { at: '2026-11-20T02:00:00.000Z', clusters: 4, drifted: 1, degraded: 1, unreachable: 1 },
      { at: '2026-11-20T03:00:00.000Z', clusters: 4, drifted: 0, degraded: 0, unreachable: 0 },
    ]);
  });

  it('keeps the last `limit` scans', () => {
    expect(collectTrendPoints(scans, 2).map((p) => p.at)).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-20T03:00:00.000Z']);
  });
});

describe('renderTrendChart', () => {
  it('draws one bar group per scan with axis labels, a title and the figures as a table', () => {
    const svg = renderTrendChart([
      { at: '2026-11-20T01:00:00.000Z', clusters: 10, drifted: 3, degraded: 1, unreachable: 0 },
      { at: '2026-11-20T02:00:00.000Z', clusters: 10, drifted: 5, degraded: 0, unreachable: 2 },
    ]);
    expect(svg.match(/<g><title>/g)).toHaveLength(2);
    expect(svg).toContain('<title>2026-11-20 02:00 UTC: 5 drifted, 0 degraded, 2 unreachable of 10</title>');
    expect(svg).toContain('>clusters</text>');
    expect(svg).toContain('>scan time (UTC)</text>');
    expect(svg).toContain('>11-20 01:00</text>');
    expect(svg).toContain('drifted clusters went from 3 to 5 (highest 5)');
    expect(svg).toContain('<tr><td>2026-11-20 01:00 UTC</td><td>3</td><td>1</td><td>0</td><td>10</td></tr>');
  });

  it('says so when there is no scan yet', () => {
    expect(renderTrendChart([])).toContain('No drift scans yet');
  });
});
