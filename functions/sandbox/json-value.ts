/** JSON values as the sandbox stores them (independent of regops' own model types). */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonMap;
export type JsonMap = { [key: string]: JsonValue };

/** True for a plain JSON object (not null, not an array). */
export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values (key order ignored). */
export function isJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => isJsonEqual(item, b[index]));
  }
  if (isJsonMap(a) && isJsonMap(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && isJsonEqual(a[key], b[key]));
  }
  return false;
}
