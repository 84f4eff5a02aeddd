/**
 * Plans one cluster: the ordered steps that bring its live state to what Git says, as data. Order
 * (DESIGN.md, issue 3): the bucket, then Secrets and ConfigMaps (a trusted-CA ConfigMap must exist
 * before images.config points at it, docs/registry-operator-facts.md §8), then images.config, the registry
 * Config, the pruner, then objects Git no longer wants (after whatever referenced them, and among
 * themselves in reverse: images.config before the CA ConfigMap, the Config before the Secret), then a
 * health gate when anything changes. A plan with error diagnostics is not to be applied: its steps
 * are `skipped` with the reason.
 *
 * What is compared (diff.ts, owned-leaves.ts, normalize.ts):
 * - owned fields only: the leaves Git sets, and those recorded in `regops.io/owned-fields` that Git
 *   dropped (removed with null). Ownership is recorded with a write, so an object that never needed
 *   one records none: a field Git drops from such an object is left as it is (the safe direction).
 * - Go zero values, schema defaults and two spellings of a duration equal unset (the operator
 *   rewrites its spec from Go structs); lists and atomic maps are compared and replaced whole.
 * - a storage backend map owns its presence (`s3: {}`), not what the operator fills into it; a
 *   backend Git replaces by another is removed whole (the operator accepts exactly one).
 * - the bookkeeping annotations ride along with a real change and never make one.
 */
import { buildBucketSettings, buildBucketState } from './bucket-state.ts';
import { checkDestructiveChanges } from './destructive.ts';
import { diffObject, findOrigin, type ObjectDiff } from './diff.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import {
  APPLIED_COMMIT_ANNOTATION,
  OWNED_FIELDS_ANNOTATION,
  type ClusterPlan,
  type DesiredCluster,
  type DesiredObject,
  type DesiredSecret,
  type Diagnostic,
  type JsonObject,
  type PlanEntry,
  type PlanSummary,
  type ResourceRef,
  type SourcePosition,
} from './model.ts';
import { applyMergePatch } from './merge-patch.ts';
import { formatInventory, INVENTORY_ANNOTATION, readInventory } from './inventory.ts';
import { isJsonObject } from './is-json-object.ts';
import { getValueComparator, strictComparator } from './normalize.ts';
import { checkRequiredFields } from './schema-validate.ts';
import { readOwnedFields, readPath } from './owned-leaves.ts';
import { describeRef, formatRefKey, registryRefs } from './resource-ref.ts';
import { RENDERED_REFS } from './render.ts';

/** A bucket regops provisioned for the cluster before. */
export interface BucketIdentity {
  name: string;
  region: string;
}

/** An object regops owned fields on before that Git no longer renders (e.g. a removed CA ConfigMap). */
export interface RetiredObject {
  ref: ResourceRef;
  object: JsonObject;
}

/** What the engine read from one cluster (and its bucket) for planning. */
export interface LiveCluster {
  /**
   * Live objects by formatRefKey(ref); undefined (or missing) when the object does not exist. An
   * object Git no longer renders but regops owned fields on (annotation) is pruned.
   */
  objects: Readonly<Record<string, JsonObject | undefined>>;
  /** Desired Secret values resolved to `sha256:` digests, by formatRefKey(secret ref), then data key. */
  secretDigests: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The bucket as BucketStore.inspect() returns it (bucket-state.ts); undefined when absent. */
  bucket?: JsonObject | undefined;
  /** The bucket regops provisioned before, when known (e.g. from the live Config's spec.storage.s3). */
  previousBucket?: BucketIdentity | undefined;
  /** Objects regops owned fields on that Git no longer renders: their owned fields are pruned. */
  retired?: readonly RetiredObject[];
  /**
   * The live registry Config whether or not Git renders it: it holds the inventory (inventory.ts),
   * rewritten with this plan's writes when the set of owned objects changed.
   */
  registryConfig?: JsonObject | undefined;
  /**
   * Why the engine did not resolve secret references nor inspect the bucket (a pull request from a
   * fork, planned with untrusted config): the Secret and the bucket are shown `skipped` with this reason.
   */
  withheld?: string;
}

export interface PlanOptions {
  /** The commit being planned, recorded in APPLIED_COMMIT_ANNOTATION. */
  commit: string;
}

const configApiVersion = registryRefs.config.apiVersion;

