/**
 * Builds JSON merge patches (RFC 7386): nested maps carrying only the fields to write, `null` for a
 * field to delete. Lists are replaced whole by RFC 7386 already; a map that must be replaced whole
 * (atomic, or an empty-map leaf) gets `null` for every live key Git no longer has, because a merge
 * patch would otherwise merge into it. A map that deletions would leave empty is deleted itself
 * (collapseEmptiedMaps). Applying patches is core/merge-patch.ts (applyMergePatch).
 */
import { RegopsError } from './errors.ts';
import { formatPath, type PathSegment } from './field-path.ts';
import { isJsonObject } from './is-json-object.ts';
import { applyMergePatch } from './merge-patch.ts';
import type { Json, JsonObject } from './model.ts';
import { setOwn } from './set-own.ts';

/** One write: the value at a path, or null to delete it. */
export interface PatchOperation {
  segments: readonly PathSegment[];
  value: Json;
}

/** Operations that cannot form one merge patch (a caller bug): the path says where. */
export class MergePatchError extends RegopsError {}

/** The value of an own key only: `constructor` or `toString` must not find Object.prototype's. */
function ownValue(map: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function refuse(segments: readonly PathSegment[], what: string): never {
  const path = formatPath(segments);
  throw new MergePatchError('patch.bad-operation', `${path === '' ? '(root)' : path}: ${what}`, { path });
}

/**
 * The merge-patch value that turns `live` into exactly `desired`: desired itself, plus null for
 * each key of a live map that desired lacks (recursively).
 */
export function buildReplacement(desired: Json, live: Json | undefined): Json {
  if (!isJsonObject(desired) || !isJsonObject(live)) return desired;
  const out: JsonObject = {};
  for (const key of Object.keys(live)) if (!Object.hasOwn(desired, key)) setOwn(out, key, null);
  for (const [key, value] of Object.entries(desired)) setOwn(out, key, buildReplacement(value, ownValue(live, key)));
  return out;
}

/**
 * Assembles operations into one merge patch. Paths must name map keys only (merge patches cannot
 * address list items); operations whose paths overlap are a caller bug and throw MergePatchError
 * naming the path. `base` is copied, never modified.
 */
export function buildMergePatch(operations: readonly PatchOperation[], base: JsonObject = {}): JsonObject {
  const patch = copyJson(base);
  for (const { segments, value } of operations) {
    if (segments.length === 0) refuse(segments, 'merge patch operation needs a non-empty path');
    let node: JsonObject = patch;
    for (let i = 0; i < segments.length - 1; i += 1) {
      const key = segments[i];
      if (typeof key !== 'string') refuse(segments, `merge patch cannot address list item ${String(key)}`);
      const next = ownValue(node, key);
      if (next === undefined) {
        const created: JsonObject = {};
        setOwn(node, key, created);
        node = created;
      } else if (isJsonObject(next)) {
        node = next;
      } else {
        refuse(segments, `merge patch operations overlap at ${key}`);
      }
    }
    const last = segments[segments.length - 1];
    if (typeof last !== 'string') refuse(segments, `merge patch cannot address list item ${String(last)}`);
    if (Object.hasOwn(node, last)) refuse(segments, `merge patch operations overlap at ${last}`);
    setOwn(node, last, value);
  }
  return patch;
}

function readAt(root: Json | undefined, segments: readonly PathSegment[]): Json | undefined {
  let current = root;
  for (const segment of segments) {
    if (typeof segment !== 'string' || !isJsonObject(current)) return undefined;
    current = ownValue(current, segment);
  }
  return current;
}

function isEmptyMap(value: Json | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length === 0;
}

function copyJson(value: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/** What collapseEmptiedMaps needs besides the patch. */
export interface CollapseOptions {
  /** The deletions (`null` operations) the patch carries, by path. */
  removals: readonly (readonly PathSegment[])[];
  /** Maps at fewer segments than this are never deleted (2: `spec.x` may go, `spec` never). */
  minDepth: number;
  /** Maps that must stay even when empty (e.g. one Git still sets fields in). */
  keep?: (segments: readonly PathSegment[]) => boolean;
}

/**
 * Turns deletions that would leave an empty map into the deletion of the map itself, upward while
 * the parent would be empty too: deleting the last key of `additionalTrustedCA` would leave
 * `additionalTrustedCA: {}`, which the API server rejects when the schema requires a key of it
 * (`name`, images.config CRD; docs/registry-operator-facts.md §8). Only maps that are non-empty on `live` and
 * empty once the patch is applied are deleted, so nothing another writer set is lost. Pure: returns
 * a new patch.
 */
export function collapseEmptiedMaps(patch: JsonObject, live: JsonObject | undefined, options: CollapseOptions): JsonObject {
  const out = copyJson(patch);
  let merged = applyMergePatch(live ?? {}, out);
  const removals = [...options.removals].sort((a, b) => b.length - a.length);
  for (const segments of removals) {
    for (let n = segments.length - 1; n >= options.minDepth; n -= 1) {
      const map = segments.slice(0, n);
      if (options.keep?.(map) === true) break;
      const before = readAt(live, map);
      if (!isJsonObject(before) || isEmptyMap(before) || !isEmptyMap(readAt(merged, map))) break;
      const parent = readAt(out, map.slice(0, -1));
      const key = map[map.length - 1];
      // the patch reaches every map on a deletion's path, so the parent is a patch map here
      if (!isJsonObject(parent) || typeof key !== 'string') break;
      setOwn(parent, key, null);
      merged = applyMergePatch(live ?? {}, out);
    }
  }
  return out;
}
