// Defaults the operator writes: the bootstrap Config and ImagePruner specs and the deterministic bucket name.
import type { JsonMap } from './json-value.ts';

// The Intermediate TLS profile the config observer copies from apiservers.config (docs/registry-operator-facts.md §2 observedConfig).
const observedConfig: JsonMap = {
  servingInfo: {
    minTLSVersion: 'VersionTLS12',
    cipherSuites: [
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    ],
  },
};

/** The storage and replicas the operator bootstraps on a platform (pkg/storage/storage.go GetPlatformStorage). */
export interface PlatformStorage {
  storage: JsonMap;
  replicas: number;
  /** OpenStack without Swift and oVirt: the bootstrap also creates a ReadWriteOnce claim and uses Recreate (pkg/operator/bootstrap.go). */
  bootstrapClaim?: { name: string; storageClassName: string };
}

// infrastructures.config status.platformStatus.type values with no storage: bootstrapped Removed (storage.go GetPlatformStorage)
const platformsWithoutStorage = new Set(['BareMetal', 'VSphere', 'None', 'Nutanix', 'KubeVirt', 'EquinixMetal', 'AlibabaCloud', 'External']);

/** What GetPlatformStorage returns for a PlatformType; `swiftEnabled` stands for the OpenStack catalog listing object-store. */
export function platformStorage(platformType: string, swiftEnabled: boolean): PlatformStorage {
  if (platformsWithoutStorage.has(platformType)) return { storage: {}, replicas: 1 };
  switch (platformType) {
    case 'AWS':
      return { storage: { s3: {} }, replicas: 2 };
    case 'Azure':
      return { storage: { azure: {} }, replicas: 2 };
    case 'GCP':
      return { storage: { gcs: {} }, replicas: 2 };
    case 'IBMCloud':
    case 'PowerVS':
      return { storage: { ibmcos: {} }, replicas: 2 };
    case 'OpenStack':
      if (swiftEnabled) return { storage: { swift: {} }, replicas: 2 };
      return { storage: { pvc: { claim: 'image-registry-storage' } }, replicas: 1, bootstrapClaim: { name: 'image-registry-storage', storageClassName: 'standard-csi' } };
    case 'Ovirt':
      return { storage: { pvc: { claim: 'image-registry-storage' } }, replicas: 1, bootstrapClaim: { name: 'image-registry-storage', storageClassName: 'ovirt-csi-sc' } };
    default:
      // Libvirt and unknown platforms: EmptyDir, Managed
      return { storage: { emptyDir: {} }, replicas: 1 };
  }
}

/** The Config spec the operator creates on first start (pkg/operator/bootstrap.go; docs/registry-operator-facts.md §4, §9.1). */
export function buildBootstrapConfigSpec(platform: PlatformStorage, singleReplica = false): JsonMap {
  const noStorage = Object.keys(platform.storage).length === 0;
  return {
    managementState: noStorage ? 'Removed' : 'Managed',
    logLevel: 'Normal',
    operatorLogLevel: 'Normal',
    observedConfig: structuredClone(observedConfig),
    storage: structuredClone(platform.storage),
    // infrastructureTopology SingleReplica forces one replica (bootstrap.go)
    replicas: singleReplica ? 1 : platform.replicas,
    rolloutStrategy: platform.bootstrapClaim === undefined ? 'RollingUpdate' : 'Recreate',
    // zero values the operator's Go client serialises (docs/registry-operator-facts.md §4)
    proxy: {},
    requests: { read: { maxWaitInQueue: '0s' }, write: { maxWaitInQueue: '0s' } },
    unsupportedConfigOverrides: null,
  };
}

/** The ImagePruner spec the operator creates (docs/registry-operator-facts.md §4 "ImagePruner bootstrap spec"). */
export function buildBootstrapPrunerSpec(): JsonMap {
  return { suspend: false, keepTagRevisions: 3, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true, schedule: '', logLevel: 'Normal' };
}

/**
 * Deterministic bucket name `<infrastructureName>-image-registry-<region>` (pkg/storage/util
 * GenerateDeterministicStorageName; docs/registry-operator-facts.md §3.5): dashes collapsed, 62 chars, trailing
 * `-` replaced by `s`, lower-cased.
 */
export function generateBucketName(infrastructureName: string, region: string): string {
  let name = [infrastructureName, 'image-registry', region].filter((part) => part !== '').join('-');
  name = name.replace(/-+/g, '-').slice(0, 62);
  if (name.endsWith('-')) name = `${name.slice(0, -1)}s`;
  return name.toLowerCase();
}
