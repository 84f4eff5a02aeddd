/**
 * Builds JSON merge patches (RFC 7386): nested maps carrying only the fields to write, `null` for a
 * field to delete. Lists are replaced whole by RFC 7386 already; a map that must be replaced whole
 * (atomic, or an empty-map leaf) gets `null` for every live key Git no longer has, because a merge
 * patch would otherwise merge into it. Applying patches is core/merge-patch.ts (applyMergePatch).
 */
import type { PathSegment } from './field-path.ts';
import type { Json, JsonObject } from './model.ts';

/** One write: the value at a path, or null to delete it. */
export interface PatchOperation {
  segments: readonly PathSegment[];
  value: Json;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The merge-patch value that turns `live` into exactly `desired`: desired itself, plus null for
 * each key of a live map that desired lacks (recursively).
 */
export function buildReplacement(desired: Json, live: Json | undefined): Json {
  if (!isObject(desired) || !isObject(live)) return desired;
  const out: JsonObject = {};
  for (const key of Object.keys(live)) if (!(key in desired)) out[key] = null;
  for (const [key, value] of Object.entries(desired)) out[key] = buildReplacement(value, live[key]);
  return out;
}

/**
 * Assembles operations into one merge patch. Paths must name map keys only (merge patches cannot
 * address list items); operations whose paths overlap are a caller bug and throw.
 */
export function buildMergePatch(operations: readonly PatchOperation[], base: JsonObject = {}): JsonObject {
  const patch = base;
  for (const { segments, value } of operations) {
    if (segments.length === 0) throw new RangeError('merge patch operation needs a non-empty path');
    let node: JsonObject = patch;
    for (let i = 0; i < segments.length - 1; i += 1) {
      const key = segments[i];
      if (typeof key !== 'string') throw new RangeError(`merge patch cannot address list item ${String(key)}`);
      const next = node[key];
      if (next === undefined) {
        const created: JsonObject = {};
        node[key] = created;
        node = created;
      } else if (isObject(next)) {
        node = next;
      } else {
        throw new RangeError(`merge patch operations overlap at ${key}`);
      }
    }
    const last = segments[segments.length - 1];
    if (typeof last !== 'string') throw new RangeError(`merge patch cannot address list item ${String(last)}`);
    if (last in node) throw new RangeError(`merge patch operations overlap at ${last}`);
    node[last] = value;
  }
  return patch;
}
