/**
 * A read-only ClusterClient over saved `oc get -o yaml` output (`--live-dir DIR`: DIR/<cluster>/…), so
 * a plan can be reviewed offline or against a must-gather. Secrets' data comes back as digests, as
 * from a live cluster; every write fails with `cluster.read-only`.
 */
import type { JsonObject, ResourceRef } from '../../core/model.ts';
import type { ClusterClient } from '../../engine/ports.ts';
import { ClusterError } from '../errors.ts';
import { describeRef } from '../../core/resource-ref.ts';
import { digestSecretData, isSecretObject } from '../secrets/kubernetes-secret-data.ts';
import type { LiveObjectFile } from './read-live-objects.ts';

function keyOf(apiVersion: string, kind: string, name: string, namespace: string | undefined): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
}

export class LiveDirClusterClient implements ClusterClient {
  readonly cluster: string;
  private readonly objects = new Map<string, JsonObject>();
  private reads = 0;

  /** `saved`: the objects read from the cluster's folder; a later duplicate replaces an earlier one. */
  constructor(cluster: string, saved: readonly LiveObjectFile[]) {
    this.cluster = cluster;
    for (const { object } of saved) {
      const metadata = object['metadata'];
      const meta = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {};
      const name = meta['name'];
      const namespace = meta['namespace'];
      if (typeof object['apiVersion'] !== 'string' || typeof object['kind'] !== 'string' || typeof name !== 'string') continue;
      const stored = isSecretObject(object) ? digestSecretData(object) : object;
      this.objects.set(keyOf(object['apiVersion'], object['kind'], name, typeof namespace === 'string' ? namespace : undefined), stored);
    }
  }

  get requestCount(): { reads: number; writes: number } {
    return { reads: this.reads, writes: 0 };
  }

  get(ref: ResourceRef): Promise<JsonObject | undefined> {
    this.reads += 1;
    const found = this.objects.get(keyOf(ref.apiVersion, ref.kind, ref.name, ref.namespace));
    return Promise.resolve(found === undefined ? undefined : (structuredClone(found) as JsonObject));
  }

  create(ref: ResourceRef): Promise<JsonObject> {
    return Promise.reject(this.refuse(ref, 'create'));
  }

  patch(ref: ResourceRef): Promise<JsonObject> {
    return Promise.reject(this.refuse(ref, 'patch'));
  }

  private refuse(ref: ResourceRef, verb: string): ClusterError {
    const resource = describeRef(ref);
    return new ClusterError('cluster.read-only', `cluster ${this.cluster}: ${resource}: ${verb} refused: live state comes from saved files (--live-dir), which regops never writes`, {
      cluster: this.cluster,
      resource,
      verb,
    });
  }
}
