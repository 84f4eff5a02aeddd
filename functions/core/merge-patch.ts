import type { Json, JsonObject, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';
import { isJsonObject } from './is-json-object.ts';
import { setOwn } from './set-own.ts';

/** A JSON value with the positions (dotted path → where Git set it) of its fields. */
export interface PositionedJson {
  value: Json;
  positions: Record<string, SourcePosition>;
}

/**
 * RFC 7386 JSON merge patch (section 2): a patch object merges into the target key by key, a null
 * value removes the key, any other value (lists included) replaces the target. Pure: neither
 * argument is modified; unchanged subtrees of the target are shared with the result.
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key] as Json;
    if (value === null) delete out[key];
    else setOwn(out, key, applyMergePatch(Object.hasOwn(out, key) ? (out[key] as Json) : null, value));
  }
  return out;
}

function dropPositions(value: Json | undefined, path: string, positions: Record<string, SourcePosition>): void {
  if (value === undefined) return;
  // delete only what is there: deleting absent keys still costs (dictionary-mode objects)
  if (Object.hasOwn(positions, path)) delete positions[path];
  if (Array.isArray(value)) value.forEach((item, i) => dropPositions(item, appendPath(path, i), positions));
  else if (isJsonObject(value)) for (const key of Object.keys(value)) dropPositions(value[key], appendPath(path, key), positions);
}

function copyPositions(value: Json, path: string, from: Record<string, SourcePosition>, to: Record<string, SourcePosition>): void {
  const at = Object.hasOwn(from, path) ? from[path] : undefined;
  if (at !== undefined) setOwn(to, path, at);
  if (Array.isArray(value)) value.forEach((item, i) => copyPositions(item, appendPath(path, i), from, to));
  else if (isJsonObject(value)) for (const key of Object.keys(value)) copyPositions(value[key] as Json, appendPath(path, key), from, to);
}

function mergeAt(target: Json | undefined, patch: Json, path: string, from: Record<string, SourcePosition>, to: Record<string, SourcePosition>): Json {
  if (!isJsonObject(patch)) {
    dropPositions(target, path, to);
    copyPositions(patch, path, from, to);
    return patch;
  }
  let out: JsonObject;
  if (isJsonObject(target)) out = { ...target };
  else {
    dropPositions(target, path, to);
    out = {};
  }
  const at = Object.hasOwn(from, path) ? from[path] : undefined;
  if (at !== undefined) setOwn(to, path, at);
  for (const key of Object.keys(patch)) {
    const value = patch[key] as Json;
    const childPath = appendPath(path, key);
    if (value === null) {
      dropPositions(out[key], childPath, to);
      delete out[key];
    } else {
      setOwn(out, key, mergeAt(Object.hasOwn(out, key) ? out[key] : undefined, value, childPath, from, to));
    }
  }
  return out;
}

/**
 * applyMergePatch that also carries positions: the last layer that set a path wins, a path the patch
 * removes (null) or replaces loses its old positions and those of everything under it.
 */
export function applyPositionedMergePatch(target: PositionedJson, patch: PositionedJson): PositionedJson {
  const positions = { ...target.positions };
  const value = mergeAt(target.value, patch.value, '', patch.positions, positions);
  return { value, positions };
}
