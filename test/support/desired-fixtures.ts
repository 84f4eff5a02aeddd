/** Hand-built desired state for engine unit tests (what core's renderFleet would produce). */
import type { ClusterEntry, DesiredCluster, JsonObject, Policy } from '../../functions/core/model.ts';
import { configRef, prunerRef } from './in-memory-ports.ts';

const origin = { file: 'config/base/registry.yaml', line: 1, col: 1 };

/** A cluster wanting the given Config spec (and optionally a pruner spec). */
export function desiredRegistry(cluster: string, spec: JsonObject, options: { policy?: Policy; pruner?: JsonObject } = {}): DesiredCluster {
  const objects: DesiredCluster['objects'] = [
    { ref: configRef, body: { apiVersion: configRef.apiVersion, kind: 'Config', metadata: { name: 'cluster' }, spec }, positions: { 'spec.replicas': origin } },
  ];
  if (options.pruner !== undefined) {
    objects.push({ ref: prunerRef, body: { apiVersion: prunerRef.apiVersion, kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: options.pruner }, positions: {} });
  }
  return { cluster, labels: {}, groups: [], policy: options.policy ?? 'inform', objects, secrets: [], allow: [] };
}

/** The bare-metal bootstrap: an S3 bucket regops provisions, the credentials secret, S3 storage, Managed. */
export function desiredBareMetalBootstrap(cluster: string): DesiredCluster {
  const desired = desiredRegistry(cluster, {
    managementState: 'Managed',
    replicas: 2,
    storage: { managementState: 'Unmanaged', s3: { bucket: `${cluster}-registry`, region: 'us-east-1' } },
  });
  desired.secrets = [
    {
      ref: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
      data: {
        REGISTRY_STORAGE_S3_ACCESSKEY: { source: 'secretsmanager', id: `regops/${cluster}/registry-s3`, key: 'accessKeyId' },
        REGISTRY_STORAGE_S3_SECRETKEY: { source: 'secretsmanager', id: `regops/${cluster}/registry-s3`, key: 'secretAccessKey' },
      },
      origin,
    },
  ];
  desired.bucket = { name: `${cluster}-registry`, region: 'us-east-1', encryption: { type: 'SSE-S3' }, tags: { 'regops.io/cluster': cluster }, origin };
  desired.allow = ['storage-change'];
  return desired;
}

export function entryFor(name: string, labels: Record<string, string> = {}): ClusterEntry {
  return { name, labels, connection: {} };
}
