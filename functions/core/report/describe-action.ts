/** The word Flux's change set prints after an object (`Config/cluster configured`). */
import type { PlanEntry } from '../model.ts';

/** `created`, `configured`, `pruned`, `unchanged`, `skipped: <reason>`, or `waits until healthy` for the gate. */
export function describeAction(entry: PlanEntry): string {
  if (entry.target.type === 'health-gate') return entry.action === 'skipped' ? 'skipped' : 'waits until healthy';
  switch (entry.action) {
    case 'create':
      return 'created';
    case 'update':
      return 'configured';
    case 'prune':
      return 'pruned';
    case 'unchanged':
      return 'unchanged';
    case 'skipped':
      return entry.reason === undefined ? 'skipped' : `skipped: ${entry.reason}`;
  }
}
