/**
 * Owned fields are leaves: scalars, lists (atomic: the API server replaces them whole), maps the
 * schema marks `x-kubernetes-map-type: atomic` (`spec.requests`, `spec.resources`) and empty maps
 * whose presence means something (`emptyDir: {}`, `s3: {}`). Any other empty map in Git owns
 * nothing, like null: owning `spec: {}` would wipe every field of spec that someone else set. Identity (apiVersion, kind, metadata.name/namespace) is never owned, nor are
 * regops' own `regops.io/*` annotations: they are bookkeeping and Git directives, not state.
 */
import { formatPath, parsePath, type PathSegment } from './field-path.ts';
import { isJsonObject } from './is-json-object.ts';
import { OWNED_FIELDS_ANNOTATION, type Json, type JsonObject } from './model.ts';
import type { ValueComparator } from './normalize.ts';

/** One owned field: its path in both forms and the value Git sets. */
export interface OwnedLeaf {
  path: string;
  segments: PathSegment[];
  value: Json;
}

function walk(value: Json, segments: PathSegment[], comparator: ValueComparator, out: OwnedLeaf[]): void {
  if (value === null) return; // null in Git means "not owned" (DESIGN.md, diff)
  const path = formatPath(segments);
  const empty = isJsonObject(value) && Object.keys(value).length === 0;
  if (empty && !comparator.isPresenceMap(path)) return;
  if (isJsonObject(value) && !empty && !comparator.isAtomic(path)) {
    const before = out.length;
    for (const key of Object.keys(value).sort()) walk(value[key] as Json, [...segments, key], comparator, out);
    // `s3: {bucket: null}` still names the backend: own its presence
    if (out.length === before && comparator.isPresenceMap(path)) out.push({ path, segments, value: {} });
    return;
  }
  out.push({ path, segments, value });
}

/**
 * Lists the owned leaves of a desired body, sorted by path. A presence map owned as a leaf is `{}`:
 * regops owns that it exists, not what the operator fills into it.
 */
export function collectOwnedLeaves(body: JsonObject, comparator: ValueComparator): OwnedLeaf[] {
  const out: OwnedLeaf[] = [];
  for (const key of Object.keys(body).sort()) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    const value = body[key] as Json;
    if (key !== 'metadata') {
      walk(value, [key], comparator, out);
      continue;
    }
    if (!isJsonObject(value)) continue;
    for (const part of ['annotations', 'labels'] as const) {
      const entries = value[part];
      if (!isJsonObject(entries)) continue;
      for (const name of Object.keys(entries).sort()) {
        if (part === 'annotations' && name.startsWith('regops.io/')) continue;
        walk(entries[name] as Json, ['metadata', part, name], comparator, out);
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads the value at a path; undefined when any step is missing or not a container. */
export function readPath(root: Json | undefined, segments: readonly PathSegment[]): Json | undefined {
  let current: Json | undefined = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isJsonObject(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/**
 * The paths regops owned on a live object, from OWNED_FIELDS_ANNOTATION (a JSON array of field
 * paths). A missing or unreadable annotation owns nothing: regops then removes nothing it cannot
 * prove it set.
 */
export function readOwnedFields(live: JsonObject | undefined): string[] {
  const raw = readPath(live, ['metadata', 'annotations', OWNED_FIELDS_ANNOTATION]);
  if (typeof raw !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((item): item is string => typeof item === 'string' && isParsable(item));
  } catch {
    return [];
  }
}

function isParsable(path: string): boolean {
  try {
    return parsePath(path).length > 0;
  } catch {
    return false;
  }
}
