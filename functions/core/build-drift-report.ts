/**
 * The DriftReport from per-cluster results, clusters in name order with the summary counted: one
 * builder for the scan that holds every result at once (engine/scan-drift.ts) and the Step Functions
 * drift workflow, whose child executions each store one cluster's result (engine/steps/assemble-drift-report.ts).
 */
import type { ClusterDrift, DriftReport, DriftState } from './model.ts';
import { API_VERSION } from './model.ts';

const states: DriftState[] = ['in-sync', 'drifted', 'unreachable', 'unmanaged', 'degraded', 'error'];

/** `startedAt` and `now` come in as values: core reads no clock. */
export function buildDriftReport(commit: string, results: readonly ClusterDrift[], startedAt: Date, now: Date): DriftReport {
  const clusters = [...results].sort((a, b) => a.cluster.localeCompare(b.cluster));
  const summary = Object.fromEntries(states.map((s) => [s, 0])) as Record<DriftState, number>;
  for (const c of clusters) summary[c.state] += 1;
  const driftedFields = clusters.filter((c) => c.state === 'drifted').reduce((n, c) => n + c.resources.reduce((m, r) => m + r.changes.length, 0), 0);
  const corrected = clusters.filter((c) => c.corrected?.outcome === 'succeeded').length;
  return {
    apiVersion: API_VERSION,
    kind: 'DriftReport',
    commit,
    generatedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
    clusters,
    summary: { ...summary, clusters: clusters.length, driftedFields, corrected },
  };
}
