/**
 * The did-you-mean of a usage error: the candidate closest to what was typed, when it is close
 * enough to be a typo (Levenshtein distance from fastest-levenshtein: 1 for short words, 2 from five
 * letters) or what was typed is the start of it (`--conc` → `--concurrency`); undefined otherwise.
 */
import { distance } from 'fastest-levenshtein';

export function suggestClosest(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length >= 3) {
    const started = candidates.filter((c) => c.startsWith(typed));
    if (started.length === 1) return started[0];
  }
  const allowed = typed.length >= 5 ? 2 : 1;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(typed, candidate);
    if (d <= allowed && (best === undefined || d < best.distance)) best = { candidate, distance: d };
  }
  return best?.candidate;
}
