import type { ClusterDrift, DriftReport } from '../../model.ts';
import { describeTarget } from './resource-key.ts';

/** The first scan of an unbroken run of scans, ending now, that saw a condition hold. */
export interface RunStart {
  /** generatedAt of that scan. */
  at: string;
  /** The run reaches back to the oldest scan given: it may have started earlier ("or earlier"). */
  open: boolean;
}

/** Since when a cluster has been drifted, and since when each of its drifted fields has differed. */
export interface DriftSince {
  /** Start of the run of scans that saw the cluster drifted (absent when it is not drifted now). */
  since?: RunStart;
  /** Per field (see `fieldKey`): start of the run of scans that saw it differ. */
  fields: Map<string, RunStart>;
}

/** Key of one drifted field of one resource, shared by `computeDriftSince` and the page renderer. */
export function fieldKey(resourceKey: string, path: string): string {
  return `${resourceKey}\u0000${path}`;
}

/**
 * Computes drift-since for every cluster of the last scan. `scans` are drift reports oldest first,
 * the current one last. A run is broken by a scan where the cluster is absent or not drifted
 * (for a field: where the field did not differ): drift that was fixed and came back counts anew.
 */
export function computeDriftSince(scans: readonly DriftReport[]): Map<string, DriftSince> {
  const result = new Map<string, DriftSince>();
  const current = scans[scans.length - 1];
  if (current === undefined) return result;
  const byScan = scans.map((scan) => new Map(scan.clusters.map((cluster) => [cluster.cluster, cluster])));
  for (const cluster of current.clusters) {
    const fields = new Map<string, RunStart>();
    for (const key of collectFieldKeys(cluster)) {
      const since = findRunStart(scans, byScan, cluster.cluster, (past) => collectFieldKeys(past).has(key));
      if (since !== undefined) fields.set(key, since);
    }
    const since = findRunStart(scans, byScan, cluster.cluster, (past) => past.state === 'drifted');
    result.set(cluster.cluster, since === undefined ? { fields } : { since, fields });
  }
  return result;
}

function findRunStart(
  scans: readonly DriftReport[],
  byScan: ReadonlyArray<Map<string, ClusterDrift>>,
  name: string,
  holds: (cluster: ClusterDrift) => boolean,
): RunStart | undefined {
  let since: RunStart | undefined;
  for (let index = scans.length - 1; index >= 0; index -= 1) {
    const past = byScan[index]?.get(name);
    if (past === undefined || !holds(past)) break;
    since = { at: scans[index]?.generatedAt ?? '', open: index === 0 };
  }
  return since;
}

const keyCache = new WeakMap<ClusterDrift, Set<string>>();

function collectFieldKeys(cluster: ClusterDrift): Set<string> {
  const cached = keyCache.get(cluster);
  if (cached !== undefined) return cached;
  const keys = new Set<string>();
  for (const resource of cluster.resources) {
    const resourceKey = describeTarget(resource.target).key;
    for (const change of resource.changes) keys.add(fieldKey(resourceKey, change.path));
  }
  keyCache.set(cluster, keys);
  return keys;
}
