/** Terraform's one-line plan summary, for text and Markdown alike. */
import type { PlanSummary } from '../model.ts';

/**
 * `Plan: 1 to add, 2 to change, 0 to prune.`, `No changes.`, or, when errors block the plan,
 * `Blocked by 1 error: nothing is applied (2 steps skipped).`
 */
export function formatPlanCounts(summary: PlanSummary, errors = 0): string {
  if (errors > 0) return `Blocked by ${errors} error${errors === 1 ? '' : 's'}: nothing is applied (${summary.skipped} step${summary.skipped === 1 ? '' : 's'} skipped).`;
  if (summary.create + summary.update + summary.prune === 0) return 'No changes.';
  return `Plan: ${summary.create} to add, ${summary.update} to change, ${summary.prune} to prune.`;
}
