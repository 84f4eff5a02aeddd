/**
 * The one line a plan, a drift scan and the page print per cluster about the image pruner: whether
 * its next run after apply prunes registry storage, why, and the warning when Git schedules a pruner
 * whose registry is Removed (core/describe-pruner-effect.ts).
 */
import type { PrunerEffect } from '../model.ts';

/** `pruner: prunes the registry (…)` or `pruner will not prune the registry: …`, then `; WARNING: …` when there is one. */
export function describePrunerLine(effect: PrunerEffect): string {
  const line = effect.prunesRegistry ? `pruner: prunes the registry (${effect.reason})` : `pruner will not prune the registry: ${effect.reason}`;
  return effect.warning === undefined ? line : `${line}; WARNING: ${effect.warning}`;
}

/** The short form where a line has no room (the plan's Markdown table, the page's panel of a cluster whose pruner prunes): `prunes the registry` or `will not prune the registry`. */
export function describePrunerVerdict(effect: PrunerEffect): string {
  return effect.prunesRegistry ? 'prunes the registry' : 'will not prune the registry';
}
