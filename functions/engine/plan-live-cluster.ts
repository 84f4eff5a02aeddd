/**
 * Read what planning one cluster needs, then plan it with core: one GET per owned object, the
 * secret references resolved to digests (values stay in the secrets adapter), the bucket inspected.
 */
import type { ClusterPlan, DesiredCluster, JsonObject } from '../core/model.ts';
import { planCluster } from '../core/plan.ts';
import type { LiveCluster } from '../core/plan.ts';
import { formatRefKey } from '../core/ref-key.ts';
import type { ClusterClient, SecretValue } from '../adapters/ports.ts';
import type { RegopsError } from '../core/errors.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { refKey } from './registry-refs.ts';
import { withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';

export interface LivePlan {
  plan: ClusterPlan;
  /** Live objects as read, by refKey (registry-refs.ts); undefined = absent. */
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
}

/** Reads live state (at most one GET per owned object) and plans the cluster. */
export async function planLiveCluster(ports: Pick<ClusterPorts, 'secrets' | 'buckets' | 'clock'>, client: ClusterClient, desired: DesiredCluster, options: PlanLiveOptions): Promise<LivePlan> {
  const { clock } = ports;
  const live = new Map<string, JsonObject | undefined>();
  const objects: Record<string, JsonObject | undefined> = {};
  const refs = [...desired.objects.map((o) => o.ref), ...desired.secrets.map((s) => s.ref)];
  const seen = new Set<string>();
  for (const ref of refs) {
    const key = refKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const object = await withRetry(clock, () => client.get(ref), options.onRetry, options.retry);
    live.set(key, object);
    objects[formatRefKey(ref)] = object;
  }
  const secretValues = new Map<string, SecretValue>();
  const secretDigests: Record<string, Record<string, string>> = {};
  for (const secret of desired.secrets) {
    const digests: Record<string, string> = {};
    for (const [name, reference] of Object.entries(secret.data)) {
      const value = await withRetry(clock, () => ports.secrets.resolve(reference), options.onRetry, options.retry);
      digests[name] = value.digest;
      secretValues.set(value.digest, value);
    }
    secretDigests[formatRefKey(secret.ref)] = digests;
  }
  const bucketLocation = desired.bucket === undefined ? undefined : { name: desired.bucket.name, region: desired.bucket.region, ...(desired.bucket.endpoint === undefined ? {} : { endpoint: desired.bucket.endpoint }) };
  const bucket = bucketLocation === undefined ? undefined : await withRetry(clock, () => ports.buckets.inspect(bucketLocation), options.onRetry, options.retry);
  const liveCluster: LiveCluster = { objects, secretDigests, ...(bucket === undefined ? {} : { bucket }) };
  return { plan: planCluster(desired, liveCluster, { commit: options.commit }), live, secretValues, versions: new Map() };
}
