/**
 * `regops rollout -o markdown`: the status and the halt reason first, then a table per wave with
 * each cluster's outcome, the failed step and why.
 */
import type { RolloutReport } from '../model.ts';
import { describeRolloutCluster } from './describe-rollout-cluster.ts';
import { describeOutsideChange } from './describe-outside-change.ts';
import { describeRolloutFailures } from './describe-rollout-failures.ts';
import { describeWaveGate } from './describe-wave-gate.ts';
import { shortenDigests } from './format-value.ts';
import { codeSpan, escapeMarkdown } from './markdown-text.ts';
import { renderMarkdownTable } from './render-markdown-table.ts';

/** Renders a RolloutReport as GitHub-flavoured Markdown. */
export function renderRolloutMarkdown(report: RolloutReport): string {
  const out = [`### regops rollout for ${codeSpan(report.commit)}: ${report.status}`, ''];
  const failures = describeRolloutFailures(report);
  if (failures !== undefined) out.push(`**${escapeMarkdown(failures)}**`, '');
  if (report.halted !== undefined) {
    out.push(`**Halted at wave ${codeSpan(report.halted.wave)}**: ${escapeMarkdown(shortenDigests(report.halted.reason))}`, '');
    out.push(`Fix the cause, then resume with ${codeSpan(`regops rollout --from-wave ${report.halted.wave}`)}.`, '');
  }
  for (const wave of report.waves) {
    const gate = describeWaveGate(wave);
    out.push(
      `#### Wave ${codeSpan(wave.name)}: ${wave.status}`,
      '',
      `maxConcurrency ${wave.maxConcurrency}, maxFailures ${wave.maxFailures}, ${wave.clusters.length} cluster${wave.clusters.length === 1 ? '' : 's'}` +
        (gate === undefined ? '' : `, ${escapeMarkdown(shortenDigests(gate))}`),
      '',
    );
    if (wave.clusters.length === 0) continue;
    const rows = wave.clusters.map((cluster) => {
      const notes = [describeRolloutCluster(cluster)];
      for (const outside of cluster.outsideChanges ?? []) {
        for (const change of outside.changes) notes.push(describeOutsideChange(outside.resource, change));
      }
      return [codeSpan(cluster.cluster), cluster.outcome, cluster.step ?? '', notes.map((note) => escapeMarkdown(note)).join('<br>')];
    });
    out.push(...renderMarkdownTable(['Cluster', 'Outcome', 'Step', 'Details'], rows));
    out.push('');
  }
  out.push(`<sub>generated ${escapeMarkdown(report.generatedAt)} by regops in ${(report.durationMs / 1000).toFixed(1)} s</sub>`);
  return `${out.join('\n')}\n`;
}
