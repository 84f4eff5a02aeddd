/**
 * `regops plan -o text`: per cluster a compact change set (one line per step, Flux-style), a unified
 * diff per changed object (`kubectl diff`-style) and Terraform's one-line summary; ANSI colours only
 * when asked (the CLI asks when stdout is a TTY).
 */
import { formatWaveWindows } from '../change-windows.ts';
import type { ClusterPlan, Diagnostic, PlanReport } from '../model.ts';
import { describeAction } from './describe-action.ts';
import { describePrunerLine } from './describe-pruner-line.ts';
import { describeTarget } from './describe-target.ts';
import { formatPlanCounts } from './format-plan-counts.ts';
import { shortenDigests } from './format-value.ts';
import { paint, type TextRenderOptions } from './paint.ts';
import { renderFieldDiff, type DiffLine } from './render-field-diff.ts';

function paintDiffLine(line: DiffLine, color: boolean | undefined): string {
  const style = line.kind === 'removed' ? 'red' : line.kind === 'added' ? 'green' : line.kind === 'hunk' ? 'cyan' : 'bold';
  return paint(line.text, style, color);
}

/** `error plan.destructive-remove clusters/x/registry.yaml:3:3: message` and an indented hint. */
function formatDiagnosticLines(diagnostic: Diagnostic, color: boolean | undefined): string[] {
  const severity = paint(diagnostic.severity, diagnostic.severity === 'error' ? 'red' : 'yellow', color);
  return [
    `${severity} ${diagnostic.code} ${diagnostic.file}:${diagnostic.line}:${diagnostic.col}: ${shortenDigests(diagnostic.message)}`,
    `  hint: ${diagnostic.hint}`,
  ];
}

function renderCluster(plan: ClusterPlan, color: boolean | undefined): string[] {
  const lines = [paint(`Cluster ${plan.cluster}`, 'bold', color)];
  if (plan.error !== undefined) {
    const step = plan.error.step === undefined ? '' : ` at ${plan.error.step}`;
    lines.push(`  ${paint('error', 'red', color)}${step}: ${plan.error.code}: ${shortenDigests(plan.error.message)}`);
    return lines;
  }
  for (const entry of plan.entries) lines.push(`  ${describeTarget(entry.target)} ${describeAction(entry)}`);
  for (const entry of plan.entries) {
    if (entry.changes.length === 0 || entry.action === 'unchanged') continue;
    for (const line of renderFieldDiff(describeTarget(entry.target), entry.changes, { created: entry.action === 'create' })) lines.push(paintDiffLine(line, color));
  }
  for (const diagnostic of plan.diagnostics) lines.push(...formatDiagnosticLines(diagnostic, color));
  if (plan.pruner !== undefined) lines.push(`  ${describePrunerLine(plan.pruner)}`);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  lines.push(formatPlanCounts(plan.summary, errors));
  return lines;
}

/** Renders a PlanReport as terminal text (clusters in report order: name order from buildPlanReport). */
export function renderPlanText(report: PlanReport, options: TextRenderOptions = {}): string {
  const { color } = options;
  const lines = [`regops plan: commit ${report.commit}, generated ${report.generatedAt}`, ''];
  for (const plan of report.clusters) lines.push(...renderCluster(plan, color), '');
  const s = report.summary;
  lines.push(
    `${s.clusters} cluster${s.clusters === 1 ? '' : 's'}, ${s.clustersWithChanges} with changes, ${s.errors} with errors. ` +
      `Total: ${s.create} to add, ${s.update} to change, ${s.prune} to prune, ${s.unchanged} unchanged, ${s.skipped} skipped.`,
  );
  if (report.windows !== undefined) lines.push(`Change windows: ${formatWaveWindows(report.windows)}.`);
  return `${lines.join('\n')}\n`;
}
