/**
 * Read what planning one cluster needs, then plan it with core: one GET per object Git renders, the
 * secret references resolved to digests (values stay in the secrets adapter), the bucket inspected.
 *
 * The registry Config is read first: its inventory annotation (core/inventory.ts) names every object
 * regops owns on the cluster, so the reads are exactly the objects Git renders plus those the
 * inventory names (an object in the inventory that Git no longer renders is read: its owned fields are
 * pruned, or reported by the drift scan). An in-sync cluster whose Git renders only the Config costs
 * one GET. A Config without an inventory (never written by regops since the inventory existed) is
 * read as before, below; regops' next write to the cluster records the inventory.
 *
 * Without an inventory: objects Git no longer renders (every trusted-CA file deleted, storage.yaml removed) still hold the
 * fields regops set, so the standard objects regops can render (core listPlanRefs) are read too and
 * handed to planCluster as `retired` when their owned-fields annotation is not empty: their owned
 * fields are pruned, the objects themselves are never deleted. To keep reads low (issue 3: "at most
 * one GET per owned object"), the two objects only a Git file brings in are read only on evidence
 * from an object read anyway:
 * - the trusted-CA ConfigMap when the live images.config still points at it (docs/registry-operator-facts.md §8)
 *   or records that regops owned spec.additionalTrustedCA;
 * - the storage Secret when the live Config records that regops owned spec.storage.s3 (storage.yaml
 *   renders both, the Secret first).
 * So a cluster costs |desired refs| GETs plus, when not rendered, images.config, the Config and the
 * pruner (always), and the ConfigMap/Secret only on that evidence; a cluster whose Git renders the
 * five standard objects costs exactly five, as before.
 */
