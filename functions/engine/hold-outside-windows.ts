/**
 * Drift enforce corrects a cluster only inside its change windows (fleet.yaml spec.windows,
 * core/change-windows.ts); outside them the cluster is still scanned and reported, marked held.
 * One helper for the CLI scan (scan-fleet-drift.ts) and the Step Functions step (steps/drift-scan-step.ts).
 */
import { evaluateWindows } from '../core/change-windows.ts';
import type { ChangeWindow } from '../core/model.ts';
import type { DriftTarget } from './scan-drift.ts';

/** The targets, each held (`hold`) when its windows do not allow a correction at `now`. */
export function holdOutsideWindows(targets: readonly DriftTarget[], windows: readonly ChangeWindow[] | undefined, now: Date): DriftTarget[] {
  if (windows === undefined || windows.length === 0) return [...targets];
  return targets.map((t) => {
    if (t.hold !== undefined) return t;
    const verdict = evaluateWindows(windows, { ...(t.wave === undefined ? {} : { wave: t.wave }), groups: t.desired.groups, clusters: [t.entry.name] }, now);
    return verdict.open ? t : { ...t, hold: `outside its change window: ${verdict.reason ?? ''}${verdict.nextOpen === undefined ? '' : `; next opens ${verdict.nextOpen}`}` };
  });
}
