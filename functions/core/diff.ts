/**
 * Compares one object's owned fields with the live object: the leaves Git sets (owned-leaves.ts),
 * plus the leaves regops set before (OWNED_FIELDS_ANNOTATION) and Git no longer has, which are
 * removed. Nothing else on the live object is looked at, so whatever the operator fills in
 * (httpSecret, bucket name, observedConfig, status) is never drift (docs/registry-operator-facts.md §4). Two
 * exceptions: a storage backend Git replaces by another is removed whole (findDisplacedSiblings),
 * and a map the removals leave empty is removed itself (collapseEmptiedMaps).
 */
import { buildMergePatch, buildReplacement, collapseEmptiedMaps, type PatchOperation } from './build-merge-patch.ts';
import { formatPath, parsePath, type PathSegment } from './field-path.ts';
import { findFieldWriter } from './find-field-writer.ts';
import { findPosition } from './find-position.ts';
import type { FieldChange, Json, JsonObject, SourcePosition } from './model.ts';
import type { ValueComparator } from './normalize.ts';
import { collectOwnedLeaves, readOwnedFields, readPath, type OwnedLeaf } from './owned-leaves.ts';

export interface ObjectDiffInput {
  /** The desired partial object (secret data already as digests). `{}` wants nothing (prune). */
  desired: JsonObject;
  live: JsonObject | undefined;
  comparator: ValueComparator;
  /** Where Git set each field (DesiredObject.positions). */
  positions?: Record<string, SourcePosition>;
  /** Origin for fields without a position of their own (e.g. a DesiredSecret's origin). */
  fallbackOrigin?: SourcePosition;
}

/** The owned-field differences of one object and the merge patch that resolves them. */
export interface ObjectDiff {
  changes: FieldChange[];
  /** Merge patch of the changed owned fields only (no bookkeeping); `{}` when nothing differs. */
  patch: JsonObject;
  /** Paths regops owns once the patch is applied (sorted). */
  ownedFields: string[];
}

function isPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (prefix[i] !== path[i]) return false;
  return true;
}

/**
 * Where Git set a field: the path itself, else the first field Git set inside it (an atomic map's
 * keys), else the nearest enclosing field.
 */
export function findOrigin(positions: Readonly<Record<string, SourcePosition>> | undefined, path: string): SourcePosition | undefined {
  if (positions === undefined) return undefined;
  const exact = positions[path];
  if (exact !== undefined) return exact;
  const inside = Object.keys(positions)
    .filter((key) => key.startsWith(path) && (key[path.length] === '.' || key[path.length] === '['))
    .sort();
  if (inside[0] !== undefined) return positions[inside[0]];
  return findPosition(positions, path);
}

/**
 * Whether a previously owned path can be removed by a merge patch: map keys only (a path through a
 * list is covered by the list leaf), never identity, never regops' own annotations.
 */
function isRemovable(segments: readonly PathSegment[]): boolean {
  if (segments.some((segment) => typeof segment === 'number')) return false;
  const [head, part, name] = segments;
  if (head === 'apiVersion' || head === 'kind' || head === 'status') return false;
  if (head !== 'metadata') return true;
  if (segments.length !== 3 || (part !== 'annotations' && part !== 'labels')) return false;
  return !(part === 'annotations' && String(name).startsWith('regops.io/'));
}

function withOrigin(change: FieldChange, origin: SourcePosition | undefined): FieldChange {
  return origin === undefined ? change : { ...change, origin };
}

/** Names who wrote a live value that differs from Git (managedFields), so drift says who changed it. */
function withWriter(change: FieldChange, live: JsonObject | undefined, segments: readonly PathSegment[]): FieldChange {
  if (change.before === undefined) return change;
  const writer = findFieldWriter(live, segments);
  return writer === undefined ? change : { ...change, writer };
}

/**
 * True when the leaf sits in a presence map that is absent live (`s3: {virtualHostedStyle: false}`
 * in Git, no s3 on the cluster): the zero value equals unset, but writing it is what picks the backend.
 */
function isUnderMissingPresenceMap(live: JsonObject | undefined, segments: readonly PathSegment[], comparator: ValueComparator): boolean {
  for (let n = 1; n < segments.length; n += 1) {
    const prefix = segments.slice(0, n);
    if (!comparator.isPresenceMap(formatPath(prefix))) continue;
    const value = readPath(live, prefix);
    if (value === undefined || value === null) return true;
  }
  return false;
}

interface DisplacedSibling {
  segments: PathSegment[];
  path: string;
  before: Json;
  /** The presence map Git chose instead. */
  chosen: string;
}

