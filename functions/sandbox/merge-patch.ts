import { isJsonMap, type JsonValue } from './json-value.ts';

/**
 * RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else (lists too)
 * replaces. Returns a new value; neither input is changed.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonMap(patch)) return structuredClone(patch);
  const result: { [key: string]: JsonValue } = isJsonMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
