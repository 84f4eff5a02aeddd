import { describe, expect, it } from 'vitest';
import { buildMergePatch, buildReplacement } from '../../../functions/core/build-merge-patch.ts';
import { applyMergePatch } from '../../../functions/core/merge-patch.ts';
import type { Json } from '../../../functions/core/model.ts';

describe('buildReplacement', () => {
  const cases: Array<{ name: string; desired: Json; live: Json | undefined; patch: Json }> = [
    { name: 'scalar', desired: 3, live: 2, patch: 3 },
    { name: 'list replaces whole already', desired: [1], live: [1, 2], patch: [1] },
    { name: 'map: live keys Git lacks become null, recursively', desired: { a: { b: 1 } }, live: { a: { b: 2, c: 3 }, d: 4 }, patch: { d: null, a: { c: null, b: 1 } } },
    { name: 'map over a scalar', desired: { a: 1 }, live: 'x', patch: { a: 1 } },
    { name: 'empty map over a full one', desired: {}, live: { a: 1 }, patch: { a: null } },
  ];
  it.each(cases)('$name', ({ desired, live, patch }) => {
    expect(buildReplacement(desired, live)).toEqual(patch);
    expect(applyMergePatch(live ?? null, buildReplacement(desired, live))).toEqual(desired);
  });
});

describe('buildMergePatch', () => {
  it('nests operations and keeps nulls for deletions', () => {
    expect(buildMergePatch([
      { segments: ['spec', 'replicas'], value: 3 },
      { segments: ['spec', 'readOnly'], value: null },
      { segments: ['data', 'a.b..5000'], value: 'PEM' },
    ])).toEqual({ spec: { replicas: 3, readOnly: null }, data: { 'a.b..5000': 'PEM' } });
  });

  const invalid: Array<{ name: string; segments: Array<string | number>[]; message: string }> = [
    { name: 'a list item', segments: [['spec', 'routes', 0, 'name']], message: 'cannot address list item 0' },
    { name: 'overlapping paths', segments: [['spec', 'a'], ['spec', 'a', 'b']], message: 'overlap at a' },
    { name: 'the same path twice', segments: [['spec', 'a'], ['spec', 'a']], message: 'overlap at a' },
    { name: 'an empty path', segments: [[]], message: 'non-empty path' },
  ];
  it.each(invalid)('refuses $name', ({ segments, message }) => {
    expect(() => buildMergePatch(segments.map((s) => ({ segments: s, value: 1 })))).toThrow(message);
  });
});
