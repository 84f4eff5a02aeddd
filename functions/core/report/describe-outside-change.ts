/** A change another writer made during an apply (ClusterRollout.outsideChanges), in words. */
import type { FieldChange } from '../model.ts';
import { formatValue } from './format-value.ts';
import { maskCredentials } from './mask-credentials.ts';

/** `changed by another writer: Config/cluster spec.replicas 2 → 4`. */
export function describeOutsideChange(resource: string, change: FieldChange): string {
  return `changed by another writer: ${resource} ${change.path} ${formatValue(maskCredentials(change.path, change.before))} → ${formatValue(maskCredentials(change.path, change.after))}`;
}
