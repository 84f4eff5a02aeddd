/**
 * `regops rollout -o text`: the overall status and where it halted, then per wave its status and
 * limits and per cluster its outcome (the failed step and the reason), plus changes another writer
 * made during the apply.
 */
import type { RolloutReport, WaveRollout } from '../model.ts';
import { describeRolloutCluster } from './describe-rollout-cluster.ts';
import { describeOutsideChange } from './describe-outside-change.ts';
import { describeRolloutFailures } from './describe-rollout-failures.ts';
import { describeWaveGate } from './describe-wave-gate.ts';
import { flattenMessage, shortenDigests } from './format-value.ts';
import { paint, type PaintStyle, type TextRenderOptions } from './paint.ts';

const outcomeStyle: Record<string, PaintStyle> = { succeeded: 'green', unchanged: 'green', failed: 'red', skipped: 'yellow', 'not-started': 'yellow' };

function renderWave(wave: WaveRollout, color: boolean | undefined): string[] {
  const count = `${wave.clusters.length} cluster${wave.clusters.length === 1 ? '' : 's'}`;
  const gate = describeWaveGate(wave);
  const lines = [`${paint(`Wave ${wave.name}`, 'bold', color)}: ${paint(wave.status, outcomeStyle[wave.status] ?? 'bold', color)} (${count}, maxConcurrency ${wave.maxConcurrency}, maxFailures ${wave.maxFailures})${gate === undefined ? '' : `, ${shortenDigests(gate)}`}`];
  const width = Math.max(7, ...wave.clusters.map((c) => c.cluster.length));
  for (const cluster of wave.clusters) {
    const text = describeRolloutCluster(cluster);
    lines.push(`  ${cluster.cluster.padEnd(width)}  ${paint(text, outcomeStyle[cluster.outcome] ?? 'bold', color)}`);
    if (cluster.outcome === 'failed') {
      for (const c of cluster.conditions) lines.push(`    ${c.object} ${c.type}=${c.status} ${c.reason}: ${flattenMessage(c.message)}`);
    }
    for (const outside of cluster.outsideChanges ?? []) {
      for (const change of outside.changes) lines.push(`    ${describeOutsideChange(outside.resource, change)}`);
    }
  }
  return lines;
}

/** Renders a RolloutReport as terminal text. */
export function renderRolloutText(report: RolloutReport, options: TextRenderOptions = {}): string {
  const { color } = options;
  const status = paint(report.status, report.status === 'succeeded' ? 'green' : 'red', color);
  const lines = [`regops rollout: commit ${report.commit}, generated ${report.generatedAt}, took ${(report.durationMs / 1000).toFixed(1)} s: ${status}`];
  if (report.halted !== undefined) lines.push(`Halted at wave ${report.halted.wave}: ${shortenDigests(report.halted.reason)}`);
  lines.push('');
  for (const wave of report.waves) lines.push(...renderWave(wave, color));
  // which clusters failed, also when the waves tolerated them (maxFailures, `regops apply`)
  const failures = describeRolloutFailures(report);
  if (failures !== undefined) lines.push('', paint(`${failures}.`, 'red', color));
  // the last thing on screen after a halt is what to do next (waves before it stay done)
  if (report.halted !== undefined) lines.push('', `Fix the cause above, then resume with: regops rollout --from-wave ${report.halted.wave}`);
  return `${lines.join('\n')}\n`;
}