/**
 * Presence maps under one parent are alternatives: the storage backends (`emptyDir`, `s3`, `pvc`, …),
 * of which the operator accepts exactly one (docs/registry-operator-facts.md §3.1). When Git picks one, every
 * other one live is removed whole, whoever set it (the operator's bootstrap `s3: {}` and the bucket
 * it filled in included): removing only the fields regops owned would leave two backends. The
 * switch itself is a destructive change Git must allow (destructive.ts).
 */
function findDisplacedSiblings(live: JsonObject | undefined, leaves: readonly OwnedLeaf[], comparator: ValueComparator): DisplacedSibling[] {
  const out: DisplacedSibling[] = [];
  const parents = new Set<string>();
  for (const leaf of leaves) {
    for (let n = 1; n <= leaf.segments.length; n += 1) {
      const chosen = leaf.segments.slice(0, n);
      const chosenPath = formatPath(chosen);
      if (!comparator.isPresenceMap(chosenPath)) continue;
      // a scalar where a backend map belongs picks nothing (the schema validator reports it)
      if (n === leaf.segments.length && (typeof leaf.value !== 'object' || leaf.value === null || Array.isArray(leaf.value))) continue;
      const parent = chosen.slice(0, -1);
      const parentPath = formatPath(parent);
      if (parents.has(parentPath)) continue;
      parents.add(parentPath);
      const liveParent = readPath(live, parent);
      if (typeof liveParent !== 'object' || liveParent === null || Array.isArray(liveParent)) continue;
      for (const key of Object.keys(liveParent).sort()) {
        const segments = [...parent, key];
        const path = formatPath(segments);
        const before = liveParent[key];
        if (before === undefined || before === null || !comparator.isPresenceMap(path)) continue;
        if (leaves.some((other) => isPrefix(segments, other.segments))) continue;
        out.push({ segments, path, before, chosen: chosenPath });
      }
    }
  }
  return out;
}

/** Diffs one object's owned fields against live; see ObjectDiff. */
export function diffObject(input: ObjectDiffInput): ObjectDiff {
  const { desired, live, comparator } = input;
  const leaves = collectOwnedLeaves(desired, comparator);
  const changes: FieldChange[] = [];
  const operations: PatchOperation[] = [];

  for (const leaf of leaves) {
    const before = readPath(live, leaf.segments);
    if (comparator.isEquivalent(leaf.path, leaf.value, before) && !isUnderMissingPresenceMap(live, leaf.segments, comparator)) continue;
    // `add` when the field is absent live; a zero value the operator wrote is a `change` from it
    const change: FieldChange =
      before === undefined || before === null ? { path: leaf.path, op: 'add', after: leaf.value } : { path: leaf.path, op: 'change', before, after: leaf.value };
    changes.push(withWriter(withOrigin(change, findOrigin(input.positions, leaf.path) ?? input.fallbackOrigin), live, leaf.segments));
    operations.push({ segments: leaf.segments, value: buildReplacement(leaf.value, before) });
  }

  const removals: PathSegment[][] = [];
  for (const sibling of findDisplacedSiblings(live, leaves, comparator)) {
    removals.push(sibling.segments);
    changes.push(withWriter(withOrigin({ path: sibling.path, op: 'remove', before: sibling.before }, findOrigin(input.positions, sibling.chosen) ?? input.fallbackOrigin), live, sibling.segments));
    operations.push({ segments: sibling.segments, value: null });
  }
  for (const path of readOwnedFields(live).sort()) {
    const segments = parsePath(path);
    if (!isRemovable(segments)) continue;
    if (leaves.some((leaf) => isPrefix(leaf.segments, segments) || isPrefix(segments, leaf.segments))) continue;
    // sorted, so an ancestor comes first and already removes its descendants
    if (removals.some((removed) => isPrefix(removed, segments))) continue;
    removals.push(segments);
    const before = readPath(live, segments);
    if (before === undefined || comparator.isUnset(path, before)) continue;
    changes.push(withWriter(withOrigin({ path, op: 'remove', before }, input.fallbackOrigin), live, segments));
    operations.push({ segments, value: null });
  }

  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // a map whose last field goes is deleted itself (`additionalTrustedCA: {}` fails the CRD's
  // required `name`), up to but never including a top-level field, never one Git still sets
  // fields in, never in metadata (annotations and labels are maps of their own)
  const deleted = operations.filter((op) => op.value === null && op.segments[0] !== 'metadata').map((op) => op.segments);
  const patch = collapseEmptiedMaps(buildMergePatch(operations), live, {
    removals: deleted,
    minDepth: 2,
    keep: (segments) => leaves.some((leaf) => isPrefix(segments, leaf.segments)),
  });
  return { changes, patch, ownedFields: leaves.map((leaf) => leaf.path) };
}
