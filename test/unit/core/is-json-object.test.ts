import { describe, expect, it } from 'vitest';
import { isJsonObject } from '../../../functions/core/is-json-object.ts';
import type { Json } from '../../../functions/core/model.ts';

describe('isJsonObject', () => {
  it.each<{ name: string; value: Json | undefined; expected: boolean }>([
    { name: 'a map', value: { a: 1 }, expected: true },
    { name: 'an empty map', value: {}, expected: true },
    { name: 'a list', value: [{ a: 1 }], expected: false },
    { name: 'null', value: null, expected: false },
    { name: 'undefined', value: undefined, expected: false },
    { name: 'a string', value: '{}', expected: false },
    { name: 'a number', value: 0, expected: false },
  ])('$name → $expected', ({ value, expected }) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});
