import type { Json, JsonObject } from './model.ts';

/** True for a JSON map (not null, not a list): the one test every layer uses before indexing a value. */
export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
