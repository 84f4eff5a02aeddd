/**
 * What a command prints: the report as text (coloured only on a TTY, and never with NO_COLOR),
 * JSON (apiVersion regops/v1) or Markdown, on stdout; `--report-dir DIR` also publishes the files
 * there (the same layout the serverless functions publish to S3).
 */
import { formatLabelSelector } from '../core/parse-label-selector.ts';
import type { Report } from '../core/model.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { renderDriftMarkdown } from '../core/report/drift-markdown.ts';
import { renderDriftText } from '../core/report/drift-text.ts';
import { renderPlanMarkdown } from '../core/report/plan-markdown.ts';
import { renderPlanText } from '../core/report/plan-text.ts';
import { renderReportJson } from '../core/report/report-json.ts';
import { renderRolloutMarkdown } from '../core/report/rollout-markdown.ts';
import { renderRolloutText } from '../core/report/rollout-text.ts';
import { publishReport } from '../engine/publish-report.ts';
import type { OutputFormat } from './parse-command-line.ts';
import { createReportStore } from './wiring.ts';

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColour(out: Writable): boolean {
  return out.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
}

/** The report in the format asked for. */
export function formatReport(report: Report, format: OutputFormat, colour: boolean): string {
  if (format === 'json') return renderReportJson(report);
  const text = (() => {
    switch (report.kind) {
      case 'PlanReport':
        return format === 'markdown' ? renderPlanMarkdown(report) : renderPlanText(report, { color: colour });
      case 'DriftReport':
        return format === 'markdown' ? renderDriftMarkdown(report) : renderDriftText(report, { color: colour });
      case 'RolloutReport':
        return format === 'markdown' ? renderRolloutMarkdown(report) : renderRolloutText(report, { color: colour });
    }
  })();
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Prints the report; with `reportDir`, also publishes it there and says where on stderr. */
export async function emitReport(report: Report, format: OutputFormat, reportDir: string | undefined, out: Writable = process.stdout, err: Writable = process.stderr): Promise<void> {
  out.write(formatReport(report, format, useColour(out)));
  if (reportDir === undefined) return;
  const published = await publishReport(createReportStore(reportDir), report);
  err.write(`regops: reports written to ${reportDir}: ${published.keys.join(', ')}\n`);
}

/** A selector no cluster matches is most often a typo: say so on stderr rather than report an empty fleet silently. */
export function noteEmptySelection(clusters: number, selection: ClusterSelection, err: Writable = process.stderr): void {
  const requirements = selection.requirements ?? [];
  if (clusters > 0 || requirements.length === 0) return;
  err.write(`regops: no cluster in fleet.yaml matches ${formatLabelSelector(requirements)}${selection.names.length > 0 ? ` among ${selection.names.join(', ')}` : ''}; nothing to do (labels are set per cluster in fleet.yaml)\n`);
}
