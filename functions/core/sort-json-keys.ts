import type { Json, JsonObject } from './model.ts';
import { isJsonObject } from './is-json-object.ts';

/** The value with every map's keys in sorted order (deterministic output, STYLE.md); lists keep their order. */
export function sortJsonKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortJsonKeys);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortJsonKeys(value[key] as Json);
  return out;
}
