/**
 * `regops plan -o markdown`, for a pull-request comment: a summary table of every cluster, then a
 * collapsible section per cluster with changes or findings holding the change set and a `diff`
 * block (GitHub colours `-`/`+` lines).
 */
import { formatWaveWindows } from '../change-windows.ts';
import type { ClusterPlan, PlanReport } from '../model.ts';
import { describeAction } from './describe-action.ts';
import { describePrunerLine, describePrunerVerdict } from './describe-pruner-line.ts';
import { describeTarget } from './describe-target.ts';
import { formatPlanCounts } from './format-plan-counts.ts';
import { shortenDigests } from './format-value.ts';
import { codeSpan, escapeMarkdown, fenceCode } from './markdown-text.ts';
import { renderFieldDiff } from './render-field-diff.ts';
import { renderMarkdownTable } from './render-markdown-table.ts';

function statusOf(plan: ClusterPlan): string {
  if (plan.error !== undefined) return `error: ${escapeMarkdown(plan.error.code)}`;
  if (plan.diagnostics.some((d) => d.severity === 'error')) return 'blocked by errors';
  return plan.summary.create + plan.summary.update + plan.summary.prune > 0 ? 'changes' : 'in sync';
}

/** The summary table says only yes/no; the reason is in the cluster's details and in text output. */
function prunerCell(plan: ClusterPlan): string {
  return plan.pruner === undefined ? '' : describePrunerVerdict(plan.pruner);
}

function renderDetails(plan: ClusterPlan): string[] {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const headline = plan.error !== undefined ? `could not plan: ${escapeMarkdown(plan.error.message)}` : escapeMarkdown(formatPlanCounts(plan.summary, errors));
  const out = ['<details>', `<summary><code>${escapeMarkdown(plan.cluster)}</code>: ${shortenDigests(headline)}</summary>`, ''];
  if (plan.error !== undefined) {
    out.push(`- ${codeSpan(plan.error.code)}: ${escapeMarkdown(shortenDigests(plan.error.message))}`);
  }
  for (const entry of plan.entries) out.push(`- ${codeSpan(describeTarget(entry.target))} ${escapeMarkdown(describeAction(entry))}`);
  if (plan.pruner !== undefined) out.push(`- ${escapeMarkdown(describePrunerLine(plan.pruner))}`);
  const diff = plan.entries
    .filter((entry) => entry.changes.length > 0 && entry.action !== 'unchanged')
    .flatMap((entry) => renderFieldDiff(describeTarget(entry.target), entry.changes, { created: entry.action === 'create' }).map((line) => line.text));
  if (diff.length > 0) out.push('', fenceCode('diff', diff));
  if (plan.diagnostics.length > 0) {
    const rows = plan.diagnostics.map((d) => [d.severity, codeSpan(d.code), codeSpan(`${d.file}:${d.line}:${d.col}`), escapeMarkdown(shortenDigests(d.message)), escapeMarkdown(d.hint)]);
    out.push('', ...renderMarkdownTable(['Severity', 'Rule', 'Where', 'Message', 'What to do'], rows));
  }
  out.push('', '</details>');
  return out;
}

/** Renders a PlanReport as GitHub-flavoured Markdown. */
export function renderPlanMarkdown(report: PlanReport): string {
  const s = report.summary;
  // a report from before the pruner effect existed (or with every cluster unplannable) keeps its columns
  const pruners = report.clusters.some((plan) => plan.pruner !== undefined);
  const out = [
    `### regops plan for ${codeSpan(report.commit)}`,
    '',
    `**${s.clusters} cluster${s.clusters === 1 ? '' : 's'}**, ${s.clustersWithChanges} with changes, ${s.errors} with errors: ` +
      `${s.create} to add, ${s.update} to change, ${s.prune} to prune.`,
    '',
    ...renderMarkdownTable(
      ['Cluster', ...['Add', 'Change', 'Prune', 'Unchanged', 'Skipped'].map((title) => ({ title, align: 'right' as const })), 'Status', ...(pruners ? ['Pruner'] : [])],
      report.clusters.map((plan) => {
        const c = plan.summary;
        return [codeSpan(plan.cluster), ...[c.create, c.update, c.prune, c.unchanged, c.skipped].map(String), statusOf(plan), ...(pruners ? [prunerCell(plan)] : [])];
      }),
    ),
  ];
  for (const plan of report.clusters) {
    const changed = plan.summary.create + plan.summary.update + plan.summary.prune + plan.summary.skipped > 0;
    if (changed || plan.error !== undefined || plan.diagnostics.length > 0) out.push('', ...renderDetails(plan));
  }
  if (report.windows !== undefined) out.push('', `Change windows: ${escapeMarkdown(formatWaveWindows(report.windows))}.`);
  out.push('', `<sub>generated ${escapeMarkdown(report.generatedAt)} by regops</sub>`);
  return `${out.join('\n')}\n`;
}
