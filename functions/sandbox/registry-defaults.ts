// Defaults the operator writes: the bootstrap Config and ImagePruner specs and the deterministic bucket name.
import type { JsonMap } from './json-value.ts';

// The Intermediate TLS profile the config observer copies from apiservers.config (registry-operator.md §2 observedConfig).
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

/** Platforms whose bootstrap has object storage: AWS only in the sandbox (registry-operator.md §9.1). */
export function platformHasStorage(platform: string): boolean {
  return platform.toLowerCase() === 'aws';
}

/** The Config spec the operator creates on first start (pkg/operator/bootstrap.go; registry-operator.md §4, §9.1). */
export function buildBootstrapConfigSpec(platform: string): JsonMap {
  const aws = platformHasStorage(platform);
  return {
    managementState: aws ? 'Managed' : 'Removed',
    logLevel: 'Normal',
    operatorLogLevel: 'Normal',
    observedConfig: structuredClone(observedConfig),
    storage: aws ? { s3: {} } : {},
    replicas: aws ? 2 : 1,
    rolloutStrategy: 'RollingUpdate',
    // zero values the operator's Go client serialises (registry-operator.md §4)
    proxy: {},
    requests: { read: { maxWaitInQueue: '0s' }, write: { maxWaitInQueue: '0s' } },
    unsupportedConfigOverrides: null,
  };
}

/** The ImagePruner spec the operator creates (registry-operator.md §4 "ImagePruner bootstrap spec"). */
export function buildBootstrapPrunerSpec(): JsonMap {
  return { suspend: false, keepTagRevisions: 3, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true, schedule: '', logLevel: 'Normal' };
}

/**
 * Deterministic bucket name `<infrastructureName>-image-registry-<region>` (pkg/storage/util
 * GenerateDeterministicStorageName; registry-operator.md §3.5): dashes collapsed, 62 chars, trailing
 * `-` replaced by `s`, lower-cased.
 */
export function generateBucketName(infrastructureName: string, region: string): string {
  let name = [infrastructureName, 'image-registry', region].filter((part) => part !== '').join('-');
  name = name.replace(/-+/g, '-').slice(0, 62);
  if (name.endsWith('-')) name = `${name.slice(0, -1)}s`;
  return name.toLowerCase();
}
