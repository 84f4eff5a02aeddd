/**
 * Automatic rollback of a failed wave (DESIGN.md, Fleet safety; issue 13 item 1). Before a wave
 * with `rollback: automatic` writes a cluster, the values of the fields this rollout will own on
 * each object (what Git sets now, plus what regops set last time: the owned-fields annotation) are
 * read from the cluster and kept in the run's state. When the wave fails, every cluster it changed
 * is given those values back through reconcileCluster — the same dry run, merge patches and health
 * gate — as a desired state of its own: a field the failed commit added is absent from it and so
 * pruned (it is in the owned-fields annotation), a field it changed gets its old value. Secrets are
 * not captured (only the secrets adapter sees values) and an object the rollout created stays: regops
 * never deletes.
 */
import type { ClusterEntry, DesiredCluster, DesiredObject, Json, JsonObject, ResourceRef } from '../core/model.ts';
import { APPLIED_COMMIT_ANNOTATION } from '../core/model.ts';
import { parsePath } from '../core/field-path.ts';
import { getValueComparator } from '../core/normalize.ts';
import { collectOwnedLeaves, readOwnedFields, readPath } from '../core/owned-leaves.ts';
import { setOwn } from '../core/set-own.ts';
import { isJsonObject } from '../core/is-json-object.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { registryRefs } from '../core/resource-ref.ts';
import { withRetry } from './retry.ts';

/** The error a rollout fails with when an automatic rollback failed (the Step Functions rollout's `Rollback failed` state). */
export const ROLLBACK_FAILED = 'rollout.rollback-failed';

/**
 * Where a run keeps a cluster's values from before a `rollback: automatic` wave wrote it: in the CLI's
 * fleet state, in AWS in the run store (the reports bucket's runs/, engine/steps/rollback-previous.ts).
 */
export function previousStateKey(commit: string, cluster: string): string {
  return `runs/${commit.replace(/[^A-Za-z0-9._-]/g, '-')}/previous/${cluster}.json`;
}

/** What one cluster's owned fields were before this rollout wrote it. */
export interface PreviousState {
  cluster: string;
  /** The commit regops had applied before (the Config's applied-commit annotation), or `(before regops)`. */
  commit: string;
  objects: Array<{ ref: ResourceRef; body: JsonObject }>;
}

function writeAt(target: JsonObject, path: string, value: Json): void {
  const segments = parsePath(path);
  let node: JsonObject = target;
  for (const [i, segment] of segments.entries()) {
    const key = String(segment);
    if (i === segments.length - 1) {
      setOwn(node, key, structuredClone(value));
      return;
    }
    const next = node[key];
    if (!isJsonObject(next)) setOwn(node, key, {});
    node = node[key] as JsonObject;
  }
}

/** Reads the live values of the fields `desired` will own, object by object (Secrets excepted). */
export async function capturePreviousState(ports: ClusterPorts, desired: DesiredCluster, entry: ClusterEntry): Promise<PreviousState> {
  const client = await withRetry(ports.clock, () => ports.connector.connect(entry));
  const objects: PreviousState['objects'] = [];
  let commit = '(before regops)';
  for (const object of desired.objects) {
    if (object.ref.kind === 'Secret') continue;
    const live = await withRetry(ports.clock, () => client.get(object.ref));
    if (live === undefined) continue; // created by this rollout: regops never deletes it
    if (object.ref.kind === registryRefs.config.kind && object.ref.apiVersion === registryRefs.config.apiVersion) {
      const applied = readPath(live, ['metadata', 'annotations', APPLIED_COMMIT_ANNOTATION]);
      if (typeof applied === 'string') commit = applied;
    }
    const paths = new Set([...collectOwnedLeaves(object.body, getValueComparator(object.ref.apiVersion, object.ref.kind)).map((l) => l.path), ...readOwnedFields(live)]);
    const metadata: JsonObject = { name: object.ref.name, ...(object.ref.namespace === undefined ? {} : { namespace: object.ref.namespace }) };
    const body: JsonObject = { apiVersion: object.ref.apiVersion, kind: object.ref.kind, metadata };
    for (const path of [...paths].sort()) {
      const value = readPath(live, parsePath(path));
      if (value !== undefined && value !== null) writeAt(body, path, value);
    }
    objects.push({ ref: object.ref, body });
  }
  return { cluster: entry.name, commit, objects };
}

/** The desired state that gives the cluster its previous owned values back (no secrets, no bucket). */
export function buildRestoreDesired(desired: DesiredCluster, previous: PreviousState): DesiredCluster {
  const objects: DesiredObject[] = previous.objects.map((o) => ({ ref: o.ref, body: structuredClone(o.body), positions: {} }));
  const { bucket: _bucket, ...rest } = desired;
  return { ...rest, objects, secrets: [] };
}
