/** One cluster's rollout outcome in words, shared by the text and Markdown renderers. */
import type { ClusterRollout, PlanSummary } from '../model.ts';
import { shortenDigests } from './format-value.ts';

function formatCounts(changes: PlanSummary): string {
  return `${changes.create} added, ${changes.update} changed, ${changes.prune} pruned`;
}

/** `failed at health-gate: cluster.degraded: …`, `succeeded: 0 added, 1 changed, 0 pruned`, `unchanged: health gate passed`, `not-started`. */
export function describeRolloutCluster(cluster: ClusterRollout): string {
  const outcome = describeOutcome(cluster);
  const back = cluster.rolledBack;
  if (back === undefined) return outcome;
  return back.outcome === 'succeeded' ? `${outcome}; rolled back to ${back.commit}` : `${outcome}; ROLLBACK to ${back.commit} FAILED: ${back.error?.code ?? ''}: ${shortenDigests(back.error?.message ?? '')}`;
}

function describeOutcome(cluster: ClusterRollout): string {
  if (cluster.outcome === 'failed') {
    const step = cluster.step === undefined ? '' : ` at ${cluster.step}`;
    const error = cluster.error === undefined ? '' : `: ${cluster.error.code}: ${shortenDigests(cluster.error.message)}`;
    return `failed${step}${error}`;
  }
  if (cluster.outcome === 'succeeded') return `succeeded: ${formatCounts(cluster.changes)}`;
  // nothing to write still passes the health gate (a rerun after a crash): say it did, and how long it waited
  if (cluster.outcome === 'unchanged' && cluster.healthGate !== undefined) {
    const waited = cluster.healthGate.waitedMs;
    return `unchanged: health gate passed${waited >= 1000 ? ` after ${(waited / 1000).toFixed(1)} s` : ''}`;
  }
  if (cluster.outcome === 'skipped' && cluster.error !== undefined) return `skipped: ${shortenDigests(cluster.error.message)}`;
  return cluster.outcome;
}
