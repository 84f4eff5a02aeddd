/** The failed clusters of a rollout in one sentence, for the summary of every renderer (issue #10 item 2). */
import type { RolloutReport } from '../model.ts';

/** `2 clusters failed: edge-vs-1 at connect, prod-eu-1 at health-gate`, or undefined when none failed. */
export function describeRolloutFailures(report: RolloutReport): string | undefined {
  const failed = report.waves.flatMap((wave) => wave.clusters.filter((c) => c.outcome === 'failed'));
  if (failed.length === 0) return undefined;
  const names = failed.map((c) => (c.step === undefined ? c.cluster : `${c.cluster} at ${c.step}`));
  return `${failed.length} cluster${failed.length === 1 ? '' : 's'} failed: ${names.join(', ')}`;
}
