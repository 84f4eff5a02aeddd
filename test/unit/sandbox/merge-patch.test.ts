import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../functions/sandbox/json-value.ts';
import { applyMergePatch } from '../../../functions/sandbox/merge-patch.ts';

// The test cases of RFC 7386 Appendix A.
const rfcCases: Array<[JsonValue, JsonValue, JsonValue]> = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

// Where evanphx/json-patch (the apiserver's implementation) departs from the RFC's pseudo-code.
const apiserverCases: Array<[string, JsonValue, JsonValue, JsonValue]> = [
  ['nulls inside objects of a new list are pruned', {}, { n: [{ x: null, y: 1 }] }, { n: [{ y: 1 }] }],
  ['nulls inside a value replacing a scalar are pruned', { a: 1 }, { a: { b: null, c: 2 } }, { a: { c: 2 } }],
  ['a list replacing an object keeps its nulls', { a: {} }, { a: [{ x: null }] }, { a: [{ x: null }] }],
  ['null list elements stay', {}, { n: [null, 1] }, { n: [null, 1] }],
];

describe('applyMergePatch as the apiserver applies it', () => {
  it.each(apiserverCases)('%s', (_name, target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe('applyMergePatch (RFC 7386 Appendix A)', () => {
  it.each(rfcCases)('%j + %j → %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('leaves its inputs unchanged', () => {
    const target = { spec: { a: 1, nested: { b: 2 } } };
    const patch = { spec: { nested: { b: null } } };
    applyMergePatch(target, patch);
    expect(target).toEqual({ spec: { a: 1, nested: { b: 2 } } });
    expect(patch).toEqual({ spec: { nested: { b: null } } });
  });
});
