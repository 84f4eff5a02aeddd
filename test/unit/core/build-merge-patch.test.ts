import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMergePatch, buildReplacement, collapseEmptiedMaps, MergePatchError } from '../../../functions/core/build-merge-patch.ts';
import { formatPath, type PathSegment } from '../../../functions/core/field-path.ts';
import { applyMergePatch } from '../../../functions/core/merge-patch.ts';
import type { Json, JsonObject } from '../../../functions/core/model.ts';

describe('buildReplacement', () => {
  const cases: Array<{ name: string; desired: Json; live: Json | undefined; patch: Json }> = [
    { name: 'scalar', desired: 3, live: 2, patch: 3 },
    { name: 'list replaces whole already', desired: [1], live: [1, 2], patch: [1] },
    { name: 'map: live keys Git lacks become null, recursively', desired: { a: { b: 1 } }, live: { a: { b: 2, c: 3 }, d: 4 }, patch: { d: null, a: { c: null, b: 1 } } },
    { name: 'map over a scalar', desired: { a: 1 }, live: 'x', patch: { a: 1 } },
    { name: 'empty map over a full one', desired: {}, live: { a: 1 }, patch: { a: null } },
    {
      name: 'live keys named like Object.prototype members that Git dropped become null',
      desired: { data: { a: '1' } },
      live: { data: { a: '1', constructor: 'x', toString: 'y', hasOwnProperty: 'z' } },
      patch: { data: { constructor: null, toString: null, hasOwnProperty: null, a: '1' } },
    },
    {
      name: 'Git keys named like Object.prototype members, absent live, are written as they are',
      desired: { data: { constructor: { a: 1 }, toString: 'y' } },
      live: { data: {} },
      patch: { data: { constructor: { a: 1 }, toString: 'y' } },
    },
  ];
  it.each(cases)('$name', ({ desired, live, patch }) => {
    expect(buildReplacement(desired, live)).toEqual(patch);
    expect(applyMergePatch(live ?? null, buildReplacement(desired, live))).toEqual(desired);
  });

  it('nulls a live `__proto__` key Git dropped, as an own key', () => {
    const live = JSON.parse('{"data":{"__proto__":"x","a":"1"}}') as JsonObject;
    const replacement = buildReplacement({ data: { a: '1' } }, live) as JsonObject;
    expect(JSON.stringify(replacement)).toBe('{"data":{"__proto__":null,"a":"1"}}');
    expect(JSON.stringify(applyMergePatch(live, replacement))).toBe('{"data":{"a":"1"}}');
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

  const invalid: Array<{ name: string; segments: Array<string | number>[]; message: string; path: string }> = [
    { name: 'a list item', segments: [['spec', 'routes', 0, 'name']], message: 'spec.routes[0].name: merge patch cannot address list item 0', path: 'spec.routes[0].name' },
    { name: 'overlapping paths', segments: [['spec', 'a'], ['spec', 'a', 'b']], message: 'spec.a.b: merge patch operations overlap at a', path: 'spec.a.b' },
    { name: 'the same path twice', segments: [['spec', 'a'], ['spec', 'a']], message: 'spec.a: merge patch operations overlap at a', path: 'spec.a' },
    { name: 'an empty path', segments: [[]], message: '(root): merge patch operation needs a non-empty path', path: '' },
  ];
  it.each(invalid)('refuses $name with a MergePatchError naming the path', ({ segments, message, path }) => {
    const run = (): JsonObject => buildMergePatch(segments.map((s) => ({ segments: s, value: 1 })));
    expect(run).toThrow(MergePatchError);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ code: 'patch.bad-operation', context: { path } }));
  });

  // keys Object.prototype also has: `in` / `node[key]` would see the prototype's and call them overlaps
  const prototypeKeys = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
  it.each(prototypeKeys)('writes a ConfigMap data key named %s as an own key', (key) => {
    const patch = buildMergePatch([
      { segments: ['data', key], value: 'PEM' },
      { segments: [key, 'x'], value: null },
    ]);
    const data = patch['data'] as JsonObject;
    expect(Object.hasOwn(data, key)).toBe(true);
    expect(data[key]).toBe('PEM');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(patch, key)).toBe(true);
    expect(Object.keys(patch[key] as JsonObject)).toEqual(['x']);
    // JSON text, because toEqual and object literals treat an own `__proto__` specially
    expect(JSON.stringify(applyMergePatch({ data: {} }, patch))).toBe(JSON.stringify(JSON.parse(`{"data":{${JSON.stringify(key)}:"PEM"},${JSON.stringify(key)}:{}}`)));
  });

  it('copies base instead of modifying it', () => {
    const base: JsonObject = { metadata: { annotations: { a: '1' } } };
    const before = JSON.stringify(base);
    expect(buildMergePatch([{ segments: ['metadata', 'annotations', 'b'], value: '2' }], base)).toEqual({ metadata: { annotations: { a: '1', b: '2' } } });
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe('collapseEmptiedMaps', () => {
  const cases: Array<{ name: string; live: JsonObject; patch: JsonObject; keep?: string[]; expected: JsonObject }> = [
    {
      name: 'the last key of a map goes: the map goes (images.config additionalTrustedCA, name required)',
      live: { spec: { additionalTrustedCA: { name: 'registry-cas' }, allowedRegistriesForImport: [] } },
      patch: { spec: { additionalTrustedCA: { name: null } } },
      expected: { spec: { additionalTrustedCA: null } },
    },
    {
      name: 'upward while the parent empties too, never the top-level field itself',
      live: { spec: { storage: { s3: { bucket: 'b', region: 'r' }, managementState: 'Unmanaged' } } },
      patch: { spec: { storage: { s3: { bucket: null, region: null }, managementState: null } } },
      expected: { spec: { storage: null } },
    },
    {
      name: 'a top-level field is never deleted (spec stays, empty)',
      live: { spec: { a: 1 } },
      patch: { spec: { a: null } },
      expected: { spec: { a: null } },
    },
    {
      name: 'a field another writer set keeps the map',
      live: { spec: { additionalTrustedCA: { name: 'registry-cas', other: 'x' } } },
      patch: { spec: { additionalTrustedCA: { name: null } } },
      expected: { spec: { additionalTrustedCA: { name: null } } },
    },
    {
      name: 'a field the same patch writes keeps the map',
      live: { spec: { a: { x: 1 } } },
      patch: { spec: { a: { x: null, y: 2 } } },
      expected: { spec: { a: { x: null, y: 2 } } },
    },
    {
      name: 'stops at the first parent that keeps other fields',
      live: { spec: { storage: { s3: { bucket: 'b' }, emptyDir: {} } } },
      patch: { spec: { storage: { s3: { bucket: null } } } },
      expected: { spec: { storage: { s3: null } } },
    },
    {
      name: 'a map kept by the caller stays (Git still sets a field in it)',
      live: { spec: { a: { x: 1 } } },
      patch: { spec: { a: { x: null } } },
      keep: ['spec.a'],
      expected: { spec: { a: { x: null } } },
    },
    {
      name: 'a map that was empty live is not the removals\' doing: left as it is',
      live: { spec: { proxy: {}, a: { x: 1 }, b: 2 } },
      patch: { spec: { a: { x: null } } },
      expected: { spec: { a: null } },
    },
    {
      name: 'a deletion of a key that is not live changes nothing',
      live: { spec: { a: { y: 1 } } },
      patch: { spec: { a: { x: null } } },
      expected: { spec: { a: { x: null } } },
    },
  ];
  const removalsOf = (patch: Json, prefix: PathSegment[] = []): PathSegment[][] =>
    typeof patch === 'object' && patch !== null && !Array.isArray(patch)
      ? Object.entries(patch).flatMap(([k, v]) => (v === null ? [[...prefix, k]] : removalsOf(v, [...prefix, k])))
      : [];
  it.each(cases)('$name', ({ live, patch, keep, expected }) => {
    const before = JSON.stringify(patch);
    const collapsed = collapseEmptiedMaps(patch, live, { removals: removalsOf(patch), minDepth: 2, keep: (segments) => (keep ?? []).includes(formatPath(segments)) });
    expect(collapsed).toEqual(expected);
    expect(JSON.stringify(patch)).toBe(before);
  });

  /** Whether a value is a map with no keys. */
  const isEmptyMap = (value: Json | undefined): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
  /** Every path of a JSON tree, maps included. */
  const pathsOf = (value: Json, prefix: PathSegment[] = []): PathSegment[][] =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]) : [];
  const read = (root: Json, segments: readonly PathSegment[]): Json | undefined =>
    segments.reduce<Json | undefined>((node, s) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? node[String(s)] : undefined), root);

  it('law: the collapsed patch gives the same object less the maps the deletions emptied (fast-check)', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const { tree } = fc.letrec<{ tree: Json }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.constantFrom(1, 'x', true), fc.dictionary(key, tie('tree'), { maxKeys: 3 })),
    }));
    const liveArb = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 3 }).map((spec) => ({ spec }) as JsonObject);
    fc.assert(
      fc.property(liveArb, fc.array(fc.nat(), { maxLength: 4 }), (live, picks) => {
        const paths = pathsOf(live);
        // delete some of the live paths (not nested in each other: a merge patch cannot do both)
        const chosen: PathSegment[][] = [];
        for (const pick of picks) {
          const path = paths[pick % Math.max(paths.length, 1)];
          if (path === undefined || path.length < 2) continue;
          if (chosen.some((other) => other.every((s, i) => path[i] === s) || path.every((s, i) => other[i] === s))) continue;
          chosen.push(path);
        }
        const patch = buildMergePatch(chosen.map((segments) => ({ segments, value: null })));
        const plain = applyMergePatch(live, patch);
        const collapsed = applyMergePatch(live, collapseEmptiedMaps(patch, live, { removals: chosen, minDepth: 2 }));
        // nothing but emptied maps differs: every non-map leaf is the same
        for (const path of [...pathsOf(plain), ...pathsOf(collapsed)]) {
          const value = read(plain, path);
          if (typeof value === 'object' && value !== null) continue;
          expect(read(collapsed, path), formatPath(path)).toEqual(value);
        }
        // and no map under spec that the deletions emptied is left behind empty
        for (const path of pathsOf(collapsed)) {
          if (path.length >= 2 && isEmptyMap(read(collapsed, path))) expect(isEmptyMap(read(live, path)), formatPath(path)).toBe(true);
        }
        expect(read(collapsed, ['spec'])).toBeDefined();
      }),
      { numRuns: 400 },
    );
  });
});
