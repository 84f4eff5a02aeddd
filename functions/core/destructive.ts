/**
 * Destructive transitions of the registry Config that Git must allow explicitly with the
 * `regops.io/allow` annotation (docs/registry-operator-facts.md §10 rule 10):
 * - a storage backend or bucket change on a live registry: no data migration, the old storage is
 *   orphaned and the images in it are gone for the cluster (§9.2, TestSwapStorage);
 * - dropping the storage regops set (storage.yaml removed): the registry is left with no backend, or
 *   with one whose bucket the operator generates anew (§3.1, §3.3, §9.1);
 * - managementState → Removed: operands deleted, Managed storage emptied and deleted (§3.6, §9.2);
 * - clearing httpSecret: the operator generates a new one and rolls the registry (§2).
 */
import { createDiagnostic } from './create-diagnostic.ts';
import { findOrigin } from './diff.ts';
import { isJsonObject } from './is-json-object.ts';
import { applyMergePatch } from './merge-patch.ts';
import type { DesiredCluster, DesiredObject, DestructiveAllowance, Diagnostic, FieldChange, Json, JsonObject, SourcePosition } from './model.ts';
import { readPath } from './owned-leaves.ts';
import { describeRef, registryRefs } from './resource-ref.ts';

/** `Config/cluster`: the subject of these messages, as in plan lines and the engine's errors. */
const configSubject = describeRef(registryRefs.config);

