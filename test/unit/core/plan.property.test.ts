/**
 * The laws of planning (issue 2), over random desired and live objects:
 * 1. applying the plan's patch to live yields the desired owned fields;
 * 2. planning again against the patched object gives no changes;
 * 3. fields regops does not own are never touched by a patch;
 * 4. fields regops recorded as owned and Git dropped are removed;
 * 5. a storage backend Git picks is the only one left;
 * 6. a patch leaves no empty map below the top-level field that was not empty before, unless Git
 *    sets fields in it (`additionalTrustedCA: {}` fails the CRD's required name; the map goes whole).
 * Two rounds (Git d1, then Git d2) so that removal of fields Git dropped is covered too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePath, type PathSegment } from '../../../functions/core/field-path.ts';
import { applyMergePatch } from '../../../functions/core/merge-patch.ts';
import type { Json, JsonObject, ResourceRef } from '../../../functions/core/model.ts';
import { getValueComparator } from '../../../functions/core/normalize.ts';
import { collectOwnedLeaves, readOwnedFields, readPath } from '../../../functions/core/owned-leaves.ts';
import { planCluster } from '../../../functions/core/plan.ts';
import { formatRefKey } from '../../../functions/core/resource-ref.ts';
import { configRef, desiredCluster } from './support/plan-inputs.ts';

const configMapRef: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' };

// Keys include the Config's real atomic map (requests), a defaulted field (logLevel), two storage
// backends (presence maps: storage.emptyDir, storage.s3) and a key that needs brackets in a field path; scalars include Go zero values,
// the default and two spellings of 6h.
const key = fc.constantFrom('a', 'b', 'requests', 'logLevel', 'x.y', 'storage', 'emptyDir', 's3');
const scalar = fc.oneof(fc.boolean(), fc.integer({ min: -1, max: 3 }), fc.constantFrom('', 'v', 'Normal', '0s', '6h', '6h0m0s'));
const { value: desiredValue } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(scalar, { maxLength: 2 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
}));
const liveValue = fc.oneof(desiredValue, fc.constant(null));
const desiredSpec = fc.dictionary(key, desiredValue, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;
const liveSpec = fc.dictionary(key, liveValue, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;
const dataMap = (values: fc.Arbitrary<string>): fc.Arbitrary<JsonObject> => fc.dictionary(fc.constantFrom('a.example.com', 'b..5000', 'c'), values, { maxKeys: 3 });

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf path of a live object outside metadata (lists and empty maps are leaves). */
function listLeaves(value: Json, segments: PathSegment[] = []): PathSegment[][] {
  if (isObject(value) && Object.keys(value).length > 0) {
    return Object.keys(value).flatMap((k) => (segments.length === 0 && (k === 'metadata' || k === 'apiVersion' || k === 'kind') ? [] : listLeaves(value[k] as Json, [...segments, k])));
  }
  return segments.length === 0 ? [] : [segments];
}

function related(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function planOne(ref: ResourceRef, body: JsonObject, live: JsonObject, commit: string) {
  // destructive transitions are allowed here: their gating has its own tests (plan.test.ts)
  const desired = desiredCluster({
    objects: [{ ref, body: { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name }, ...body }, positions: {} }],
    allow: ['storage-change', 'remove', 'http-secret-rotation'],
  });
  const plan = planCluster(desired, { objects: { [formatRefKey(ref)]: live }, secretDigests: {} }, { commit });
  const entry = plan.entries[0];
  if (entry === undefined) throw new Error('plan has no entry');
  const patched = entry.patch === undefined ? live : (applyMergePatch(live, entry.patch) as JsonObject);
  return { entry, patched, plan };
}

