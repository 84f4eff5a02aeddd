/**
 * The one line a plan prints per cluster about the image pruner: whether its next run after apply
 * prunes registry storage, and why (core/describe-pruner-effect.ts).
 */
import type { PrunerEffect } from '../model.ts';

/** `pruner: prunes the registry (…)` or `pruner will not prune the registry: …`. */
export function describePrunerLine(effect: PrunerEffect): string {
  return effect.prunesRegistry ? `pruner: prunes the registry (${effect.reason})` : `pruner will not prune the registry: ${effect.reason}`;
}
