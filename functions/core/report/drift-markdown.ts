/**
 * `regops drift -o markdown`: a table of every cluster's state, then per drifted or troubled
 * cluster a collapsible section with each field's Git value and live value, and the pruner warning
 * (Git schedules a pruner whose registry is Removed) where there is one.
 */
import type { ClusterDrift, ConditionSummary, DriftReport } from '../model.ts';
import { describeFieldChange } from './describe-field-change.ts';
import { describePrunerLine } from './describe-pruner-line.ts';
import { describeTarget } from './describe-target.ts';
import { shortenDigests } from './format-value.ts';
import { codeSpan, escapeMarkdown } from './markdown-text.ts';
import { renderMarkdownTable } from './render-markdown-table.ts';

function countFields(drift: ClusterDrift): number {
  return drift.resources.reduce((sum, resource) => sum + resource.changes.length, 0);
}

function noteOf(drift: ClusterDrift): string {
  const note = describeState(drift);
  if (drift.pruner?.warning === undefined) return note;
  return note === '' ? 'pruner warning' : `${note}; pruner warning`;
}

function describeState(drift: ClusterDrift): string {
  if (drift.error !== undefined) return escapeMarkdown(`${drift.error.code}: ${shortenDigests(drift.error.message)}`);
  if (drift.state === 'drifted') {
    const fields = countFields(drift);
    const corrected = drift.corrected === undefined ? '' : `; correction ${drift.corrected.outcome}`;
    return `${fields} field${fields === 1 ? '' : 's'}${corrected}`;
  }
  const degraded = drift.conditions.find((c) => c.type === 'Degraded' && c.status === 'True');
  if (degraded !== undefined) return escapeMarkdown(`${degraded.reason}: ${shortenDigests(degraded.message)}`);
  return '';
}

/** Not the healthy state of the ClusterOperator (Available True, Progressing and Degraded False; §6.2). */
function isAbnormal(condition: ConditionSummary): boolean {
  if (condition.type === 'Available') return condition.status !== 'True';
  if (condition.type === 'Progressing' || condition.type === 'Degraded') return condition.status !== 'False';
  return false;
}

function renderDetails(drift: ClusterDrift): string[] {
  const sections: string[][] = [];
  if (drift.resources.length > 0) {
    const rows = drift.resources.flatMap((resource) =>
      resource.changes.map((change) => {
        const { git, live, writer } = describeFieldChange(change);
        return [codeSpan(describeTarget(resource.target)), codeSpan(change.path), codeSpan(git), codeSpan(live), writer === undefined ? '' : escapeMarkdown(writer)];
      }),
    );
    sections.push(renderMarkdownTable(['Resource', 'Field', 'Git', 'Live', 'Changed by'], rows));
  }
  // a healthy operator's conditions are noise next to drifted fields
  if (drift.conditions.length > 0 && (drift.state !== 'drifted' || drift.conditions.some(isAbnormal))) {
    const rows = drift.conditions.map((c) => [escapeMarkdown(c.object), escapeMarkdown(c.type), escapeMarkdown(c.status), escapeMarkdown(c.reason), escapeMarkdown(shortenDigests(c.message))]);
    sections.push(renderMarkdownTable(['Object', 'Condition', 'Status', 'Reason', 'Message'], rows));
  }
  if (drift.error !== undefined) sections.push([`Error ${codeSpan(drift.error.code)}: ${escapeMarkdown(shortenDigests(drift.error.message))}`]);
  if (drift.corrected !== undefined) {
    const why = drift.corrected.error === undefined ? '' : `: ${codeSpan(drift.corrected.error.code)} ${escapeMarkdown(shortenDigests(drift.corrected.error.message))}`;
    sections.push([`Corrected (policy enforce): **${drift.corrected.outcome}**${why}`]);
  }
  if (drift.pruner?.warning !== undefined) sections.push([`**${escapeMarkdown(describePrunerLine(drift.pruner))}**`]);
  const out = ['<details>', `<summary><code>${escapeMarkdown(drift.cluster)}</code>: ${escapeMarkdown(drift.state)}</summary>`];
  for (const section of sections) out.push('', ...section);
  out.push('', '</details>');
  return out;
}

/** Renders a DriftReport as GitHub-flavoured Markdown. */
export function renderDriftMarkdown(report: DriftReport): string {
  const s = report.summary;
  const out = [
    `### regops drift for ${codeSpan(report.commit)}`,
    '',
    `**${s.clusters} cluster${s.clusters === 1 ? '' : 's'}**: ${s['in-sync']} in sync, ${s.drifted} drifted (${s.driftedFields} field${s.driftedFields === 1 ? '' : 's'}), ` +
      `${s.unreachable} unreachable, ${s.unmanaged} unmanaged, ${s.degraded} degraded${(s.error ?? 0) > 0 ? `, ${s.error ?? 0} with plan errors` : ''}; ${s.corrected} corrected.`,
    '',
    ...renderMarkdownTable(
      ['Cluster', 'State', 'Policy', 'Wave', 'Notes'],
      report.clusters.map((drift) => [codeSpan(drift.cluster), escapeMarkdown(drift.state), drift.policy, escapeMarkdown(drift.wave ?? ''), noteOf(drift)]),
    ),
  ];
  for (const drift of report.clusters) if (drift.state !== 'in-sync' || drift.pruner?.warning !== undefined) out.push('', ...renderDetails(drift));
  out.push('', `<sub>generated ${escapeMarkdown(report.generatedAt)} by regops in ${(report.durationMs / 1000).toFixed(1)} s</sub>`);
  return `${out.join('\n')}\n`;
}
