import type { Diagnostic, Json, SecretReference, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';
import { CREDENTIAL_BACKENDS, readStorageCredentials, type CredentialBackend } from './storage-credentials.ts';
import { StorageReader } from './storage-reader.ts';
import { formatSuggestion } from './suggest-name.ts';

/** The S3 bucket regops provisions (storage.yaml spec.s3). */
export interface S3StorageBucket {
  bucket: string;
  region: string;
  endpoint?: string;
  encryption: { type: 'SSE-S3' } | { type: 'SSE-KMS'; kmsKeyId: string };
  tags: Record<string, string>;
  /** `adopt: true`: regops may configure the bucket though it did not create it (see core/plan.ts). */
  adopt: boolean;
}

/**
 * storage.yaml (kind RegistryStorage, apiVersion regops/v1) once merged over its layers and read:
 * the backend, its user-secret data as references (docs/registry-operator-facts.md §3.9), and for S3 the bucket.
 * Only S3 gets a bucket: the other backends are credentials only.
 */
export type StorageSpec =
  | ({ backend: 's3'; secretData: Record<string, SecretReference> } & S3StorageBucket)
  | { backend: Exclude<CredentialBackend, 's3'>; secretData: Record<string, SecretReference> };

export { CLUSTER_PLACEHOLDER } from './storage-reader.ts';

// S3 bucket naming rules (AWS "General purpose bucket naming rules"): 3-63 chars, lower case, digits,
// dots and hyphens, starting and ending with a letter or digit, not an IP address.
const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ipLike = /^\d+\.\d+\.\d+\.\d+$/;
// https only: the bucket store signs its requests (SigV4) and sends the storage credentials to this
// endpoint, and a pull request may name it (issue 10 item 3)
const endpointUrl = /^https:\/\/([^\s/@]+)(\/\S*)?$/;

/** The host (and :port) of an endpoint storage.yaml accepted (https://host[:port][/path]), lower case. */
export function readEndpointHost(endpoint: string): string | undefined {
  return endpointUrl.exec(endpoint)?.[1]?.toLowerCase();
}

function readEncryption(reader: StorageReader, value: Json | undefined): S3StorageBucket['encryption'] {
  const map = reader.map(value, 'spec.s3.encryption', ['type', 'kmsKeyId']);
  const type = reader.text(map?.['type'], 'spec.s3.encryption.type', false) ?? 'SSE-S3';
  if (type === 'SSE-S3') return { type };
  if (type === 'SSE-KMS') {
    const kmsKeyId = reader.text(map?.['kmsKeyId'], 'spec.s3.encryption.kmsKeyId', true);
    return kmsKeyId === undefined ? { type: 'SSE-S3' } : { type, kmsKeyId };
  }
  reader.report('storage.encryption', 'spec.s3.encryption.type', `spec.s3.encryption.type: "${type}" is not supported${formatSuggestion(type, ['SSE-S3', 'SSE-KMS'])}`,
    'use SSE-S3, or SSE-KMS with kmsKeyId');
  return { type: 'SSE-S3' };
}

function readTags(reader: StorageReader, value: Json | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  const map = reader.map(value, 'spec.s3.tags', Object.keys(value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}));
  if (map === undefined) return tags;
  for (const [key, item] of Object.entries(map)) {
    const path = appendPath('spec.s3.tags', key);
    if (key.startsWith('regops.io/') || key.startsWith('aws:')) {
      reader.report('storage.tags', path, `${path}: the prefixes regops.io/ and aws: are reserved`, 'choose another tag key; regops adds regops.io/cluster and regops.io/managed-by itself');
    } else if (key.length > 128 || typeof item !== 'string' || item.length > 256) {
      reader.report('storage.tags', path, `${path}: tag keys are at most 128 characters and values are strings of at most 256`, 'shorten or quote the tag');
    } else tags[key] = item;
  }
  // S3 allows 50 tags per bucket; regops adds two of its own
  if (Object.keys(tags).length > 48) reader.report('storage.tags', 'spec.s3.tags', 'spec.s3.tags: more than 48 tags (S3 allows 50, regops adds 2)', 'remove tags');
  return tags;
}

