import type { ConditionSummary } from '../../model.ts';
import type { PageCell } from './page-cells.ts';

/** A list of conditions that several clusters report identically: printed once, referred to by name. */
export interface ConditionSet {
  /** Anchor id, `cs0`, `cs1`, … */
  id: string;
  /** `A`, `B`, … in order of first use (cells are in name order, so the naming is deterministic). */
  name: string;
  count: number;
  conditions: ConditionSummary[];
}

/** At least this many clusters must share a condition list for it to be printed once. */
const MIN_SHARED = 3;

/**
 * Finds condition lists shared by several clusters, keyed by `conditionSignature`. On a large fleet
 * most clusters report the same healthy conditions; printing that list once per cluster would
 * dominate the page weight (1,000 clusters must stay under 1 MB).
 */
export function collectConditionSets(cells: readonly PageCell[]): Map<string, ConditionSet> {
  const counts = new Map<string, { count: number; conditions: ConditionSummary[] }>();
  for (const cell of cells) {
    if (cell.conditions.length === 0) continue;
    const signature = conditionSignature(cell.conditions);
    const entry = counts.get(signature) ?? { count: 0, conditions: cell.conditions };
    entry.count += 1;
    counts.set(signature, entry);
  }
  const sets = new Map<string, ConditionSet>();
  for (const [signature, entry] of counts) {
    if (entry.count < MIN_SHARED) continue;
    const index = sets.size;
    sets.set(signature, { id: `cs${index}`, name: nameSet(index), count: entry.count, conditions: entry.conditions });
  }
  return sets;
}

/** Identity of a condition list: the same conditions in the same order. */
export function conditionSignature(conditions: readonly ConditionSummary[]): string {
  return JSON.stringify(conditions.map((c) => [c.object, c.type, c.status, c.reason, c.message]));
}

function nameSet(index: number): string {
  // A … Z, then AA, AB, …
  let name = '';
  let rest = index;
  do {
    name = String.fromCharCode(65 + (rest % 26)) + name;
    rest = Math.floor(rest / 26) - 1;
  } while (rest >= 0);
  return name;
}
