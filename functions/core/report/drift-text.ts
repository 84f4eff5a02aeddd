/**
 * `regops drift -o text`: one line per cluster (state, policy, wave), then for a drifted cluster
 * each field with Git's value and the live one, for a degraded one the operator's reason, and the
 * outcome of an enforce correction, and the pruner warning (Git schedules a pruner whose registry is Removed).
 */
import type { ClusterDrift, DriftReport, DriftState } from '../model.ts';
import { describeFieldChange } from './describe-field-change.ts';
import { describePrunerLine } from './describe-pruner-line.ts';
import { describeTarget } from './describe-target.ts';
import { flattenMessage, shortenCommit, shortenDigests } from './format-value.ts';
import { paint, type TextRenderOptions } from './paint.ts';

const stateStyle: Record<DriftState, 'green' | 'yellow' | 'red' | 'cyan'> = {
  'in-sync': 'green',
  drifted: 'yellow',
  unreachable: 'red',
  unmanaged: 'cyan',
  degraded: 'red',
  error: 'red',
};

function renderCluster(drift: ClusterDrift, width: number, waveWidth: number, color: boolean | undefined): string[] {
  // columns line up (policy is inform or enforce, wave names differ in length); no trailing spaces
  const wave = drift.wave === undefined ? '' : `wave ${drift.wave}`;
  const commit = drift.appliedCommit === undefined ? '' : `applied ${shortenCommit(drift.appliedCommit)}`;
  const rest = `${drift.policy.padEnd(7)}  ${wave.padEnd(waveWidth)}  ${commit}`.trimEnd();
  const lines = [`${drift.cluster.padEnd(width)}  ${paint(drift.state.padEnd(11), stateStyle[drift.state], color)}  ${rest}`];
  for (const resource of drift.resources) {
    for (const change of resource.changes) {
      const { git, live, writer } = describeFieldChange(change);
      lines.push(`  ${describeTarget(resource.target)} ${change.path}: git ${git}, live ${live}${writer === undefined ? '' : ` (changed by ${writer})`}`);
    }
  }
  if (drift.state === 'degraded' || drift.state === 'unmanaged') {
    for (const c of drift.conditions) lines.push(`  ${c.object} ${c.type}=${c.status} ${c.reason}: ${flattenMessage(c.message)}`);
  }
  if (drift.error !== undefined) lines.push(`  ${paint('error', 'red', color)}: ${drift.error.code}: ${shortenDigests(drift.error.message)}`);
  if (drift.corrected !== undefined) {
    const why = drift.corrected.error === undefined ? '' : `: ${drift.corrected.error.code}: ${shortenDigests(drift.corrected.error.message)}`;
    lines.push(`  corrected (policy enforce): ${drift.corrected.outcome}${why}`);
  }
  // every cluster's pruner effect is in JSON and on the page; the text names only the ones to act on
  if (drift.pruner?.warning !== undefined) lines.push(`  ${paint(describePrunerLine(drift.pruner), 'yellow', color)}`);
  return lines;
}

/** Renders a DriftReport as terminal text. */
export function renderDriftText(report: DriftReport, options: TextRenderOptions = {}): string {
  const width = Math.max(7, ...report.clusters.map((c) => c.cluster.length));
  const lines = [`regops drift: commit ${report.commit}, generated ${report.generatedAt}, took ${(report.durationMs / 1000).toFixed(1)} s`, ''];
  const waveWidth = Math.max(0, ...report.clusters.map((c) => (c.wave === undefined ? 0 : c.wave.length + 5)));
  for (const drift of report.clusters) lines.push(...renderCluster(drift, width, waveWidth, options.color));
  const s = report.summary;
  lines.push(
    '',
    `${s.clusters} cluster${s.clusters === 1 ? '' : 's'}: ${s['in-sync']} in sync, ${s.drifted} drifted (${s.driftedFields} field${s.driftedFields === 1 ? '' : 's'}), ` +
      `${s.unreachable} unreachable, ${s.unmanaged} unmanaged, ${s.degraded} degraded${(s.error ?? 0) > 0 ? `, ${s.error ?? 0} with plan errors` : ''}; ${s.corrected} corrected.`,
  );
  return `${lines.join('\n')}\n`;
}
