/** One cluster's rollout outcome in words, shared by the text and Markdown renderers. */
import type { ClusterRollout, PlanSummary } from '../model.ts';
import { shortenDigests } from './format-value.ts';

function formatCounts(changes: PlanSummary): string {
  return `${changes.create} added, ${changes.update} changed, ${changes.prune} pruned`;
}

/** `failed at health-gate: cluster.degraded: …`, `succeeded: 0 added, 1 changed, 0 pruned`, `not-started`. */
export function describeRolloutCluster(cluster: ClusterRollout): string {
  if (cluster.outcome === 'failed') {
    const step = cluster.step === undefined ? '' : ` at ${cluster.step}`;
    const error = cluster.error === undefined ? '' : `: ${cluster.error.code}: ${shortenDigests(cluster.error.message)}`;
    return `failed${step}${error}`;
  }
  if (cluster.outcome === 'succeeded') return `succeeded: ${formatCounts(cluster.changes)}`;
  if (cluster.outcome === 'skipped' && cluster.error !== undefined) return `skipped: ${shortenDigests(cluster.error.message)}`;
  return cluster.outcome;
}
