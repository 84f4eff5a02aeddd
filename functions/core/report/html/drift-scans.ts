import type { DriftReport } from '../../model.ts';

/**
 * Orders drift scans oldest first and appends the current one. History entries that are not drift
 * reports, or that are not older than the current scan (the store may already hold it), are dropped,
 * so the current report is counted once.
 */
export function orderDriftScans(history: readonly DriftReport[], current?: DriftReport): DriftReport[] {
  const cutoff = current === undefined ? undefined : timeOf(current.generatedAt);
  const older = history.filter(
    (scan) => scan.kind === 'DriftReport' && (cutoff === undefined || timeOf(scan.generatedAt) < cutoff),
  );
  // a stable sort on time keeps the caller's order for equal timestamps: output stays deterministic
  const sorted = older
    .map((scan, index) => ({ scan, index, time: timeOf(scan.generatedAt) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((entry) => entry.scan);
  return current === undefined ? sorted : [...sorted, current];
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}
