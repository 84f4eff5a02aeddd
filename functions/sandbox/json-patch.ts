import { isJsonEqual, isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

/** An RFC 6902 operation failed; the message is what the apiserver puts in its error. */
export class JsonPatchError extends Error {
  readonly code = 'sandbox.json-patch';
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

// JSON patch as the apiserver applies it: RFC 6902 as implemented by evanphx/json-patch v4 (patch.go),
// quirks included: a missing object member reads as null (so `test` of null passes on it, `copy`
// from it copies null, and `replace` of it adds it); negative array indices count from the end.

type Container = JsonMap | JsonValue[];

function decodeKey(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parseIndex(key: string): number {
  if (!/^-?\d+$/.test(key)) throw new JsonPatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function resolveIndex(array: JsonValue[], key: string, extra: number): number {
  let index = parseIndex(key);
  const size = array.length + extra;
  if (index >= size || index < -size) throw new JsonPatchError(`Unable to access invalid index: ${index}: invalid index referenced`);
  if (index < 0) index += size;
  return index;
}

/** The value at `key` (undefined for a missing or null member; an error for a bad array index). */
function getChild(container: Container, key: string): JsonValue | undefined {
  if (Array.isArray(container)) {
    const value = container[resolveIndex(container, key, 0)];
    return value === null ? undefined : value;
  }
  const value = container[key];
  return value === null ? undefined : value;
}

function setChild(container: Container, key: string, value: JsonValue): void {
  if (Array.isArray(container)) container[resolveIndex(container, key, 0)] = value;
  else container[key] = value;
}

function addChild(container: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  container.splice(resolveIndex(container, key, 1), 0, value);
}

function removeChild(container: Container, key: string): void {
  if (Array.isArray(container)) {
    container.splice(resolveIndex(container, key, 0), 1);
    return;
  }
  if (!Object.hasOwn(container, key)) throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  delete container[key];
}

/** The container holding the last token of `path`, and that token; undefined when a step is missing. */
function findContainer(document: JsonMap, path: string): { container: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let node: JsonValue = document;
  for (const part of split.slice(1, -1)) {
    if (!Array.isArray(node) && !isJsonMap(node)) return undefined;
    let next: JsonValue | undefined;
    try {
      next = getChild(node, decodeKey(part));
    } catch {
      return undefined;
    }
    if (next === undefined || (!Array.isArray(next) && !isJsonMap(next))) return undefined;
    node = next;
  }
  if (!Array.isArray(node) && !isJsonMap(node)) return undefined;
  return { container: node, key: decodeKey(split[split.length - 1] ?? '') };
}

function wrap(prefix: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof JsonPatchError) throw new JsonPatchError(`${prefix}: ${error.message}`);
    throw error;
  }
}

/** Applies an RFC 6902 JSON patch to a copy of `document` (an object, as every API object is). */
export function applyJsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (!isJsonMap(document)) throw new JsonPatchError('the document to patch is not an object');
  const result: JsonMap = structuredClone(document);
  for (const operation of operations) {
    if (!isJsonMap(operation)) throw new JsonPatchError('invalid JSON patch operation');
    const op = operation['op'];
    const path = typeof operation['path'] === 'string' ? operation['path'] : '';
    const from = typeof operation['from'] === 'string' ? operation['from'] : '';
    const value: JsonValue = structuredClone(operation['value'] ?? null);
    const target = findContainer(result, path);
    switch (op) {
      case 'add':
        if (target === undefined) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
        wrap(`error in add for path: '${path}'`, () => addChild(target.container, target.key, value));
        break;
      case 'remove':
        if (target === undefined) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
        wrap(`error in remove for path: '${path}'`, () => removeChild(target.container, target.key));
        break;
      case 'replace': {
        if (target === undefined) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
        try {
          getChild(target.container, target.key);
        } catch {
          throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        }
        wrap(`error in replace for path: '${path}'`, () => setChild(target.container, target.key, value));
        break;
      }
      case 'test': {
        if (target === undefined) throw new JsonPatchError(`test operation does not apply: is missing path: ${path}: missing value`);
        let current: JsonValue | undefined;
        wrap(`error in test for path: '${path}'`, () => {
          current = getChild(target.container, target.key);
        });
        if (!isJsonEqual(current ?? null, value)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      }
      case 'move':
      case 'copy': {
        const source = findContainer(result, from);
        if (source === undefined) throw new JsonPatchError(`${op} operation does not apply: doc is missing from path: ${from}: missing value`);
        let moved: JsonValue | undefined;
        wrap(op === 'move' ? `error in move for path: '${source.key}'` : `error in copy for from: '${from}'`, () => {
          moved = getChild(source.container, source.key);
          if (op === 'move') removeChild(source.container, source.key);
        });
        const destination = findContainer(result, path);
        if (destination === undefined) throw new JsonPatchError(`${op} operation does not apply: doc is missing destination path: ${path}: missing value`);
        const copied = structuredClone(moved ?? null);
        wrap(`error in ${op} for path: '${path}'`, () => addChild(destination.container, destination.key, copied));
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${String(op)}`);
    }
  }
  return result;
}
