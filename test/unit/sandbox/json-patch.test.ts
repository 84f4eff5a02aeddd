import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError } from '../../../functions/sandbox/json-patch.ts';
import type { JsonValue } from '../../../functions/sandbox/json-value.ts';

// Cases after RFC 6902 Appendix A.
const cases: Array<[string, JsonValue, unknown, JsonValue]> = [
  ['add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
  ['add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
  ['append with -', { foo: [1] }, [{ op: 'add', path: '/foo/-', value: 2 }], { foo: [1, 2] }],
  ['remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
  ['remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
  ['replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
  ['move a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
  ['move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
  ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
  ['test passes', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'qux' }], { baz: 'qux' }],
  ['~1 and ~0 escapes', { 'a/b': 1, 'm~n': 2 }, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/m~0n' }], { 'a/b': 3 }],
  // evanphx/json-patch v4 quirks the apiserver has (checked against kubectl in test/fidelity/json-patch-oracle.test.ts)
  ['replace of a missing member adds it', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }], { a: 1, b: 2 }],
  ['test of null passes on a missing member', { a: 1 }, [{ op: 'test', path: '/b', value: null }], { a: 1 }],
  ['copy from a missing member copies null', { a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }], { a: 1, c: null }],
  ['a negative index counts from the end', { a: [1, 2] }, [{ op: 'add', path: '/a/-1', value: 3 }], { a: [1, 2, 3] }],
  ['move of a null member moves null', { a: null }, [{ op: 'move', from: '/a', path: '/b' }], { b: null }],
  ['move to a negative index counts in the list after the removal', { a: [1, 2, 3] }, [{ op: 'move', from: '/a/0', path: '/a/-1' }], { a: [2, 3, 1] }],
  ['copy to the end of its own list', { a: [1] }, [{ op: 'copy', from: '/a/0', path: '/a/1' }], { a: [1, 1] }],
];

const failures: Array<[string, JsonValue, unknown]> = [
  ['test fails', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]],
  ['remove a missing key', { a: 1 }, [{ op: 'remove', path: '/b' }]],
  ['replace beyond the end of a list', { a: [1] }, [{ op: 'replace', path: '/a/1', value: 1 }]],
  ['the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]],
  ['add under a missing parent', { a: 1 }, [{ op: 'add', path: '/b/c', value: 1 }]],
  ['index out of range', { a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }]],
  ['not a list of operations', { a: 1 }, { op: 'add' }],
  ['unknown op', { a: 1 }, [{ op: 'frobnicate', path: '/a' }]],
  ['a path without its leading slash', { a: 1 }, [{ op: 'add', path: 'a', value: 2 }]],
  ['move from a missing member (only copy reads it as null)', { a: 1 }, [{ op: 'move', from: '/b', path: '/c' }]],
  ['test of a value on a missing member', { a: 1 }, [{ op: 'test', path: '/b', value: 1 }]],
  ['a negative index before the start', { a: [1] }, [{ op: 'remove', path: '/a/-2' }]],
  // kubectl: "Unable to access invalid index: 1" (json-patch-oracle.test.ts found the first; fast-json-patch's own move/copy appended)
  ['move into an empty list past its end', { b: [], c: [] }, [{ op: 'move', from: '/c', path: '/b/1' }]],
  ['copy into an empty list past its end', { b: [], c: 1 }, [{ op: 'copy', from: '/c', path: '/b/1' }]],
  ['move of an element past the end of its own list, after the removal', { a: [1] }, [{ op: 'move', from: '/a/0', path: '/a/1' }]],
];

describe('applyJsonPatch', () => {
  it.each(cases)('%s', (_name, document, patch, expected) => {
    expect(applyJsonPatch(document, patch)).toEqual(expected);
  });

  it.each(failures)('%s is a JsonPatchError', (_name, document, patch) => {
    expect(() => applyJsonPatch(document, patch)).toThrow(JsonPatchError);
  });

  it('does not change the input document', () => {
    const document = { a: [1, 2] };
    applyJsonPatch(document, [{ op: 'remove', path: '/a/0' }]);
    expect(document).toEqual({ a: [1, 2] });
  });
});