/** Apply order of object kinds (lower first). */
function rankOf(ref: ResourceRef): number {
  if (ref.kind === 'Namespace') return 0;
  if (ref.apiVersion === 'v1' && (ref.kind === 'Secret' || ref.kind === 'ConfigMap')) return 1;
  if (ref.apiVersion === 'config.openshift.io/v1' && ref.kind === 'Image') return 2;
  if (ref.apiVersion === configApiVersion && ref.kind === 'Config') return 3;
  if (ref.apiVersion === configApiVersion && ref.kind === 'ImagePruner') return 4;
  return 5;
}

interface PlannedObject {
  ref: ResourceRef;
  body: JsonObject;
  positions: Record<string, SourcePosition>;
  origin?: SourcePosition;
  isSecret: boolean;
  desiredObject?: DesiredObject;
}

function metadataOf(ref: ResourceRef): JsonObject {
  return ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace };
}

function secretBody(secret: DesiredSecret, digests: Readonly<Record<string, string>> | undefined, missing: string[]): JsonObject {
  const data: JsonObject = {};
  for (const key of Object.keys(secret.data).sort()) {
    const digest = digests?.[key];
    if (digest === undefined) missing.push(key);
    else data[key] = digest;
  }
  return { apiVersion: secret.ref.apiVersion, kind: secret.ref.kind, metadata: metadataOf(secret.ref), data };
}

function bookkeeping(owned: readonly string[], commit: string): JsonObject {
  return { [OWNED_FIELDS_ANNOTATION]: JSON.stringify(owned), [APPLIED_COMMIT_ANNOTATION]: commit };
}

/** The body to create: Git's fields, the identity and the bookkeeping annotations. */
function buildCreateBody(planned: PlannedObject, owned: readonly string[], commit: string): JsonObject {
  const metadata = { ...((planned.body['metadata'] as JsonObject | undefined) ?? {}), ...metadataOf(planned.ref) };
  const annotations = { ...((metadata['annotations'] as JsonObject | undefined) ?? {}) };
  for (const key of Object.keys(annotations)) if (key.startsWith('regops.io/')) delete annotations[key];
  metadata['annotations'] = { ...annotations, ...bookkeeping(owned, commit) };
  const body: JsonObject = { ...planned.body, apiVersion: planned.ref.apiVersion, kind: planned.ref.kind, metadata };
  if (planned.isSecret) body['type'] = 'Opaque';
  return body;
}

/** Adds the bookkeeping annotations and the resourceVersion precondition to a change patch. */
function withBookkeeping(patch: JsonObject, owned: readonly string[], commit: string, resourceVersion: string | undefined): JsonObject {
  const metadata = { ...((patch['metadata'] as JsonObject | undefined) ?? {}) };
  metadata['annotations'] = { ...((metadata['annotations'] as JsonObject | undefined) ?? {}), ...bookkeeping(owned, commit) };
  if (resourceVersion !== undefined) metadata['resourceVersion'] = resourceVersion;
  return { ...patch, metadata };
}

function readResourceVersion(live: JsonObject | undefined): string | undefined {
  const value = readPath(live, ['metadata', 'resourceVersion']);
  return typeof value === 'string' ? value : undefined;
}

type DraftEntry = Omit<PlanEntry, 'step'>;

function planObject(planned: PlannedObject, live: JsonObject | undefined, commit: string): { entry: DraftEntry; diff: ObjectDiff } {
  const comparator = getValueComparator(planned.ref.apiVersion, planned.ref.kind);
  const diff = diffObject({
    desired: planned.body,
    live,
    comparator,
    positions: planned.positions,
    ...(planned.origin === undefined ? {} : { fallbackOrigin: planned.origin }),
  });
  const target = { type: 'object' as const, ref: planned.ref };
  if (live === undefined) {
    return {
      entry: { target, action: 'create', changes: diff.changes, patch: buildCreateBody(planned, diff.ownedFields, commit), ownedFields: diff.ownedFields },
      diff,
    };
  }
  const resourceVersion = readResourceVersion(live);
  const entry: DraftEntry = { target, action: diff.changes.length > 0 ? 'update' : 'unchanged', changes: diff.changes, ownedFields: diff.ownedFields };
  if (resourceVersion !== undefined) entry.resourceVersion = resourceVersion;
  if (diff.changes.length > 0) entry.patch = withBookkeeping(diff.patch, diff.ownedFields, commit, resourceVersion);
  return { entry, diff };
}

/**
 * Git holds partial objects, so `required` (spec.replicas of the Config, docs/registry-operator-facts.md §2)
 * is checked on the object as it will stand: live merged with the patch (issue 2, validate).
 */
