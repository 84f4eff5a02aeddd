import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

// JSON merge patch as the apiserver applies it: RFC 7386 as implemented by evanphx/json-patch
// MergePatch (merge.go), including its one departure from the RFC: a value that lands where there
// was no object has the nulls inside its objects pruned (arrays keep their elements).

function pruneNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => (item === null ? null : pruneNulls(item)));
  if (!isJsonMap(value)) return value;
  const out: JsonMap = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = pruneNulls(child);
  return out;
}

function mergeValue(current: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonMap(current)) return pruneNulls(patch);
  if (!isJsonMap(patch)) return structuredClone(patch);
  return mergeDocuments(current, patch);
}

function mergeDocuments(document: JsonMap, patch: JsonMap): JsonMap {
  const out: JsonMap = { ...document };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (current === undefined || current === null) out[key] = pruneNulls(value);
    else out[key] = mergeValue(current, value);
  }
  return out;
}

/** Applies a JSON merge patch to `target`; returns a new value, neither input is changed. */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (isJsonMap(patch)) return isJsonMap(target) ? mergeDocuments(target, patch) : (pruneNulls(patch) as JsonMap);
  return pruneNulls(patch);
}