function checkLaws(ref: ResourceRef, field: 'spec' | 'data', first: JsonObject, second: JsonObject, generated: JsonObject): void {
  // the Config's schema requires spec.replicas on the object as it stands (checked at plan time)
  const liveBody = field === 'spec' ? { replicas: 1, ...generated } : generated;
  const comparator = getValueComparator(ref.apiVersion, ref.kind);
  const live0: JsonObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, resourceVersion: '1' }, [field]: liveBody };
  const round1 = planOne(ref, { [field]: first }, live0, 'c1');
  const round2 = planOne(ref, { [field]: second }, round1.patched, 'c2');
  const live2 = round2.patched;

  // 1. the patched object holds Git's owned fields
  const leaves = collectOwnedLeaves({ [field]: second }, comparator);
  for (const leaf of leaves) expect(comparator.isEquivalent(leaf.path, leaf.value, readPath(live2, leaf.segments)), leaf.path).toBe(true);

  // 2. planning again changes nothing, so bookkeeping alone is no change
  const again = planOne(ref, { [field]: second }, live2, 'c3');
  expect(again.plan.entries.map((e) => e.action)).toEqual(['unchanged']);
  expect(again.entry.changes).toEqual([]);

  // 3. what neither Git version owned is as it was, except a storage backend Git replaced by
  // another (backends are alternatives: the displaced one goes whole, diff.ts)
  const firstLeaves = collectOwnedLeaves({ [field]: first }, comparator);
  const owned = [...firstLeaves, ...leaves].map((leaf) => leaf.segments);
  const backendsChosen = (body: JsonObject): Set<PathSegment> => {
    const storage = readPath(body, ['storage']);
    return new Set(isObject(storage) ? ['emptyDir', 's3'].filter((name) => isObject(storage[name])) : []);
  };
  const chosen = field === 'spec' ? [backendsChosen(first), backendsChosen(second)] : [new Set<PathSegment>(), new Set<PathSegment>()];
  const displaced = (path: PathSegment[]): boolean =>
    field === 'spec' && path[0] === 'spec' && path[1] === 'storage' && ['emptyDir', 's3'].includes(String(path[2])) && chosen.some((set) => set.size > 0 && !set.has(path[2] as PathSegment));
  for (const path of listLeaves(live0)) {
    if (owned.some((segments) => related(segments, path)) || displaced(path)) continue;
    expect(readPath(live2, path), JSON.stringify(path)).toEqual(readPath(live0, path));
  }
  // 4. what regops recorded as owned and the second Git version dropped is gone (or at its zero
  // value). Ownership is recorded with a write only: an object that never needed one records none.
  for (const path of readOwnedFields(round1.patched)) {
    const segments = parsePath(path);
    if (leaves.some((kept) => related(kept.segments, segments))) continue;
    expect(comparator.isUnset(path, readPath(live2, segments)), path).toBe(true);
  }
  // 5. when Git picks a storage backend, it is the only one left
  const liveStorage = readPath(live2, ['spec', 'storage']);
  if (chosen[1]?.size === 1 && isObject(liveStorage)) {
    const present = ['emptyDir', 's3'].filter((name) => isObject(liveStorage[name]));
    expect(present).toEqual([...chosen[1]]);
  }
  // 6. no map the removals emptied is left behind as `{}`
  const rounds: Array<[JsonObject, JsonObject, JsonObject]> = [[live0, round1.patched, { [field]: first }], [round1.patched, live2, { [field]: second }]];
  for (const [before, after, body] of rounds) {
    const wanted = collectOwnedLeaves(body, comparator).map((leaf) => leaf.segments);
    for (const path of listLeaves(after)) {
      const value = readPath(after, path);
      if (path.length < 2 || !isObject(value) || Object.keys(value).length > 0) continue;
      if (wanted.some((segments) => related(segments, path))) continue;
      expect(readPath(before, path), `${JSON.stringify(path)} emptied`).toEqual({});
    }
  }
  // and the patch only ever carries the annotations it owns in metadata
  for (const round of [round1, round2]) {
    const metadata = round.entry.patch?.['metadata'];
    if (isObject(metadata)) expect(Object.keys(metadata).sort()).toEqual(['annotations', 'resourceVersion']);
  }
}

describe('plan laws (fast-check)', () => {
  it('Config (Go zero values, atomic requests, defaults, durations): patch → desired, replan → unchanged, unowned untouched', () => {
    fc.assert(fc.property(desiredSpec, desiredSpec, liveSpec, (first, second, live) => checkLaws(configRef, 'spec', first, second, live)), { numRuns: 400 });
  });

  it('ConfigMap (strict comparison): the same laws for data keys', () => {
    const values = fc.constantFrom('', 'PEM-1', 'PEM-2');
    fc.assert(fc.property(dataMap(values), dataMap(values), dataMap(values), (first, second, live) => checkLaws(configMapRef, 'data', first, second, live)), { numRuns: 300 });
  });
});
