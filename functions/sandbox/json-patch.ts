import { isJsonEqual, isJsonMap, type JsonValue } from './json-value.ts';

/** An RFC 6902 operation failed; the message is what the apiserver puts in its error. */
export class JsonPatchError extends Error {
  readonly code = 'sandbox.json-patch';
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: "${pointer}"`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(document: JsonValue, tokens: string[], pointer: string): { parent: JsonValue; key: string } {
  let node: JsonValue = document;
  for (const token of tokens.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(node) ? node[Number(token)] : isJsonMap(node) ? node[token] : undefined;
    // wording from evanphx/json-patch, which the apiserver uses
    if (next === undefined) throw new JsonPatchError(`doc is missing path: "${pointer}": missing value`);
    node = next;
  }
  const key = tokens[tokens.length - 1];
  if (key === undefined) throw new JsonPatchError(`invalid JSON pointer: "${pointer}"`);
  return { parent: node, key };
}

function readPointer(document: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return document;
  const { parent, key } = resolveParent(document, tokens, pointer);
  const value = Array.isArray(parent) ? parent[Number(key)] : isJsonMap(parent) ? parent[key] : undefined;
  if (value === undefined) throw new JsonPatchError(`doc is missing path: "${pointer}": missing value`);
  return value;
}

function arrayIndex(parent: JsonValue[], key: string, pointer: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return parent.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > parent.length || (!allowEnd && index === parent.length)) {
    throw new JsonPatchError(`unable to access invalid index: ${key}: "${pointer}"`);
  }
  return index;
}

function addAt(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(document, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else if (isJsonMap(parent)) parent[key] = value;
  else throw new JsonPatchError(`doc is missing path: "${pointer}": missing value`);
  return document;
}

function removeAt(document: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  const { parent, key } = resolveParent(document, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, false), 1);
  else if (isJsonMap(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  return document;
}

/** Applies an RFC 6902 JSON patch to a copy of `document`. */
export function applyJsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let result: JsonValue = structuredClone(document);
  for (const operation of operations) {
    if (!isJsonMap(operation) || typeof operation['op'] !== 'string' || typeof operation['path'] !== 'string') {
      throw new JsonPatchError('invalid JSON patch operation');
    }
    const path = operation['path'];
    const from = typeof operation['from'] === 'string' ? operation['from'] : '';
    switch (operation['op']) {
      case 'add':
        result = addAt(result, path, structuredClone(operation['value'] ?? null));
        break;
      case 'remove':
        result = removeAt(result, path);
        break;
      case 'replace':
        readPointer(result, path);
        result = path === '' ? structuredClone(operation['value'] ?? null) : addAt(removeAt(result, path), path, structuredClone(operation['value'] ?? null));
        break;
      case 'move': {
        const value = readPointer(result, from);
        result = addAt(removeAt(result, from), path, value);
        break;
      }
      case 'copy':
        result = addAt(result, path, structuredClone(readPointer(result, from)));
        break;
      case 'test':
        if (!isJsonEqual(readPointer(result, path), operation['value'])) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${operation['op']}`);
    }
  }
  return result;
}
