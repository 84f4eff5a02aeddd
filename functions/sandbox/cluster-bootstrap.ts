import type { JsonMap } from './json-value.ts';
import type { ObjectStore } from './object-store.ts';
import { registryResources } from './registry-resources.ts';
import type { SandboxCluster } from './sandbox-cluster.ts';

/** The S3 keys a cluster's registry may use: installer-cloud-credentials (what the cloud-credential operator mints). */
export interface ClusterAwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

// infrastructures.config status.platformStatus.type values (openshift/api config/v1 PlatformType)
const platformTypes: Record<string, string> = { aws: 'AWS', baremetal: 'BareMetal', vsphere: 'VSphere', gcp: 'GCP', azure: 'Azure', openstack: 'OpenStack', none: 'None' };

/** The PlatformType for a fleet label value (`aws` → `AWS`). */
export function toPlatformType(platform: string): string {
  return platformTypes[platform.toLowerCase()] ?? 'None';
}

const bootstrapManager = 'cluster-bootstrap';

/** Creates an object and, if it carries status, writes that through the status subresource, as installers do. */
export function seedObject(store: ObjectStore, object: JsonMap, manager = bootstrapManager): void {
  const info = Object.values(registryResources).find((candidate) => candidate.apiVersion === object['apiVersion'] && candidate.kind === object['kind']);
  if (info === undefined) throw new Error(`sandbox: cannot seed ${String(object['apiVersion'])}/${String(object['kind'])}: not served`);
  const metadata = (object['metadata'] ?? {}) as JsonMap;
  const name = String(metadata['name'] ?? '');
  const namespace = info.namespaced ? String(metadata['namespace'] ?? 'default') : undefined;
  const { status, ...rest } = object;
  const restMetadata: JsonMap = { ...metadata };
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp']) delete restMetadata[key];
  const existing = store.get(info, namespace, name);
  store.write({ info, namespace, name, object: { ...rest, metadata: restMetadata }, create: existing === undefined, manager, operation: 'Update' });
  if (info.custom && status !== undefined && status !== null) {
    const stored = store.get(info, namespace, name);
    if (stored !== undefined) store.write({ info, namespace, name, object: { ...stored.object, status }, create: false, subresource: 'status', manager, operation: 'Update' });
  }
}

/** The objects an installed cluster has before the registry operator starts (registry-operator.md §1). */
export function seedInstalledCluster(cluster: SandboxCluster, awsKeys: ClusterAwsKeys | undefined): void {
  const { store, spec } = cluster;
  for (const name of ['default', 'kube-system', 'openshift-config', 'openshift-config-managed', 'openshift-image-registry']) {
    if (store.get(registryResources.namespace, undefined, name) === undefined) seedObject(store, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const platformType = toPlatformType(spec.platform);
  const platformStatus: JsonMap = { type: platformType };
  if (platformType === 'AWS') platformStatus['aws'] = { region: spec.region };
  const platformSpec: JsonMap = { type: platformType };
  if (platformType === 'AWS') platformSpec['aws'] = {};
  seedObject(store, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { name: 'cluster' },
    spec: { cloudConfig: { name: '' }, platformSpec },
    status: {
      apiServerInternalURI: `https://api-int.${spec.name}.sandbox.example:6443`,
      apiServerURL: `https://api.${spec.name}.sandbox.example:6443`,
      controlPlaneTopology: 'HighlyAvailable',
      cpuPartitioning: 'None',
      etcdDiscoveryDomain: '',
      infrastructureName: cluster.infrastructureName,
      infrastructureTopology: 'HighlyAvailable',
      platform: platformType,
      platformStatus,
    },
  });
  if (awsKeys !== undefined) {
    seedObject(store, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'installer-cloud-credentials', namespace: 'openshift-image-registry' },
      type: 'Opaque',
      data: {
        aws_access_key_id: Buffer.from(awsKeys.accessKeyId).toString('base64'),
        aws_secret_access_key: Buffer.from(awsKeys.secretAccessKey).toString('base64'),
      },
    });
  }
  // the payload ships the ClusterOperator and the installer the Image config (registry-operator.md §1)
  seedObject(store, { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', metadata: { name: 'image-registry' }, spec: {} });
  seedObject(store, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
}
