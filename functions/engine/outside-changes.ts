/**
 * What another writer changed between two reads of the same object: shown in the report when a
 * conflict makes regops re-read and re-plan, so an outside change is never lost silently.
 */
import type { FieldChange, Json, JsonObject } from '../core/model.ts';
import { formatPath } from '../core/field-path.ts';
import type { PathSegment } from '../core/field-path.ts';
import { isJsonObject } from '../core/is-json-object.ts';

// Bookkeeping the server or the operator's status writes change on every write: not a person's change.
const ignoredTop = new Set(['status']);
const ignoredMetadata = new Set(['resourceVersion', 'generation', 'managedFields', 'uid', 'creationTimestamp']);

function walk(before: Json | undefined, after: Json | undefined, path: PathSegment[], out: FieldChange[]): void {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      if (path.length === 0 && ignoredTop.has(key)) continue;
      if (path.length === 1 && path[0] === 'metadata' && ignoredMetadata.has(key)) continue;
      walk(before[key], after[key], [...path, key], out);
    }
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const change: FieldChange = { path: formatPath(path), op: before === undefined ? 'add' : after === undefined ? 'remove' : 'change' };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

/** Field changes from `before` to `after`, ignoring status and server bookkeeping; sorted by path. */
export function diffOutsideChanges(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before ?? {}, after ?? {}, [], out);
  return out;
}
