import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, applyPositionedMergePatch } from '../../../functions/core/merge-patch.ts';
import type { Json, SourcePosition } from '../../../functions/core/model.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

// RFC 7386 Appendix A, "Example Test Cases" (https://www.rfc-editor.org/rfc/rfc7386#appendix-A):
// the fifteen ORIGINAL / PATCH / RESULT rows, verbatim.
const rfcAppendixA: Array<[string, Json, Json, Json]> = [
  ['replaces a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['adds a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null removes a member', { a: 'b' }, { a: null }, {}],
  ['null removes only that member', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['a string replaces a list', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['a list replaces a string', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['nested objects merge, nested null removes', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['lists replace, never merge', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['a list patch replaces a list', ['a', 'b'], ['c', 'd'], ['c', 'd']],
  ['a list patch replaces an object', { a: 'b' }, ['c'], ['c']],
  ['a null patch replaces the document', { a: 'foo' }, null, null],
  ['a string patch replaces the document', { a: 'foo' }, 'bar', 'bar'],
  ['nulls already in the target stay', { e: null }, { a: 1 }, { e: null, a: 1 }],
  ['an object patch on a list starts from {}', [1, 2], { a: 'b', c: null }, { a: 'b' }],
  ['nulls inside a new subtree are dropped', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch (RFC 7386)', () => {
  it.each(rfcAppendixA)('Appendix A: %s', (_name, target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });

  it('does not modify its arguments', () => {
    const target: Json = { a: { b: 1, c: [1, 2] } };
    const patch: Json = { a: { b: null, d: 2 } };
    const before = JSON.stringify([target, patch]);
    applyMergePatch(target, patch);
    expect(JSON.stringify([target, patch])).toBe(before);
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Json;
    const out = applyMergePatch({}, patch) as Record<string, Json>;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('is idempotent: applying a patch twice equals applying it once (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (t, p) => {
      const once = applyMergePatch(t as Json, p as Json);
      expect(applyMergePatch(once, p as Json)).toEqual(once);
    }));
  });

  it('leaves no null member anywhere a patch object put one (property)', () => {
    const hasNullMember = (v: Json): boolean => Array.isArray(v) ? false
      : typeof v === 'object' && v !== null ? Object.values(v).some((x) => x === null || hasNullMember(x)) : false;
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (p) => {
      expect(hasNullMember(applyMergePatch(null, p as Json))).toBe(false);
    }));
  });
});

describe('applyPositionedMergePatch', () => {
  const layer = (file: string, text: string) => {
    const parsed = parseYamlSource(file, text);
    return { value: parsed.value, positions: parsed.positions };
  };
  const where = (positions: Record<string, SourcePosition>, path: string) => {
    const at = positions[path];
    return at === undefined ? undefined : `${at.file}:${at.line}:${at.col}`;
  };

  const cases: Array<{ name: string; base: string; overlay: string; path: string; expected: string | undefined }> = [
    { name: 'a field only the base sets keeps the base position', base: 'spec:\n  a: 1\n  b: 2\n', overlay: 'spec:\n  b: 3\n', path: 'spec.a', expected: 'base.yaml:2:3' },
    { name: 'the last layer that set a field wins', base: 'spec:\n  a: 1\n  b: 2\n', overlay: 'spec:\n  b: 3\n', path: 'spec.b', expected: 'overlay.yaml:2:3' },
    { name: 'null removes the field and its position', base: 'spec:\n  a: 1\n  b: 2\n', overlay: 'spec:\n  b: null\n', path: 'spec.b', expected: undefined },
    { name: 'null removes the positions under the field', base: 'spec:\n  s:\n    x: 1\n', overlay: 'spec:\n  s: null\n', path: 'spec.s.x', expected: undefined },
    { name: 'a replaced list drops the old items', base: 'l:\n  - a\n  - b\n', overlay: 'l:\n  - c\n', path: 'l[1]', expected: undefined },
    { name: 'a replaced list brings its own items', base: 'l:\n  - a\n  - b\n', overlay: '\nl:\n  - c\n', path: 'l[0]', expected: 'overlay.yaml:3:5' },
    { name: 'a map replacing a scalar drops nothing it does not set', base: 's: 1\n', overlay: 's:\n  x: 1\n', path: 's.x', expected: 'overlay.yaml:2:3' },
  ];

  it.each(cases)('$name', ({ base, overlay, path, expected }) => {
    const merged = applyPositionedMergePatch(layer('base.yaml', base), layer('overlay.yaml', overlay));
    expect(where(merged.positions, path)).toBe(expected);
  });

  it('gives the same value as applyMergePatch (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (t, p) => {
      const merged = applyPositionedMergePatch({ value: t as Json, positions: {} }, { value: p as Json, positions: {} });
      expect(merged.value).toEqual(applyMergePatch(t as Json, p as Json));
    }));
  });
});