function checkMergedObject(cluster: string, planned: PlannedObject, live: JsonObject | undefined, entry: DraftEntry): Diagnostic[] {
  if (entry.patch === undefined) return [];
  const merged = live === undefined ? entry.patch : (applyMergePatch(live, entry.patch) as JsonObject);
  const fallback: SourcePosition = planned.origin ?? Object.values(planned.positions)[0] ?? { file: `clusters/${cluster}`, line: 1, col: 1 };
  const name = describeRef(planned.ref);
  return checkRequiredFields(merged).map((issue) =>
    createDiagnostic(
      issue.code,
      'error',
      findOrigin(planned.positions, issue.path) ?? fallback,
      `cluster ${cluster}: ${name}: ${issue.message} (in the object as it would stand on the cluster, live merged with Git)`,
      issue.hint,
      { cluster, path: issue.path },
    ),
  );
}

function planRetired(retired: RetiredObject, commit: string): { entry: DraftEntry; diff: ObjectDiff } {
  const comparator = getValueComparator(retired.ref.apiVersion, retired.ref.kind);
  const diff = diffObject({ desired: {}, live: retired.object, comparator });
  const resourceVersion = readResourceVersion(retired.object);
  const entry: DraftEntry = {
    target: { type: 'object', ref: retired.ref },
    action: diff.changes.length > 0 ? 'prune' : 'unchanged',
    changes: diff.changes,
    ownedFields: [],
    reason: 'no longer in Git: the fields regops set are removed; the object itself is never deleted',
  };
  if (resourceVersion !== undefined) entry.resourceVersion = resourceVersion;
  if (diff.changes.length > 0) entry.patch = withBookkeeping(diff.patch, [], commit, resourceVersion);
  return { entry, diff };
}

