import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

/** An RFC 6902 operation failed; the message is what the apiserver puts in its error. */
export class JsonPatchError extends Error {
  readonly code = 'sandbox.json-patch';
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

// JSON patch as the apiserver applies it. The operations run on fast-json-patch (issue #12: a
// maintained RFC 6902 library, validating); the apiserver's library, evanphx/json-patch v4 (patch.go),
// is laxer than the RFC, and test/fidelity/json-patch-oracle.test.ts holds the sandbox to it through
// kubectl, so its quirks are translated into plain RFC operations first: a missing object member reads
// as null (`test` of null passes on it, `copy` from it copies null, `replace` of it adds it), and a
// negative array index counts from the end. Both fast-json-patch 3.1.1 and rfc6902 5.4.0 refuse all
// four as the RFC says (checked 2026-12-04), which the apiserver would accept.

const { applyOperation, getValueByPointer } = jsonPatch;

function decodeKey(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `path` with each negative array index made positive (evanphx: index + length, + 1 for an insert at the end). */
function resolveNegativeIndices(document: JsonMap, path: string, insert: boolean): string {
  const tokens = path.split('/').slice(1);
  let node: JsonValue | undefined = document;
  const out: string[] = [];
  tokens.forEach((token, position) => {
    let key = token;
    if (Array.isArray(node) && /^-\d+$/.test(token)) {
      const size = node.length + (insert && position === tokens.length - 1 ? 1 : 0);
      const index = Number(token) + size;
      if (index < 0) throw new JsonPatchError(`Unable to access invalid index: ${token}: invalid index referenced`);
      key = String(index);
    }
    out.push(key);
    node = Array.isArray(node) ? node[Number(key)] : isJsonMap(node) ? node[decodeKey(key)] : undefined;
  });
  return `/${out.join('/')}`;
}

/** Whether `path` names a member of an object that is missing or null (evanphx reads both as null). */
function missingMember(document: JsonMap, path: string): boolean {
  const slash = path.lastIndexOf('/');
  let parent: unknown;
  try {
    parent = slash === 0 ? document : (getValueByPointer(document, path.slice(0, slash)) as unknown);
  } catch {
    return false;
  }
  if (!isJsonMap(parent as JsonValue)) return false;
  const value = (parent as JsonMap)[decodeKey(path.slice(slash + 1))];
  return value === undefined || value === null;
}

function checkedPath(value: unknown, op: string, what: 'path' | 'from'): string {
  const path = typeof value === 'string' ? value : '';
  // the whole document (""), or a pointer without its leading "/", is never patched by the apiserver
  if (!path.startsWith('/')) throw new JsonPatchError(`${op} operation does not apply: doc is missing ${what}: "${path}": missing value`);
  return path;
}

/** The RFC 6902 operation evanphx/json-patch v4 would perform for `operation` on `document`; undefined: nothing to do. */
function translate(document: JsonMap, operation: JsonMap): Operation | undefined {
  const op = String(operation['op']);
  const value: JsonValue = structuredClone(operation['value'] ?? null);
  switch (op) {
    case 'add':
      return { op, path: resolveNegativeIndices(document, checkedPath(operation['path'], op, 'path'), true), value };
    case 'remove':
      return { op, path: resolveNegativeIndices(document, checkedPath(operation['path'], op, 'path'), false) };
    case 'replace': {
      const path = resolveNegativeIndices(document, checkedPath(operation['path'], op, 'path'), false);
      return missingMember(document, path) ? { op: 'add', path, value } : { op, path, value };
    }
    case 'test': {
      const path = resolveNegativeIndices(document, checkedPath(operation['path'], op, 'path'), false);
      if (missingMember(document, path)) {
        if (value === null) return undefined;
        throw new JsonPatchError(`testing value ${path} failed: test failed`);
      }
      return { op, path, value };
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${op}`);
  }
}

/** Applies an RFC 6902 JSON patch to a copy of `document` (an object, as every API object is). */
export function applyJsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (!isJsonMap(document)) throw new JsonPatchError('the document to patch is not an object');
  let result: JsonMap = structuredClone(document);
  for (const operation of operations) {
    if (!isJsonMap(operation)) throw new JsonPatchError('invalid JSON patch operation');
    for (const step of splitMoveAndCopy(result, operation)) {
      const translated = translate(result, step);
      if (translated === undefined) continue;
      try {
        result = applyOperation(result, translated, true, true).newDocument as JsonMap;
      } catch (error) {
        // the library's validation error (PatchError) or a step through a scalar; the message names the op and path
        const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : 'invalid operation';
        const as = step === operation ? '' : ` (of ${String(operation['op'])} from ${String(operation['from'])})`;
        throw new JsonPatchError(`${translated.op} operation does not apply: ${translated.path}${as}: ${reason}`);
      }
    }
  }
  return result;
}

/**
 * `move` and `copy` as evanphx/json-patch v4 performs them: read `from`, (move) remove it, then add the
 * value at `path`, whose index is resolved and bounds-checked against the array as it is after the
 * removal. fast-json-patch's own move and copy add without validating the index (an insert at 1 into
 * an empty array appends: json-patch-oracle.test.ts found it), so they run as its validated remove
 * and add. A missing object member reads as null for copy only (its remove fails for move).
 */
function splitMoveAndCopy(document: JsonMap, operation: JsonMap): JsonMap[] {
  const op = operation['op'];
  if (op !== 'move' && op !== 'copy') return [operation];
  const from = resolveNegativeIndices(document, checkedPath(operation['from'], op, 'from'), false);
  const path = checkedPath(operation['path'], op, 'path');
  let value: unknown;
  try {
    value = getValueByPointer(document, from);
  } catch {
    value = undefined;
  }
  if (value === undefined) {
    if (op === 'copy' && missingMember(document, from)) return [{ op: 'add', path, value: null }];
    throw new JsonPatchError(`${op} operation does not apply: doc is missing from path: ${from}: missing value`);
  }
  return op === 'move' ? [{ op: 'remove', path: from }, { op: 'add', path, value: value as JsonValue }] : [{ op: 'add', path, value: value as JsonValue }];
}
