import type { Diagnostic, Json, JsonObject, SecretReference, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { formatSuggestion } from './suggest-name.ts';

/** storage.yaml (kind RegistryStorage, apiVersion regops/v1) once merged over its layers and read. */
export interface StorageSpec {
  bucket: string;
  region: string;
  endpoint?: string;
  encryption: { type: 'SSE-S3' } | { type: 'SSE-KMS'; kmsKeyId: string };
  tags: Record<string, string>;
  accessKey: SecretReference;
  secretKey: SecretReference;
}

/** Placeholder replaced by the cluster name in storage.yaml strings (so a group can share one file). */
export const CLUSTER_PLACEHOLDER = '${cluster}';

// S3 bucket naming rules (AWS "General purpose bucket naming rules"): 3-63 chars, lower case, digits,
// dots and hyphens, starting and ending with a letter or digit, not an IP address.
const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ipLike = /^\d+\.\d+\.\d+\.\d+$/;
const endpointUrl = /^https?:\/\/[^\s/]+(\/\S*)?$/;

class StorageReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly positions: Record<string, SourcePosition>, readonly fallback: SourcePosition, readonly cluster: string) {}

  report(code: string, path: string, message: string, hint: string): void {
    const at = findPosition(this.positions, path) ?? this.fallback;
    this.diagnostics.push(createDiagnostic(code, 'error', at, message, hint, { cluster: this.cluster, path }));
  }

  map(value: Json | undefined, path: string, allowed: readonly string[]): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.report('storage.type', path, `${path}: expected a map`, 'write a YAML map here (see config/README.md, storage.yaml)');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const child = appendPath(path, key);
        this.report('storage.unknown-field', child, `${child}: unknown field${formatSuggestion(key, allowed)}`, `fields here are: ${allowed.join(', ')}`);
      }
    }
    return value;
  }

  text(value: Json | undefined, path: string, required: boolean): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.report('storage.required', path, `${path}: required`, `set ${path} in storage.yaml`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report('storage.type', path, `${path}: expected a string`, 'quote the value');
      return undefined;
    }
    return value.split(CLUSTER_PLACEHOLDER).join(this.cluster);
  }
}

function readEncryption(reader: StorageReader, value: Json | undefined): StorageSpec['encryption'] {
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

function readCredentials(reader: StorageReader, value: Json | undefined): { accessKey: SecretReference; secretKey: SecretReference } {
  const conventional = `regops/${reader.cluster}/registry-s3`;
  const map = reader.map(value, 'spec.credentials', ['secretsManager', 'ssm', 'file']);
  const sources = map === undefined ? [] : Object.keys(map).filter((k) => map[k] !== null && ['secretsManager', 'ssm', 'file'].includes(k));
  if (sources.length > 1) {
    reader.report('storage.credentials', 'spec.credentials', `spec.credentials: ${sources.join(' and ')} are both set`,
      'keep exactly one credentials source; to replace one set in an earlier layer, set it to null (e.g. `secretsManager: null`)');
  }
  const source = sources[0];
  if (source === 'ssm') {
    const ssm = reader.map(map?.['ssm'], 'spec.credentials.ssm', ['accessKeyIdParameter', 'secretAccessKeyParameter']);
    const ak = reader.text(ssm?.['accessKeyIdParameter'], 'spec.credentials.ssm.accessKeyIdParameter', true) ?? '';
    const sk = reader.text(ssm?.['secretAccessKeyParameter'], 'spec.credentials.ssm.secretAccessKeyParameter', true) ?? '';
    return { accessKey: { source: 'ssm', id: ak }, secretKey: { source: 'ssm', id: sk } };
  }
  if (source === 'file') {
    const file = reader.map(map?.['file'], 'spec.credentials.file', ['accessKeyId', 'secretAccessKey']);
    const ak = reader.text(file?.['accessKeyId'], 'spec.credentials.file.accessKeyId', true) ?? '';
    const sk = reader.text(file?.['secretAccessKey'], 'spec.credentials.file.secretAccessKey', true) ?? '';
    return { accessKey: { source: 'file', id: ak }, secretKey: { source: 'file', id: sk } };
  }
  const sm = reader.map(map?.['secretsManager'], 'spec.credentials.secretsManager', ['secretId', 'accessKeyIdKey', 'secretAccessKeyKey']);
  const id = reader.text(sm?.['secretId'], 'spec.credentials.secretsManager.secretId', false) ?? conventional;
  const akKey = reader.text(sm?.['accessKeyIdKey'], 'spec.credentials.secretsManager.accessKeyIdKey', false) ?? 'accessKeyId';
  const skKey = reader.text(sm?.['secretAccessKeyKey'], 'spec.credentials.secretsManager.secretAccessKeyKey', false) ?? 'secretAccessKey';
  return { accessKey: { source: 'secretsmanager', id, key: akKey }, secretKey: { source: 'secretsmanager', id, key: skKey } };
}

/**
 * Reads a merged storage.yaml into a StorageSpec. Without `spec.credentials`, the credentials are the
 * Secrets Manager secret `regops/<cluster>/registry-s3`, keys accessKeyId / secretAccessKey (the
 * fleet-wide convention). `${cluster}` in any string becomes the cluster name.
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
  const spec = reader.map(root['spec'], 'spec', ['s3', 'credentials']);
  const s3 = reader.map(spec?.['s3'], 'spec.s3', ['bucket', 'region', 'endpoint', 'encryption', 'tags']);
  if (s3 === undefined) {
    reader.report('storage.required', 'spec.s3', 'spec.s3: required', 'describe the S3 bucket regops provisions under spec.s3');
    return { diagnostics: reader.diagnostics };
  }
  const bucket = reader.text(s3['bucket'], 'spec.s3.bucket', true);
  if (bucket !== undefined && (!bucketName.test(bucket) || bucket.includes('..') || ipLike.test(bucket))) {
    reader.report('storage.bucket-name', 'spec.s3.bucket', `spec.s3.bucket: "${bucket}" is not a valid S3 bucket name`,
      '3-63 characters: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit');
  }
  const region = reader.text(s3['region'], 'spec.s3.region', true);
  const endpoint = reader.text(s3['endpoint'], 'spec.s3.endpoint', false);
  if (endpoint !== undefined && !endpointUrl.test(endpoint)) {
    reader.report('storage.endpoint', 'spec.s3.endpoint', `spec.s3.endpoint: "${endpoint}" is not an http(s) URL`, 'write the S3-compatible endpoint as https://host[:port]');
  }
  const encryption = readEncryption(reader, s3['encryption']);
  const tags = readTags(reader, s3['tags']);
  const credentials = readCredentials(reader, spec?.['credentials']);
  if (bucket === undefined || region === undefined) return { diagnostics: reader.diagnostics };
  return {
    spec: { bucket, region, ...(endpoint === undefined ? {} : { endpoint }), encryption, tags, ...credentials },
    diagnostics: reader.diagnostics,
  };
}
