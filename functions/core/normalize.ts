/**
 * When two values count as the same for the differ. The operator is written in Go and rewrites its
 * whole spec, so a Go zero value and an absent field mean the same thing to it: stored objects carry
 * `proxy: {}`, `requests: {read: {maxWaitInQueue: 0s}}`, `virtualHostedStyle: false`,
 * `trustedCA: {name: ""}`, `observedConfig: null`, and lose empty lists and maps on the next write
 * (docs/registry-operator-facts.md §4). Planning a write for such a difference would never converge, so these
 * equal unset, as do the API server's schema defaults (`logLevel: Normal`, §2) and Go durations
 * written two ways (`6h` and `6h0m0s`). Core kinds (ConfigMap, Secret) and the bucket document are
 * compared strictly: only null equals unset there.
 */
import { appendPath } from './append-path.ts';
import { parseGoDuration } from './go-duration.ts';
import type { Json } from './model.ts';
import { getSchemaHints, type SchemaHints } from './schema-hints.ts';
import { isJsonObject } from './is-json-object.ts';

/** Compares values at a path the way the owning controller reads them. */
export interface ValueComparator {
  /** True when the value means the same as the field being absent. */
  isUnset(path: string, value: Json | undefined): boolean;
  /** True when desired and live mean the same (either may be absent). */
  isEquivalent(path: string, desired: Json | undefined, live: Json | undefined): boolean;
  /** True when the map at this path is replaced whole (atomic) rather than merged key by key. */
  isAtomic(path: string): boolean;
  /** True when an empty map at this path means something (`emptyDir: {}`), so Git can own it. */
  isPresenceMap(path: string): boolean;
}

/**
 * Maps whose mere presence means something even when empty: a storage backend (`emptyDir: {}`,
 * `s3: {}` picks S3 with operator-filled settings, §9.1) and `affinity` (a non-nil affinity
 * suppresses the default anti-affinity, §5).
 */
const presenceMaps: Record<string, ReadonlySet<string>> = {
  'imageregistry.operator.openshift.io/v1/Config': new Set([
    'spec.storage.emptyDir', 'spec.storage.s3', 'spec.storage.gcs', 'spec.storage.swift', 'spec.storage.pvc',
    'spec.storage.azure', 'spec.storage.ibmcos', 'spec.storage.oss', 'spec.affinity',
  ]),
  'imageregistry.operator.openshift.io/v1/ImagePruner': new Set(['spec.affinity']),
};

/** A comparator that follows Go zero-value semantics for a CRD-backed kind. */
function createGoComparator(hints: SchemaHints, presence: ReadonlySet<string>): ValueComparator {
  const isUnset = (path: string, value: Json | undefined): boolean => {
    if (value === undefined || value === null || value === false || value === '' || value === 0) return true;
    if (typeof value === 'string' && hints.durations.has(path)) return parseGoDuration(value) === 0;
    if (hints.defaults.has(path) && isEquivalentStrict(hints.defaults.get(path), value)) return true;
    if (Array.isArray(value)) return value.length === 0;
    if (isJsonObject(value)) {
      if (presence.has(path)) return false;
      return Object.keys(value).every((key) => isUnset(appendPath(path, key), value[key]));
    }
    return false;
  };
  const isEquivalent = (path: string, desired: Json | undefined, live: Json | undefined): boolean => {
    if (desired === live) return true;
    // `s3: {}` in Git asks for the backend, not for it to be empty: the operator fills it in (§3.5)
    if (isJsonObject(desired) && Object.keys(desired).length === 0 && presence.has(path)) return isJsonObject(live);
    const desiredUnset = isUnset(path, desired);
    const liveUnset = isUnset(path, live);
    if (desiredUnset || liveUnset) return desiredUnset && liveUnset;
    if (typeof desired === 'string' && typeof live === 'string' && hints.durations.has(path)) {
      const a = parseGoDuration(desired);
      return a !== undefined && a === parseGoDuration(live);
    }
    if (Array.isArray(desired) && Array.isArray(live)) {
      return desired.length === live.length && desired.every((item, i) => isEquivalent(appendPath(path, i), item, live[i]));
    }
    if (isJsonObject(desired) && isJsonObject(live)) {
      const keys = new Set([...Object.keys(desired), ...Object.keys(live)]);
      for (const key of keys) if (!isEquivalent(appendPath(path, key), desired[key], live[key])) return false;
      return true;
    }
    return false;
  };
  return { isUnset, isEquivalent, isAtomic: (path) => hints.atomicMaps.has(path), isPresenceMap: (path) => presence.has(path) };
}

function isEquivalentStrict(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => isEquivalentStrict(item, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!isEquivalentStrict(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** Strict comparison: only null equals absent. For ConfigMaps, Secrets and the bucket document. */
export const strictComparator: ValueComparator = {
  isUnset: (_path, value) => value === undefined || value === null,
  isEquivalent: (_path, desired, live) => isEquivalentStrict(desired, live),
  isAtomic: () => false,
  isPresenceMap: () => false,
};

const comparators = new Map<string, ValueComparator>();

/** The comparator for an object kind: Go semantics when a CRD schema is vendored, else strict. */
export function getValueComparator(apiVersion: string, kind: string): ValueComparator {
  const key = `${apiVersion}/${kind}`;
  let comparator = comparators.get(key);
  if (comparator === undefined) {
    const hints = getSchemaHints(apiVersion, kind);
    comparator = hints === undefined ? strictComparator : createGoComparator(hints, presenceMaps[key] ?? new Set());
    comparators.set(key, comparator);
  }
  return comparator;
}