import type { ClusterPlan, DesiredCluster, JsonObject, ResourceRef } from '../core/model.ts';
import { planCluster } from '../core/plan.ts';
import type { BucketIdentity, LiveCluster, RetiredObject } from '../core/plan.ts';
import { readInventory } from '../core/inventory.ts';
import { listInventoryRefs, listPlanRefs } from '../core/plan-refs.ts';
import { readOwnedFields, readPath } from '../core/owned-leaves.ts';
import { RENDERED_REFS } from '../core/render.ts';
import type { BucketStore, ClusterClient, SecretValue } from './ports.ts';
import type { RegopsError } from '../core/errors.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { formatRefKey } from '../core/resource-ref.ts';
import { withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';

export interface LivePlan {
  plan: ClusterPlan;
  /** Live objects as read (rendered and retired), by formatRefKey (core/resource-ref.ts); undefined = absent. */
  live: Map<string, JsonObject | undefined>;
  /** Digest → value handle, passed to the client so it can substitute at the edge. */
  secretValues: Map<string, SecretValue>;
  /** resourceVersions refreshed after a status-only conflict, by refKey: used by later writes of this plan. */
  versions: Map<string, string>;
}

export interface PlanLiveOptions {
  /** The commit being planned (recorded in the applied-commit annotation). */
  commit: string;
  retry: RetryPolicy;
  onRetry?: (error: RegopsError, attempt: number, delayMs: number) => void;
  /**
   * Set for untrusted config (a fork's pull request, pull-request-trust.ts): why no secret reference
   * is resolved and no bucket inspected; core plans both as skipped with this reason.
   */
  withheld?: string;
}

/** Whether regops recorded owning `path` or a field under it on `object`. */
function ownsUnder(object: JsonObject | undefined, path: string): boolean {
  return readOwnedFields(object).some((owned) => owned === path || owned.startsWith(`${path}.`) || owned.startsWith(`${path}[`));
}

/** Whether a standard ref Git does not render is worth a GET, judged from objects already read. */
function isWorthReading(ref: ResourceRef, read: ReadonlyMap<string, JsonObject | undefined>): boolean {
  const key = formatRefKey(ref);
  if (key === formatRefKey(RENDERED_REFS.configMap)) {
    const image = read.get(formatRefKey(RENDERED_REFS.image));
    return readPath(image, ['spec', 'additionalTrustedCA', 'name']) === ref.name || ownsUnder(image, 'spec.additionalTrustedCA');
  }
  if (key === formatRefKey(RENDERED_REFS.secret)) return ownsUnder(read.get(formatRefKey(RENDERED_REFS.config)), 'spec.storage.s3');
  return true;
}

const deferred = new Set([formatRefKey(RENDERED_REFS.configMap), formatRefKey(RENDERED_REFS.secret)]);

/**
 * The bucket regops provisioned that Git no longer wants: the live Config names an S3 bucket regops
 * owned (owned-fields annotation) other than Git's, and that bucket carries regops' `regops.io/cluster`
 * tag naming this cluster (core/render.ts tags every bucket it provisions), so a bucket someone else
 * made is never reported as regops'. One S3 read, only in that case.
 */
async function findPreviousBucket(buckets: BucketStore, cluster: string, desired: DesiredCluster, config: JsonObject | undefined, read: <T>(call: () => Promise<T>) => Promise<T>): Promise<BucketIdentity | undefined> {
  if (!ownsUnder(config, 'spec.storage.s3')) return undefined;
  const name = readPath(config, ['spec', 'storage', 's3', 'bucket']);
  if (typeof name !== 'string' || name === '' || name === desired.bucket?.name) return undefined;
  const region = readPath(config, ['spec', 'storage', 's3', 'region']);
  const endpoint = readPath(config, ['spec', 'storage', 's3', 'regionEndpoint']);
  const location = { name, region: typeof region === 'string' && region !== '' ? region : 'us-east-1', ...(typeof endpoint === 'string' && endpoint !== '' ? { endpoint } : {}) };
  const bucket = await read(() => buckets.inspect(location));
  const tags = bucket?.['tags'];
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return undefined;
  if (tags['regops.io/cluster'] !== cluster) return undefined;
  return { name, region: typeof bucket?.['region'] === 'string' ? bucket['region'] : location.region };
}

/** Reads live state (one GET per object read, see above) and plans the cluster. */
export async function planLiveCluster(ports: Pick<ClusterPorts, 'secrets' | 'buckets' | 'clock'>, client: ClusterClient, desired: DesiredCluster, options: PlanLiveOptions): Promise<LivePlan> {
  const { clock } = ports;
  const read = <T>(call: () => Promise<T>): Promise<T> => withRetry(clock, call, options.onRetry, options.retry);
  const live = new Map<string, JsonObject | undefined>();
  const objects: Record<string, JsonObject | undefined> = {};
  const rendered = new Set([...desired.objects.map((o) => formatRefKey(o.ref)), ...desired.secrets.map((s) => formatRefKey(s.ref))]);
  // the Config first: its inventory says which objects regops owns here (core/inventory.ts)
  const config = await read(() => client.get(RENDERED_REFS.config));
  live.set(formatRefKey(RENDERED_REFS.config), config);
  const inventory = readInventory(config);
  const refs = inventory === undefined ? listPlanRefs(desired) : listInventoryRefs(desired, inventory);
  const first = refs.filter((ref) => !live.has(formatRefKey(ref)) && (inventory !== undefined || rendered.has(formatRefKey(ref)) || !deferred.has(formatRefKey(ref))));
  const later = refs.filter((ref) => !live.has(formatRefKey(ref)) && !first.includes(ref));
  for (const ref of first) live.set(formatRefKey(ref), await read(() => client.get(ref)));
  for (const ref of later) if (isWorthReading(ref, live)) live.set(formatRefKey(ref), await read(() => client.get(ref)));

  const retired: RetiredObject[] = [];
  for (const ref of refs) {
    const object = live.get(formatRefKey(ref));
    if (rendered.has(formatRefKey(ref))) objects[formatRefKey(ref)] = object;
    else if (object !== undefined && readOwnedFields(object).length > 0) retired.push({ ref, object });
  }

  const secretValues = new Map<string, SecretValue>();
  const secretDigests: Record<string, Record<string, string>> = {};
  if (options.withheld !== undefined) {
    const liveCluster: LiveCluster = { objects, secretDigests, withheld: options.withheld, registryConfig: config, ...(retired.length === 0 ? {} : { retired }) };
    return { plan: planCluster(desired, liveCluster, { commit: options.commit }), live, secretValues, versions: new Map() };
  }
  for (const secret of desired.secrets) {
    const digests: Record<string, string> = {};
    for (const [name, reference] of Object.entries(secret.data)) {
      const value = await read(() => ports.secrets.resolve(reference));
      digests[name] = value.digest;
      secretValues.set(value.digest, value);
    }
    secretDigests[formatRefKey(secret.ref)] = digests;
  }
  const bucketLocation = desired.bucket === undefined ? undefined : { name: desired.bucket.name, region: desired.bucket.region, ...(desired.bucket.endpoint === undefined ? {} : { endpoint: desired.bucket.endpoint }) };
  const bucket = bucketLocation === undefined ? undefined : await read(() => ports.buckets.inspect(bucketLocation));
  const previousBucket = await findPreviousBucket(ports.buckets, desired.cluster, desired, live.get(formatRefKey(RENDERED_REFS.config)), read);
  const liveCluster: LiveCluster = {
    objects,
    secretDigests,
    registryConfig: config,
    ...(bucket === undefined ? {} : { bucket }),
    ...(previousBucket === undefined ? {} : { previousBucket }),
    ...(retired.length === 0 ? {} : { retired }),
  };
  return { plan: planCluster(desired, liveCluster, { commit: options.commit }), live, secretValues, versions: new Map() };
}