/** Read a ref back from a live object (apiVersion, kind, metadata.name/namespace). */
function readRef(object: JsonObject): ResourceRef | undefined {
  const metadata = object['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const { apiVersion, kind } = object;
  const { name, namespace } = metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return typeof namespace === 'string' ? { apiVersion, kind, name, namespace } : { apiVersion, kind, name };
}

/**
 * Objects regops owned fields on that Git no longer renders: those the engine names in
 * `live.retired`, plus any live object it read (e.g. from listPlanRefs) that Git does not render
 * and whose owned-fields annotation is not empty.
 */
function findRetired(planned: readonly PlannedObject[], live: LiveCluster): RetiredObject[] {
  const wanted = new Set(planned.map((item) => formatRefKey(item.ref)));
  const out = new Map<string, RetiredObject>();
  for (const retired of live.retired ?? []) out.set(formatRefKey(retired.ref), retired);
  for (const [key, object] of Object.entries(live.objects)) {
    if (object === undefined || wanted.has(key) || out.has(key) || readOwnedFields(object).length === 0) continue;
    const ref = readRef(object);
    if (ref !== undefined && formatRefKey(ref) === key) out.set(key, { ref, object });
  }
  return [...out.values()].filter((retired) => !wanted.has(formatRefKey(retired.ref)));
}

/** regops' own tags on a bucket it created for this cluster (render.ts renderBucket writes both). */
function isOurBucket(bucket: JsonObject, cluster: string): boolean {
  const tags = bucket['tags'];
  return isJsonObject(tags) && tags['regops.io/managed-by'] === 'regops' && tags['regops.io/cluster'] === cluster;
}

function planBucket(desired: DesiredCluster, live: LiveCluster, diagnostics: Diagnostic[]): DraftEntry[] {
  const entries: DraftEntry[] = [];
  const bucket = desired.bucket;
  if (bucket !== undefined && live.withheld !== undefined) {
    entries.push({ target: { type: 'bucket', name: bucket.name, region: bucket.region }, action: 'skipped', changes: [], reason: `not inspected: ${live.withheld}` });
  } else if (bucket !== undefined && live.bucket !== undefined && bucket.adopt !== true && !isOurBucket(live.bucket, desired.cluster)) {
    // a bucket regops did not create (another cluster's, someone's by hand) is never changed because
    // Git names it: storage.yaml must say adopt: true (issue 10 item 7)
    entries.push({
      target: { type: 'bucket', name: bucket.name, region: bucket.region },
      action: 'skipped',
      changes: [],
      reason: `exists, not ours: no regops.io/managed-by=regops and regops.io/cluster=${desired.cluster} tags; regops changes nothing on it unless storage.yaml says adopt: true`,
    });
  } else if (bucket !== undefined) {
    const state = buildBucketState(bucket);
    const diff = diffObject({ desired: state, live: live.bucket, comparator: strictComparator, fallbackOrigin: bucket.origin });
    const target = { type: 'bucket' as const, name: bucket.name, region: bucket.region };
    const liveRegion = live.bucket?.['region'];
    if (typeof liveRegion === 'string' && liveRegion !== bucket.region) {
      diagnostics.push(
        createDiagnostic(
          'plan.bucket-region',
          'error',
          bucket.origin,
          `cluster ${desired.cluster}: bucket ${bucket.name} exists in ${liveRegion}, storage.yaml says ${bucket.region}`,
          'S3 cannot move a bucket between regions: set the region the bucket is in, or name a new bucket (a storage change)',
          { cluster: desired.cluster },
        ),
      );
    }
    if (live.bucket === undefined) {
      entries.push({ target, action: 'create', changes: diff.changes, patch: state });
    } else if (diff.changes.length > 0) {
      entries.push({ target, action: 'update', changes: diff.changes, patch: buildBucketSettings(state, live.bucket, diff.changes) });
    } else {
      entries.push({ target, action: 'unchanged', changes: [] });
    }
  }
  const previous = live.previousBucket;
  if (previous !== undefined && previous.name !== bucket?.name) {
    entries.push({
      target: { type: 'bucket', name: previous.name, region: previous.region },
      action: 'skipped',
      changes: [],
      reason: `bucket ${previous.name} is no longer wanted; regops never deletes buckets (empty and delete it by hand once nothing uses it)`,
    });
  }
  return entries;
}

const configKey = formatRefKey(RENDERED_REFS.config);

function isWrite(draft: DraftEntry): boolean {
  return draft.action === 'create' || draft.action === 'update' || draft.action === 'prune';
}

/**
 * Puts the inventory (inventory.ts) into the Config's write when the owned objects differ from the
 * recorded ones: the objects Git renders, plus those pruned by this plan (kept until a later write
 * finds them clean, so a prune that fails is never forgotten). Like the other bookkeeping it rides
 * along with a real change and never makes one: with nothing else to write, a stale or missing
 * inventory stays as it is (the engine then reads as without one). When the Config has no change of
 * its own, its entry becomes an `update` with no changes carrying the annotations; a Config that does
 * not exist (and Git does not create) records nothing.
 */
function recordInventory(drafts: DraftEntry[], planned: readonly PlannedObject[], retiredStart: number, live: LiveCluster, commit: string): void {
  if (!drafts.some(isWrite)) return;
  const pruned = drafts.slice(retiredStart).filter((d) => d.action === 'prune' && d.target.type === 'object');
  const owned = [...planned.map((p) => p.ref), ...pruned.flatMap((d) => (d.target.type === 'object' ? [d.target.ref] : []))];
  const inventory = formatInventory(owned);
  const index = drafts.findIndex((d) => d.target.type === 'object' && formatRefKey(d.target.ref) === configKey);
  const draft = index < 0 ? undefined : drafts[index];
  const config = live.registryConfig ?? live.objects[configKey] ?? live.retired?.find((r) => formatRefKey(r.ref) === configKey)?.object;
  const recorded = readInventory(config);
  if (recorded !== undefined && formatInventory(recorded) === inventory) return;
  if (draft?.patch !== undefined) {
    const metadata = (draft.patch['metadata'] ?? {}) as JsonObject;
    draft.patch = { ...draft.patch, metadata: { ...metadata, annotations: { ...((metadata['annotations'] ?? {}) as JsonObject), [INVENTORY_ANNOTATION]: inventory } } };
    return;
  }
  if (config === undefined) return;
  const reason = `records ${INVENTORY_ANNOTATION} (the objects regops owns on this cluster) with this plan's other writes`;
  const patch = withBookkeeping({}, draft?.ownedFields ?? readOwnedFields(config), commit, readResourceVersion(config));
  const metadata = patch['metadata'] as JsonObject;
  metadata['annotations'] = { ...(metadata['annotations'] as JsonObject), [INVENTORY_ANNOTATION]: inventory };
  if (draft !== undefined) {
    Object.assign(draft, { action: 'update', patch, reason });
    return;
  }
  // an entry of its own, in the Config's place in apply order (after images.config, before the pruner)
  const ref = RENDERED_REFS.config;
  const entry: DraftEntry = { target: { type: 'object', ref: { ...ref } }, action: 'update', changes: [], patch, ownedFields: [], reason };
  const resourceVersion = readResourceVersion(config);
  if (resourceVersion !== undefined) entry.resourceVersion = resourceVersion;
  const at = drafts.findIndex((d, i) => i >= retiredStart || (d.target.type === 'object' && rankOf(d.target.ref) > rankOf(ref)));
  drafts.splice(at < 0 ? drafts.length : at, 0, entry);
}

function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 };
  for (const entry of entries) if (entry.target.type !== 'health-gate') summary[entry.action] += 1;
  return summary;
}

