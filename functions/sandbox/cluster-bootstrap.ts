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
const platformTypes: Record<string, string> = {
  aws: 'AWS',
  baremetal: 'BareMetal',
  vsphere: 'VSphere',
  gcp: 'GCP',
  azure: 'Azure',
  openstack: 'OpenStack',
  ibmcloud: 'IBMCloud',
  powervs: 'PowerVS',
  ovirt: 'Ovirt',
  libvirt: 'Libvirt',
  nutanix: 'Nutanix',
  external: 'External',
  none: 'None',
};

// What the cloud-credential operator mints into installer-cloud-credentials per platform (docs/registry-operator-facts.md §3.9);
// the values are placeholders: the sandbox has no Swift, GCS, Azure or IBM COS to check them against.
const cloudCredentialKeys: Record<string, Record<string, string>> = {
  OpenStack: { 'clouds.yaml': 'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.sandbox.example:5000\n' },
  GCP: { 'service_account.json': '{"type":"service_account","project_id":"sandbox"}' },
  Azure: { azure_subscription_id: 'sandbox', azure_client_id: 'sandbox', azure_client_secret: 'sandbox', azure_tenant_id: 'sandbox', azure_resourcegroup: 'sandbox', azure_region: 'sandbox' },
  IBMCloud: { ibmcloud_api_key: 'sandbox' },
  PowerVS: { ibmcloud_api_key: 'sandbox' },
};

/** The node names and labels an installed cluster has: three tainted control-plane nodes and three workers. */
function buildNodes(clusterName: string): JsonMap[] {
  const nodes: JsonMap[] = [];
  for (const role of ['master', 'worker']) {
    for (let index = 0; index < 3; index += 1) {
      const name = `${clusterName}-${role}-${index}`;
      const labels: JsonMap = { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, [`node-role.kubernetes.io/${role}`]: '' };
      if (role === 'master') labels['node-role.kubernetes.io/control-plane'] = '';
      const spec: JsonMap = role === 'master' ? { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] } : {};
      nodes.push({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec });
    }
  }
  return nodes;
}

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
  if (info.statusSubresource && status !== undefined && status !== null) {
    const stored = store.get(info, namespace, name);
    if (stored !== undefined) store.write({ info, namespace, name, object: { ...stored.object, status }, create: false, subresource: 'status', manager, operation: 'Update' });
  }
}

/** The objects an installed cluster has before the registry operator starts (docs/registry-operator-facts.md §1). */
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
  const cloudKeys = cloudCredentialKeys[platformType];
  if (cloudKeys !== undefined) {
    seedObject(store, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'installer-cloud-credentials', namespace: 'openshift-image-registry' }, type: 'Opaque', stringData: cloudKeys });
  }
  // vSphere has no object storage: an admin provisions a claim for the registry (docs/registry-operator-facts.md
  // §3.8); the sandbox's installed vSphere cluster has a ReadWriteOnce `registry-storage`, as the testbed's.
  if (platformType === 'VSphere' && store.get(registryResources.claim, 'openshift-image-registry', 'registry-storage') === undefined) {
    seedObject(store, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'registry-storage', namespace: 'openshift-image-registry' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'thin-csi' },
    });
  }
  // the registry pods' scheduler needs nodes (simulated-scheduler.ts); a seed dump may add its own
  if (store.list(registryResources.node, undefined).length === 0) for (const node of buildNodes(spec.name)) seedObject(store, node);
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
  // the payload ships the ClusterOperator and the installer the Image config (docs/registry-operator-facts.md §1)
  seedObject(store, { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', metadata: { name: 'image-registry' }, spec: {} });
  seedObject(store, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
}
