import type { DriftReport } from '../../model.ts';

/** One scan on the trend chart: how many clusters were in each problem state. */
export interface TrendPoint {
  at: string;
  clusters: number;
  drifted: number;
  degraded: number;
  unreachable: number;
}

/** The trend over the last `limit` scans (`scans` oldest first), counted from each scan's clusters. */
export function collectTrendPoints(scans: readonly DriftReport[], limit: number): TrendPoint[] {
  return scans.slice(Math.max(0, scans.length - limit)).map((scan) => {
    const point: TrendPoint = { at: scan.generatedAt, clusters: scan.clusters.length, drifted: 0, degraded: 0, unreachable: 0 };
    for (const cluster of scan.clusters) {
      if (cluster.state === 'drifted' || cluster.state === 'degraded' || cluster.state === 'unreachable') {
        point[cluster.state] += 1;
      }
    }
    return point;
  });
}
