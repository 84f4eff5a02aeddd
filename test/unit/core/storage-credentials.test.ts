// storage.yaml credentials per backend (docs/registry-operator-facts.md §3.9): the user secret holds exactly the
// keys the operator reads for the backend, each a reference; validation errors at the YAML line.
import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot, SecretReference } from '../../../functions/core/model.ts';
import { renderFleet } from '../../../functions/core/render.ts';

const fleetYaml = `apiVersion: regops/v1
kind: Fleet
metadata: {name: t}
spec:
  clusters:
    - {name: one, labels: {platform: baremetal}}
  waves:
    - {name: all, selector: {}}
`;

function render(storage: string, registry?: string) {
  const files: Record<string, string> = { 'fleet.yaml': fleetYaml, 'clusters/one/storage.yaml': `apiVersion: regops/v1\nkind: RegistryStorage\nspec:\n${storage}` };
  if (registry !== undefined) files['clusters/one/registry.yaml'] = `spec:\n  replicas: 1\n  storage:\n${registry}`;
  const snapshot: ConfigSnapshot = { commit: 'c1', files: Object.entries(files).map(([path, content]) => ({ path, content })) };
  const result = renderFleet(snapshot);
  const desired = result.clusters.find((c) => c.cluster === 'one');
  if (desired === undefined) throw new Error('no cluster one');
  return { desired, diagnostics: result.diagnostics };
}

const sm = (id: string, key: string): SecretReference => ({ source: 'secretsmanager', id, key });

describe('storage.yaml credentials-only backends', () => {
  it.each([
    {
      name: 'gcs, conventional Secrets Manager secret',
      storage: '  gcs: {}\n',
      registry: '    gcs: {bucket: acme-one}\n',
      data: { REGISTRY_STORAGE_GCS_KEYFILE: sm('regops/one/registry-gcs', 'keyfile') },
    },
    {
      name: 'azure, SSM parameter',
      storage: '  azure: {}\n  credentials:\n    ssm: {accountKeyParameter: /regops/one/azure-key}\n',
      registry: '    azure: {accountName: acmeone, container: registry}\n',
      data: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: { source: 'ssm', id: '/regops/one/azure-key' } },
    },
    {
      name: 'ibmcos, file store key with ${cluster}',
      storage: '  ibmcos: {}\n  credentials:\n    file: {iamApiKey: "${cluster}-ibm"}\n',
      registry: '    ibmcos: {bucket: acme-one}\n',
      data: { REGISTRY_STORAGE_IBMCOS_IAMAPIKEY: { source: 'file', id: 'one-ibm' } },
    },
    {
      name: 'swift, user name and password',
      storage: '  swift: {}\n  credentials:\n    secretsManager:\n      secretId: s/swift\n      usernameKey: user\n      userPasswordKey: pass\n',
      registry: '    swift: {container: registry}\n',
      data: { REGISTRY_STORAGE_SWIFT_USERNAME: sm('s/swift', 'user'), REGISTRY_STORAGE_SWIFT_PASSWORD: sm('s/swift', 'pass') },
    },
    {
      name: 'swift, application credential',
      storage: '  swift: {}\n  credentials:\n    ssm:\n      applicationCredentialIdParameter: /a/id\n      applicationCredentialNameParameter: /a/name\n      applicationCredentialSecretParameter: /a/secret\n',
      registry: '    swift: {container: registry}\n',
      data: {
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID: { source: 'ssm', id: '/a/id' },
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME: { source: 'ssm', id: '/a/name' },
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET: { source: 'ssm', id: '/a/secret' },
      },
    },
    {
      name: 'swift, token',
      storage: '  swift: {}\n  credentials:\n    file: {tokenId: swift-token}\n',
      registry: '    swift: {container: registry}\n',
      data: { REGISTRY_STORAGE_SWIFT_TOKENID: { source: 'file', id: 'swift-token' } },
    },
  ])('$name: the user secret holds exactly the backend keys, no bucket, Config untouched', ({ storage, registry, data }) => {
    const { desired, diagnostics } = render(storage, registry);
    expect(diagnostics).toEqual([]);
    expect(desired.bucket).toBeUndefined();
    expect(desired.secrets).toHaveLength(1);
    expect(desired.secrets[0]?.ref).toEqual({ apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(desired.secrets[0]?.data).toEqual(data);
    const config = desired.objects.find((o) => o.ref.kind === 'Config');
    // regops sets nothing in spec.storage for these backends: registry.yaml owns it
    expect((config?.body['spec'] as { storage?: unknown }).storage).not.toHaveProperty('managementState');
  });

  it('keeps the S3 shape: conventional secret, both S3 keys', () => {
    const { desired, diagnostics } = render('  s3: {bucket: b-one, region: us-east-1}\n');
    expect(diagnostics).toEqual([]);
    expect(desired.secrets[0]?.data).toEqual({
      REGISTRY_STORAGE_S3_ACCESSKEY: sm('regops/one/registry-s3', 'accessKeyId'),
      REGISTRY_STORAGE_S3_SECRETKEY: sm('regops/one/registry-s3', 'secretAccessKey'),
    });
    expect(desired.bucket?.name).toBe('b-one');
  });

  it.each([
    { name: 'no backend', storage: '  credentials: {file: {keyfile: k}}\n', registry: undefined, code: 'storage.required', at: [3, 1] },
    { name: 'two backends', storage: '  gcs: {}\n  azure: {}\n', registry: '    gcs: {}\n', code: 'storage.backend', at: [5, 3] },
    { name: 'a field under a credentials-only backend', storage: '  gcs: {bucket: x}\n', registry: '    gcs: {}\n', code: 'storage.unknown-field', at: [4, 9] },
    { name: 'swift without a set', storage: '  swift: {}\n', registry: '    swift: {container: c}\n', code: 'storage.swift-credentials', at: [4, 3] },
    { name: 'swift partial set', storage: '  swift: {}\n  credentials:\n    file:\n      username: u\n', registry: '    swift: {container: c}\n', code: 'storage.swift-credentials', at: [6, 5] },
    { name: 'swift mixed sets', storage: '  swift: {}\n  credentials:\n    file: {username: u, userPassword: p, tokenId: t}\n', registry: '    swift: {container: c}\n', code: 'storage.swift-credentials', at: [6, 5] },
    { name: 'a key of another backend', storage: '  gcs: {}\n  credentials:\n    ssm: {accessKeyIdParameter: /x}\n', registry: '    gcs: {}\n', code: 'storage.unknown-field', at: [6, 11] },
    { name: 'ssm key missing', storage: '  ibmcos: {}\n  credentials:\n    ssm: {}\n', registry: '    ibmcos: {}\n', code: 'storage.required', at: [6, 5] },
    { name: 'backend differs from the Config', storage: '  gcs: {}\n', registry: '    azure: {accountName: a, container: c}\n', code: 'render.storage-backend-mismatch', at: [4, 5] },
    { name: 'no registry.yaml', storage: '  ibmcos: {}\n', registry: undefined, code: 'render.storage-backend-mismatch', at: [4, 3] },
    { name: 'azure without accountName', storage: '  azure: {}\n', registry: '    azure: {container: c}\n', code: 'render.azure-account', at: [4, 5] },
  ])('reports $name at FILE:LINE:COL', ({ storage, registry, code, at }) => {
    const { diagnostics } = render(storage, registry);
    const hit = diagnostics.find((d) => d.code === code);
    expect(hit, JSON.stringify(diagnostics)).toBeDefined();
    expect([hit?.line, hit?.col]).toEqual(at);
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });
});
