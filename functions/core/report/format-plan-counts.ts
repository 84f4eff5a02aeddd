/** Terraform's one-line plan summary, for text and Markdown alike. */
import type { PlanSummary } from '../model.ts';

/** `Plan: 1 to add, 2 to change, 0 to prune.` or `No changes.` */
export function formatPlanCounts(summary: PlanSummary): string {
  if (summary.create + summary.update + summary.prune === 0) return 'No changes.';
  return `Plan: ${summary.create} to add, ${summary.update} to change, ${summary.prune} to prune.`;
}