/**
 * Reads a merged storage.yaml into a StorageSpec: exactly one backend under spec (s3, or the
 * credentials-only gcs, azure, swift, ibmcos written as `{}`) and its credential references. Without
 * `spec.credentials`, the credentials are the Secrets Manager secret `regops/<cluster>/registry-<backend>`
 * (for s3 keys accessKeyId / secretAccessKey, the fleet-wide convention). `${cluster}` in any string
 * becomes the cluster name.
 */
export function readStorageSpec(
  value: Json,
  positions: Record<string, SourcePosition>,
  fallback: SourcePosition,
  cluster: string,
): { spec?: StorageSpec; diagnostics: Diagnostic[] } {
  const reader = new StorageReader(positions, fallback, cluster);
  const root = reader.map(value, '', ['apiVersion', 'kind', 'metadata', 'spec']);
  if (root === undefined) return { diagnostics: reader.diagnostics };
  if (root['apiVersion'] !== 'regops/v1' || root['kind'] !== 'RegistryStorage') {
    reader.report('storage.kind', root['kind'] === 'RegistryStorage' ? 'apiVersion' : 'kind',
      `storage.yaml: expected apiVersion regops/v1, kind RegistryStorage`, 'start the file with apiVersion: regops/v1 and kind: RegistryStorage');
  }
  const spec = reader.map(root['spec'], 'spec', [...CREDENTIAL_BACKENDS, 'credentials']);
  const backends = CREDENTIAL_BACKENDS.filter((b) => spec?.[b] !== undefined && spec[b] !== null);
  const backend = backends[0];
  if (backend === undefined) {
    reader.report('storage.required', 'spec.s3', 'spec.s3: required (or one of spec.gcs, spec.azure, spec.swift, spec.ibmcos)',
      'describe the S3 bucket regops provisions under spec.s3, or name a credentials-only backend (e.g. `gcs: {}`)');
    return { diagnostics: reader.diagnostics };
  }
  if (backends.length > 1) {
    reader.report('storage.backend', appendPath('spec', backends[1] ?? ''), `spec: ${backends.join(' and ')} are both set; storage.yaml names exactly one backend`,
      'keep one backend; to replace one set in an earlier layer, set it to null (e.g. `s3: null`)');
    return { diagnostics: reader.diagnostics };
  }
  if (backend !== 's3') {
    // credentials only: regops provisions nothing for these backends; registry.yaml sets spec.storage
    reader.map(spec?.[backend], `spec.${backend}`, []);
    const secretData = readStorageCredentials(reader, backend, spec?.['credentials']);
    return { spec: { backend, secretData }, diagnostics: reader.diagnostics };
  }
  const s3 = reader.map(spec?.['s3'], 'spec.s3', ['bucket', 'region', 'endpoint', 'encryption', 'tags', 'adopt']);
  if (s3 === undefined) return { diagnostics: reader.diagnostics };
  const bucket = reader.text(s3['bucket'], 'spec.s3.bucket', true);
  if (bucket !== undefined && (!bucketName.test(bucket) || bucket.includes('..') || ipLike.test(bucket))) {
    reader.report('storage.bucket-name', 'spec.s3.bucket', `spec.s3.bucket: "${bucket}" is not a valid S3 bucket name`,
      '3-63 characters: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit');
  }
  const region = reader.text(s3['region'], 'spec.s3.region', true);
  const endpoint = reader.text(s3['endpoint'], 'spec.s3.endpoint', false);
  if (endpoint !== undefined && !endpointUrl.test(endpoint)) {
    reader.report('storage.endpoint', 'spec.s3.endpoint', `spec.s3.endpoint: "${endpoint}" is not an https URL without user info`, 'write the S3-compatible endpoint as https://host[:port]; plain http and user:password@ are refused');
  }
  const adopt = s3['adopt'];
  if (adopt !== undefined && adopt !== null && typeof adopt !== 'boolean') {
    reader.report('storage.type', 'spec.s3.adopt', 'spec.s3.adopt: expected true or false', 'write adopt: true to let regops configure a bucket it did not create');
  }
  const encryption = readEncryption(reader, s3['encryption']);
  const tags = readTags(reader, s3['tags']);
  const secretData = readStorageCredentials(reader, 's3', spec?.['credentials']);
  if (bucket === undefined || region === undefined) return { diagnostics: reader.diagnostics };
  return {
    spec: { backend, bucket, region, ...(endpoint === undefined ? {} : { endpoint }), encryption, tags, adopt: adopt === true, secretData },
    diagnostics: reader.diagnostics,
  };
}