/** Storage backends of the Config (§3.1). */
const backends = ['emptyDir', 's3', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'] as const;

/** The field naming where a backend keeps the images (§3.3, §3.7). */
const locationFields: ReadonlyArray<readonly [string, string]> = [
  ['s3', 'bucket'], ['gcs', 'bucket'], ['ibmcos', 'bucket'], ['swift', 'container'],
  ['azure', 'accountName'], ['azure', 'container'], ['pvc', 'claim'],
];

function listBackends(storage: Json | undefined): string[] {
  if (!isJsonObject(storage)) return [];
  return backends.filter((name) => isJsonObject(storage[name]));
}

function isFilled(value: Json | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

/** What the destructive check needs about the Config: Git's object, the live one, the planned changes. */
export interface DestructiveCheckInput {
  desired: DesiredCluster;
  config: DesiredObject;
  live: JsonObject | undefined;
  changes: readonly FieldChange[];
  /** The merge patch planned for the Config (without bookkeeping); what storage is left is read from live with it applied. */
  patch?: JsonObject;
}

function hintFor(allowance: DestructiveAllowance, what: string): string {
  return `${what}; if that is intended, add the annotation \`regops.io/allow: ${allowance}\` to metadata.annotations in the cluster's registry.yaml, and remove it once applied`;
}

/**
 * Git drops storage regops set without naming other storage (storage.yaml removed, or the fields
 * deleted from registry.yaml): the patch leaves the live registry with no backend, or with one that
 * lost its bucket, container or claim. With no backend a Managed registry falls back to the platform
 * default (a new bucket the operator creates and manages on AWS) or stops with StorageNotConfigured
 * (bare metal, vSphere; §3.1, §9.1); an emptied bucket name is generated anew (§3.3, §3.5). Either
 * way the images in the old storage are no longer served.
 */
function checkDroppedStorage(cluster: string, before: Json | undefined, after: Json | undefined, at: (path: string) => SourcePosition): Diagnostic[] {
  const remaining = listBackends(after);
  const out: Diagnostic[] = [];
  const describeLocation = (backend: string): string => {
    const names = locationFields.filter(([name]) => name === backend).map(([, field]) => readPath(before, [backend, field])).filter(isFilled);
    return names.length === 0 ? '' : ` (${names.join(', ')})`;
  };
  if (remaining.length === 0) {
    for (const backend of listBackends(before)) {
      const path = `spec.storage.${backend}`;
      out.push(
        createDiagnostic(
          'plan.destructive-storage-change',
          'error',
          at(path),
          `cluster ${cluster}: ${configSubject}: storage ${backend}${describeLocation(backend)} would be removed from a live registry, and Git names no other storage`,
          hintFor('storage-change', 'the registry stops serving the images in that storage: the operator falls back to the platform default storage (on AWS a new bucket it creates and manages) or reports StorageNotConfigured (bare metal, vSphere); if storage.yaml was removed by mistake, restore it'),
          { cluster, path },
        ),
      );
    }
    return out;
  }
  for (const [backend, field] of locationFields) {
    const was = readPath(before, [backend, field]);
    if (!remaining.includes(backend) || !isFilled(was) || isFilled(readPath(after, [backend, field]))) continue;
    const path = `spec.storage.${backend}.${field}`;
    out.push(
      createDiagnostic(
        'plan.destructive-storage-change',
        'error',
        at(path),
        `cluster ${cluster}: ${configSubject}: ${path} (${was}) would be removed from a live registry`,
        hintFor('storage-change', 'the operator generates a new name and the images in the old location are no longer served; if storage.yaml was removed by mistake, restore it'),
        { cluster, path },
      ),
    );
  }
  return out;
}

/** Error diagnostics for destructive Config changes Git has not allowed. */
export function checkDestructiveChanges(input: DestructiveCheckInput): Diagnostic[] {
  const { desired, config, live, changes } = input;
  if (live === undefined) return [];
  const diagnostics: Diagnostic[] = [];
  const allowed = new Set(desired.allow);
  const positions = config.positions;
  const fallback: SourcePosition = Object.values(positions)[0] ?? { file: `clusters/${desired.cluster}/registry.yaml`, line: 1, col: 1 };
  const at = (path: string): SourcePosition => findOrigin(positions, path) ?? fallback;
  const liveState = readPath(live, ['spec', 'managementState']);

  if (!allowed.has('storage-change') && liveState !== 'Removed') {
    const liveStorage = readPath(live, ['spec', 'storage']);
    const desiredStorage = readPath(config.body, ['spec', 'storage']);
    const liveBackends = listBackends(liveStorage);
    const wanted = listBackends(desiredStorage);
    const [from] = liveBackends;
    if (from !== undefined && wanted.length > 0 && !wanted.includes(from)) {
      const path = `spec.storage.${wanted[0] ?? ''}`;
      diagnostics.push(
        createDiagnostic(
          'plan.destructive-storage-change',
          'error',
          at(path),
          `cluster ${desired.cluster}: ${configSubject}: storage backend changes from ${from} to ${wanted.join(', ')} on a live registry`,
          hintFor('storage-change', 'the operator migrates no data: images in the old storage are no longer served and the old storage is left behind'),
          { cluster: desired.cluster, path },
        ),
      );
    }
    diagnostics.push(...checkDroppedStorage(desired.cluster, liveStorage, readPath(applyMergePatch(live, input.patch ?? {}), ['spec', 'storage']), at));
    for (const [backend, field] of locationFields) {
      const before = readPath(liveStorage, [backend, field]);
      const after = readPath(desiredStorage, [backend, field]);
      if (isFilled(before) && isFilled(after) && before !== after) {
        const path = `spec.storage.${backend}.${field}`;
        diagnostics.push(
          createDiagnostic(
            'plan.destructive-storage-change',
            'error',
            at(path),
            `cluster ${desired.cluster}: ${configSubject}: ${path} changes from ${before} to ${after} on a live registry`,
            hintFor('storage-change', 'images in the old location are no longer served; a storage.managementState of Managed carries over to the new location (it will be deleted on Removed)'),
            { cluster: desired.cluster, path },
          ),
        );
      }
    }
  }

  if (!allowed.has('remove') && readPath(config.body, ['spec', 'managementState']) === 'Removed' && liveState !== 'Removed') {
    diagnostics.push(
      createDiagnostic(
        'plan.destructive-remove',
        'error',
        at('spec.managementState'),
        `cluster ${desired.cluster}: ${configSubject}: managementState changes from ${typeof liveState === 'string' && liveState !== '' ? liveState : 'unset'} to Removed`,
        hintFor('remove', 'Removed deletes the registry and, when storage.managementState is Managed, empties and deletes its storage'),
        { cluster: desired.cluster, path: 'spec.managementState' },
      ),
    );
  }

  const secretChange = changes.find((change) => change.path === 'spec.httpSecret');
  if (!allowed.has('http-secret-rotation') && secretChange !== undefined && isFilled(secretChange.before) && !isFilled(secretChange.after)) {
    diagnostics.push(
      createDiagnostic(
        'plan.destructive-http-secret',
        'error',
        at('spec.httpSecret'),
        `cluster ${desired.cluster}: ${configSubject}: httpSecret would be cleared; the operator generates a new one and rolls the registry`,
        hintFor('http-secret-rotation', 'uploads in progress fail and every registry pod restarts'),
        { cluster: desired.cluster, path: 'spec.httpSecret' },
      ),
    );
  }
  return diagnostics;
}