/**
 * Plans one cluster against its live state. Pure: the same inputs give the same plan. Only owned
 * fields are compared (diff.ts); patches carry only changed owned fields, the bookkeeping
 * annotations and the resourceVersion precondition. An entry's `patch` is the final write body: the
 * engine sends it as it is (engine/reconcile-cluster.ts), the client adds nothing but the URL identity.
 */
export function planCluster(desired: DesiredCluster, live: LiveCluster, options: PlanOptions): ClusterPlan {
  const diagnostics: Diagnostic[] = [];
  const drafts: DraftEntry[] = planBucket(desired, live, diagnostics);

  const planned: PlannedObject[] = [];
  for (const secret of desired.secrets) {
    if (live.withheld !== undefined) {
      drafts.push({ target: { type: 'object', ref: secret.ref }, action: 'skipped', changes: [], reason: `secret references not resolved: ${live.withheld}` });
      continue;
    }
    const missing: string[] = [];
    const body = secretBody(secret, live.secretDigests[formatRefKey(secret.ref)], missing);
    if (missing.length > 0) {
      diagnostics.push(
        createDiagnostic(
          'plan.secret-unresolved',
          'error',
          secret.origin,
          `cluster ${desired.cluster}: ${describeRef(secret.ref)}: no value resolved for ${missing.join(', ')}`,
          'check that the referenced secret exists and holds those keys',
          { cluster: desired.cluster },
        ),
      );
    }
    planned.push({ ref: secret.ref, body, positions: {}, origin: secret.origin, isSecret: true });
  }
  for (const object of desired.objects) planned.push({ ref: object.ref, body: object.body, positions: object.positions, isSecret: false, desiredObject: object });
  // stable sort: equal ranks keep the render order
  planned.sort((a, b) => rankOf(a.ref) - rankOf(b.ref));

  for (const item of planned) {
    const liveObject = live.objects[formatRefKey(item.ref)];
    const { entry, diff } = planObject(item, liveObject, options.commit);
    drafts.push(entry);
    diagnostics.push(...checkMergedObject(desired.cluster, item, liveObject, entry));
    if (item.desiredObject !== undefined && item.ref.apiVersion === configApiVersion && item.ref.kind === 'Config') {
      diagnostics.push(...checkDestructiveChanges({ desired, config: item.desiredObject, live: liveObject, changes: diff.changes, patch: diff.patch }));
    }
  }
  // retired objects go in reverse apply order: unpoint before removing what is pointed at. images.config
  // stops naming the CA ConfigMap before its keys go (a name pointing at a missing ConfigMap degrades
  // the operator at once, docs/registry-operator-facts.md §8); the Config drops its storage before the storage
  // Secret is emptied (§3.9)
  const retiredStart = drafts.length;
  for (const retired of findRetired(planned, live).sort((a, b) => rankOf(b.ref) - rankOf(a.ref))) {
    const { entry, diff } = planRetired(retired, options.commit);
    drafts.push(entry);
    // a prune must leave an object the API server accepts too (a required field regops set and removes)
    diagnostics.push(...checkMergedObject(desired.cluster, { ref: retired.ref, body: {}, positions: {}, isSecret: false }, retired.object, entry));
    if (retired.ref.apiVersion === configApiVersion && retired.ref.kind === 'Config') {
      // a Config Git no longer renders at all drops the storage regops set just the same
      const config: DesiredObject = { ref: retired.ref, body: {}, positions: {} };
      diagnostics.push(...checkDestructiveChanges({ desired, config, live: retired.object, changes: diff.changes, patch: diff.patch }));
    }
  }

  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length === 0) recordInventory(drafts, planned, retiredStart, live, options.commit);
  if (errors.length > 0) {
    const reason = `not applied: the plan has errors (${[...new Set(errors.map((e) => e.code))].join(', ')})`;
    for (const draft of drafts) {
      if (draft.action === 'create' || draft.action === 'update' || draft.action === 'prune') {
        draft.action = 'skipped';
        draft.reason = reason;
        delete draft.patch;
      }
    }
  }
  if (drafts.some((draft) => draft.action === 'create' || draft.action === 'update' || draft.action === 'prune')) {
    drafts.push({
      target: { type: 'health-gate' },
      action: 'update',
      changes: [],
      reason: 'wait until the image-registry ClusterOperator is Available, not Progressing, not Degraded, and the Config status caught up',
    });
  }
  const entries = drafts.map((draft, i) => ({ ...draft, step: i + 1 }));
  return { cluster: desired.cluster, entries, summary: summarize(entries), diagnostics };
}
