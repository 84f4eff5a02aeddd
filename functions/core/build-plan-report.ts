/** Assembles cluster plans into the `regops plan -o json` report (apiVersion regops/v1). */
import { API_VERSION, type ClusterPlan, type PlanReport } from './model.ts';

/** Builds the PlanReport: clusters in name order, totals over all clusters. */
export function buildPlanReport(commit: string, generatedAt: string, clusterPlans: readonly ClusterPlan[]): PlanReport {
  const clusters = [...clusterPlans].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const summary: PlanReport['summary'] = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0, clusters: clusters.length, clustersWithChanges: 0, errors: 0 };
  for (const plan of clusters) {
    summary.create += plan.summary.create;
    summary.update += plan.summary.update;
    summary.prune += plan.summary.prune;
    summary.unchanged += plan.summary.unchanged;
    summary.skipped += plan.summary.skipped;
    if (plan.summary.create + plan.summary.update + plan.summary.prune > 0) summary.clustersWithChanges += 1;
    if (plan.error !== undefined || plan.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) summary.errors += 1;
  }
  return { apiVersion: API_VERSION, kind: 'PlanReport', commit, generatedAt, clusters, summary };
}
