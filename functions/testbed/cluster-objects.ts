import type { KubeClient } from './kube-client.ts';
import type { TestbedClusterSpec } from './testbed-types.ts';

/** The release version the operator reports and its feature gates are keyed by (OPERATOR_IMAGE_VERSION). */
export const releaseVersion = '4.22.0-tb';

export interface ClusterSetup {
  spec: TestbedClusterSpec;
  infrastructureName: string;
  /** https URL of the S3 endpoint for AWS clusters (Infrastructure serviceEndpoints) */
  s3OperatorEndpoint: string;
  caPem: string;
  awsKeys: { accessKeyId: string; secretAccessKey: string };
  /** FeatureGate `cluster` as shipped in openshift/api payload-manifests (share/featuregate.yaml) */
  featureGate: Record<string, unknown>;
}

/** Infrastructure status per platform (docs/registry-operator-facts.md; the operator reads platformStatus, storage.go:172 needs it non-nil). */
export function infrastructureStatus(setup: ClusterSetup): Record<string, unknown> {
  const base = { infrastructureName: setup.infrastructureName, controlPlaneTopology: 'HighlyAvailable', infrastructureTopology: 'HighlyAvailable', apiServerURL: 'https://api.testbed.invalid:6443', apiServerInternalURI: 'https://api-int.testbed.invalid:6443', etcdDiscoveryDomain: '' };
  switch (setup.spec.platform.toLowerCase()) {
    case 'aws':
      return { ...base, platform: 'AWS', platformStatus: { type: 'AWS', aws: { region: setup.spec.region, serviceEndpoints: [{ name: 's3', url: setup.s3OperatorEndpoint }] } } };
    case 'baremetal':
      return { ...base, platform: 'BareMetal', platformStatus: { type: 'BareMetal', baremetal: {} } };
    case 'vsphere':
      return { ...base, platform: 'VSphere', platformStatus: { type: 'VSphere', vsphere: {} } };
    default:
      return { ...base, platform: 'None', platformStatus: { type: 'None' } };
  }
}

const node = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    // KWOK manages it; the worker role is what the operator's topology spread keys on (podtemplatespec.go)
    annotations: { 'kwok.x-k8s.io/node': 'fake' },
    labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/worker': '', type: 'kwok' },
  },
  spec: {},
  status: { allocatable: { cpu: '32', memory: '256Gi', pods: '110' }, capacity: { cpu: '32', memory: '256Gi', pods: '110' } },
});

/**
 * Five workers. The operator keeps one registry pod per node (required pod anti-affinity on
 * kubernetes.io/hostname over every replica set's pods, maxSurge 1): with two nodes config/'s prod
 * overlay (3 replicas) left a pod Pending until the Deployment's 120 s progress deadline
 * (ProgressDeadlineExceeded, measured on prod-us-1); with three, a change regops wrote while the
 * operator was still re-rolling its own bootstrap Deployment stalled the same way (measured twice in
 * the CLI suite). Five leave room for 3 replicas, a surge pod and a replica set being replaced; KWOK
 * nodes cost no process.
 */
export const workerNodes = ['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4'];

/**
 * What an installed OpenShift cluster has before the registry operator starts, as the operator needs it
 * (docs/testbed-facts.md §2): namespaces, the node-ca SA, the pull secret, cluster
 * config objects with their status, the AWS credentials and CA, and KWOK worker nodes.
 */
export async function seedCluster(kube: KubeClient, setup: ClusterSetup): Promise<void> {
  const ns = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...extra } });
  await kube.create('/api/v1/namespaces', ns('openshift-image-registry', { annotations: { 'openshift.io/sa.scc.supplemental-groups': '1000430000/10000' }, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }));
  await kube.create('/api/v1/namespaces', ns('openshift-config'));
  await kube.create('/api/v1/namespaces', ns('openshift-config-managed'));
  for (const name of workerNodes) await kube.create('/api/v1/nodes', node(name));
  await kube.create('/api/v1/namespaces/openshift-image-registry/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'node-ca', namespace: 'openshift-image-registry' } });
  await kube.create('/api/v1/namespaces/openshift-config/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull-secret', namespace: 'openshift-config' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } });
  // the operator appends this CA to the system pool for its S3 client (pkg/storage/s3/s3.go)
  await kube.create('/api/v1/namespaces/openshift-config-managed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-cloud-config', namespace: 'openshift-config-managed' }, data: { 'ca-bundle.pem': setup.caPem } });
  if (setup.spec.platform.toLowerCase() === 'aws') {
    await kube.create('/api/v1/namespaces/openshift-image-registry/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'installer-cloud-credentials', namespace: 'openshift-image-registry' }, stringData: { aws_access_key_id: setup.awsKeys.accessKeyId, aws_secret_access_key: setup.awsKeys.secretAccessKey } });
  }
  if (setup.spec.platform.toLowerCase() === 'vsphere') await seedVsphereStorage(kube);

  const config = '/apis/config.openshift.io/v1';
  await kube.create(`${config}/infrastructures`, { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', metadata: { name: 'cluster' }, spec: { platformSpec: { type: infrastructureStatus(setup)['platform'] } } });
  await kube.putStatus(`${config}/infrastructures/cluster`, infrastructureStatus(setup));
  await kube.create(`${config}/clusterversions`, { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, spec: { clusterID: '6f1c2a4e-0000-4000-8000-000000000001' } });
  await kube.putStatus(`${config}/clusterversions/version`, { desired: { version: releaseVersion, image: 'testbed.invalid/release:4.22' }, availableUpdates: null, observedGeneration: 1, versionHash: 'testbed' });
  const gate = setup.featureGate;
  const gateStatus = (gate['status'] ?? {}) as { featureGates?: Array<Record<string, unknown>> };
  await kube.create(`${config}/featuregates`, { apiVersion: 'config.openshift.io/v1', kind: 'FeatureGate', metadata: { name: 'cluster' }, spec: gate['spec'] ?? {} });
  // the operator waits for a status.featureGates entry whose version is OPERATOR_IMAGE_VERSION (library-go simple_featuregate_reader.go)
  await kube.putStatus(`${config}/featuregates/cluster`, { featureGates: (gateStatus.featureGates ?? []).map((entry) => ({ ...entry, version: releaseVersion })) });
  await kube.create(`${config}/apiservers`, { apiVersion: 'config.openshift.io/v1', kind: 'APIServer', metadata: { name: 'cluster' }, spec: {} });
  await kube.create(`${config}/proxies`, { apiVersion: 'config.openshift.io/v1', kind: 'Proxy', metadata: { name: 'cluster' }, spec: {} });
  // measured: the operator does not create images.config cluster, and without it the pruner CronJob fails
  // ("image.config.openshift.io \"cluster\" not found"), so ImagePrunerAvailable and the ClusterOperator stay False
  await kube.create(`${config}/images`, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
}

/** vSphere: a default StorageClass, a PV and the claim config/clusters/edge-vs-1 names, so the operator's PVC storage binds. */
async function seedVsphereStorage(kube: KubeClient): Promise<void> {
  await kube.create('/apis/storage.k8s.io/v1/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'thin-csi', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' });
  for (const name of ['registry-pv-0', 'registry-pv-1']) {
    await kube.create('/api/v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'], storageClassName: 'thin-csi', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/regops-testbed-${name}` } } });
  }
  await kube.create('/api/v1/namespaces/openshift-image-registry/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'registry-storage', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'thin-csi', resources: { requests: { storage: '100Gi' } } } });
}
