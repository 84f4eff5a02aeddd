import type { Json, SecretReference } from './model.ts';
import type { StorageReader } from './storage-reader.ts';

/** Backends whose keys the operator reads from image-registry-private-configuration-user (docs/registry-operator-facts.md §3.9). */
export const CREDENTIAL_BACKENDS = ['s3', 'gcs', 'azure', 'swift', 'ibmcos'] as const;
/** One backend of CREDENTIAL_BACKENDS. */
export type CredentialBackend = (typeof CREDENTIAL_BACKENDS)[number];

interface CredentialField {
  /** Field name in storage.yaml: `<name>Key` (Secrets Manager JSON key), `<name>Parameter` (SSM), `<name>` (file). */
  name: string;
  /** Key of the user secret the operator reads. */
  secretKey: string;
}

// The keys of the user secret per backend, each inner list one complete set (docs/registry-operator-facts.md §3.9).
// The swift password is `userPassword`, not `password`: a bare `password:` line is refused by secret-scan.
const credentialSets: Record<CredentialBackend, readonly (readonly CredentialField[])[]> = {
  s3: [[{ name: 'accessKeyId', secretKey: 'REGISTRY_STORAGE_S3_ACCESSKEY' }, { name: 'secretAccessKey', secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY' }]],
  gcs: [[{ name: 'keyfile', secretKey: 'REGISTRY_STORAGE_GCS_KEYFILE' }]],
  azure: [[{ name: 'accountKey', secretKey: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY' }]],
  swift: [
    [{ name: 'username', secretKey: 'REGISTRY_STORAGE_SWIFT_USERNAME' }, { name: 'userPassword', secretKey: 'REGISTRY_STORAGE_SWIFT_PASSWORD' }],
    [
      { name: 'applicationCredentialId', secretKey: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID' },
      { name: 'applicationCredentialName', secretKey: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME' },
      { name: 'applicationCredentialSecret', secretKey: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET' },
    ],
    [{ name: 'tokenId', secretKey: 'REGISTRY_STORAGE_SWIFT_TOKENID' }],
  ],
  ibmcos: [[{ name: 'iamApiKey', secretKey: 'REGISTRY_STORAGE_IBMCOS_IAMAPIKEY' }]],
};

type Source = 'secretsManager' | 'ssm' | 'file';
const sources: readonly Source[] = ['secretsManager', 'ssm', 'file'];
const suffix: Record<Source, string> = { secretsManager: 'Key', ssm: 'Parameter', file: '' };
const referenceSource: Record<Source, SecretReference['source']> = { secretsManager: 'secretsmanager', ssm: 'ssm', file: 'file' };

function describeSets(sets: readonly (readonly CredentialField[])[], source: Source): string {
  return sets.map((set) => set.map((f) => f.name + suffix[source]).join(' + ')).join(', or ');
}

/**
 * Reads `spec.credentials` of storage.yaml for `backend` into the user secret's data: each key a
 * reference, never a value. Exactly one source; swift needs exactly one complete set. Without
 * `spec.credentials`, the Secrets Manager secret `regops/<cluster>/registry-<backend>` with the field
 * names as JSON keys (not for swift, whose set must be named).
 */
export function readStorageCredentials(reader: StorageReader, backend: CredentialBackend, value: Json | undefined): Record<string, SecretReference> {
  const sets = credentialSets[backend];
  const map = reader.map(value, 'spec.credentials', sources);
  const set = map === undefined ? [] : sources.filter((k) => map[k] !== null && map[k] !== undefined);
  if (set.length > 1) {
    reader.report('storage.credentials', 'spec.credentials', `spec.credentials: ${set.join(' and ')} are both set`,
      'keep exactly one credentials source; to replace one set in an earlier layer, set it to null (e.g. `secretsManager: null`)');
  }
  const source = set[0] ?? 'secretsManager';
  const path = `spec.credentials.${source}`;
  const fields = sets.flat().map((f) => f.name + suffix[source]);
  const body = reader.map(map?.[source], path, source === 'secretsManager' ? ['secretId', ...fields] : fields);
  const present = (f: CredentialField) => body?.[f.name + suffix[source]] !== undefined && body[f.name + suffix[source]] !== null;
  const chosen = sets.filter((s) => s.some(present));
  let fieldsToRead: readonly CredentialField[];
  if (sets.length === 1) {
    fieldsToRead = sets[0] ?? [];
  } else if (chosen.length === 1 && (chosen[0] ?? []).every(present)) {
    fieldsToRead = chosen[0] ?? [];
  } else {
    const what = chosen.length === 0 ? 'no credential set' : chosen.length > 1 ? 'fields of more than one credential set' : 'an incomplete credential set';
    // point at the nearest thing written: the source, else spec.credentials, else the backend
    const at = body !== undefined ? path : map !== undefined ? 'spec.credentials' : `spec.${backend}`;
    reader.report(`storage.${backend}-credentials`, at, `${path}: ${what}; the operator reads exactly one of: ${describeSets(sets, source)} (docs/registry-operator-facts.md §3.9)`,
      `list exactly one complete set under ${path}`);
    return {};
  }
  const secretId = source === 'secretsManager' ? reader.text(body?.['secretId'], `${path}.secretId`, false) ?? `regops/${reader.cluster}/registry-${backend}` : '';
  const data: Record<string, SecretReference> = {};
  for (const field of fieldsToRead) {
    const fieldPath = `${path}.${field.name}${suffix[source]}`;
    if (source === 'secretsManager') {
      // a single-set backend defaults each JSON key to the field name (`accessKeyId`, `keyfile`, …)
      const key = reader.text(body?.[field.name + suffix[source]], fieldPath, false) ?? field.name;
      data[field.secretKey] = { source: 'secretsmanager', id: secretId, key };
    } else {
      data[field.secretKey] = { source: referenceSource[source], id: reader.text(body?.[field.name + suffix[source]], fieldPath, true) ?? '' };
    }
  }
  return data;
}

/**
 * The backend and credential set whose user-secret keys are all among `secretKeys` (the key names of a
 * live `image-registry-private-configuration-user`), as storage.yaml field names; undefined when none
 * is complete. Used by `regops import` to write references, never values.
 */
export function findCredentialSet(secretKeys: readonly string[]): { backend: CredentialBackend; fields: string[] } | undefined {
  const present = new Set(secretKeys);
  for (const backend of CREDENTIAL_BACKENDS) {
    for (const set of credentialSets[backend]) {
      if (set.every((field) => present.has(field.secretKey))) return { backend, fields: set.map((field) => field.name) };
    }
  }
  return undefined;
}
