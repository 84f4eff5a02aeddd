import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors.ts';
import type { ConfigSnapshot, DesiredCluster } from '../../../functions/core/model.ts';
import { renderCluster, renderFleet } from '../../../functions/core/render.ts';

const validCa = readFileSync(join(import.meta.dirname, '../../fixtures/cas/valid.pem'), 'utf8');

const fleetYaml = `apiVersion: regops/v1
kind: Fleet
metadata: {name: t}
spec:
  clusters:
    - {name: one, labels: {env: prod, platform: aws}}
    - {name: two, labels: {env: dev, platform: baremetal}}
  groups:
    - {name: aws, selector: {platform: aws}}
    - {name: prod, selector: {env: prod}}
  waves:
    - {name: all, selector: {}}
  policy: {default: inform, overrides: [{group: prod, policy: enforce}]}
`;

function snapshot(files: Record<string, string>, prefix = ''): ConfigSnapshot {
  return { commit: 'c1', files: Object.entries({ 'fleet.yaml': fleetYaml, ...files }).map(([path, content]) => ({ path: prefix + path, content })) };
}

function render(files: Record<string, string>, cluster = 'one', prefix = '') {
  const result = renderFleet(snapshot(files, prefix));
  const desired = result.clusters.find((c) => c.cluster === cluster);
  if (desired === undefined) throw new Error(`no cluster ${cluster}`);
  return { desired, diagnostics: result.diagnostics };
}

function bodyOf(desired: DesiredCluster, kind: string) {
  return desired.objects.find((o) => o.ref.kind === kind);
}

describe('renderCluster layering', () => {
  const files = {
    'base/registry.yaml': 'spec:\n  managementState: Managed\n  logLevel: Normal\n  disableRedirect: false\n  routes:\n    - name: a\n',
    'groups/aws/registry.yaml': 'spec:\n  replicas: 2\n  logLevel: Debug\n',
    'groups/prod/registry.yaml': 'spec:\n  replicas: 3\n  routes:\n    - name: b\n',
    'clusters/one/registry.yaml': 'spec:\n  disableRedirect: null\n',
  };
  const { desired, diagnostics } = render(files);
  const config = bodyOf(desired, 'Config');

  it('applies base, groups in fleet order, then the cluster', () => {
    expect(diagnostics).toEqual([]);
    expect(desired.groups).toEqual(['aws', 'prod']);
    expect(desired.policy).toBe('enforce');
    expect(config?.body).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { logLevel: 'Debug', managementState: 'Managed', replicas: 3, routes: [{ name: 'b' }] },
    });
  });

  it('keeps apiVersion, kind, metadata first and other keys sorted', () => {
    expect(Object.keys(config?.body ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys((config?.body['spec'] ?? {}) as object)).toEqual(['logLevel', 'managementState', 'replicas', 'routes']);
  });

  it('keeps a top-level field named like an Object.prototype member (the schema check, not render, rejects it)', () => {
    const odd = bodyOf(render({ ...files, 'clusters/one/registry.yaml': 'constructor: x\nspec:\n  replicas: 1\n' }).desired, 'Config');
    expect(Object.keys(odd?.body ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'constructor', 'spec']);
    expect(odd?.body['constructor']).toBe('x');
  });

  it.each([
    ['spec.replicas', 'groups/prod/registry.yaml', 2],
    ['spec.logLevel', 'groups/aws/registry.yaml', 3],
    ['spec.managementState', 'base/registry.yaml', 2],
    ['spec.routes[0].name', 'groups/prod/registry.yaml', 4],
  ])('positions %s at the layer that set it last', (path, file, line) => {
    expect(config?.positions[path]).toMatchObject({ file, line });
  });

  it('drops a field an overlay sets to null (not owned)', () => {
    expect(config?.positions['spec.disableRedirect']).toBeUndefined();
    const other = render(files, 'two').desired;
    expect((bodyOf(other, 'Config')?.body['spec'] as Record<string, unknown>)['disableRedirect']).toBe(false);
  });

  it('throws ConfigError for a cluster not in the fleet', () => {
    const fleet = renderFleet(snapshot(files)).fleet;
    expect(() => renderCluster(fleet, snapshot(files), 'nope')).toThrow(ConfigError);
    expect(renderCluster(fleet, snapshot(files), 'one').desired).toEqual(desired);
  });

  it('finds the repository root under a prefix and keeps full paths', () => {
    const prefixed = render(files, 'one', 'config/');
    expect(bodyOf(prefixed.desired, 'Config')?.positions['spec.replicas']?.file).toBe('config/groups/prod/registry.yaml');
  });
});

describe('renderCluster storage.yaml', () => {
  const storage = `apiVersion: regops/v1
kind: RegistryStorage
spec:
  s3:
    bucket: acme-\${cluster}
    region: eu-west-1
    endpoint: https://s3.acme.internal
    encryption: {type: SSE-KMS, kmsKeyId: arn:aws:kms:eu-west-1:111122223333:key/k}
    tags: {team: platform}
`;
  const { desired, diagnostics } = render({ 'groups/aws/storage.yaml': storage, 'base/registry.yaml': 'spec:\n  replicas: 2\n' });

  it('renders the bucket with regops tags', () => {
    expect(diagnostics).toEqual([]);
    expect(desired.bucket).toMatchObject({
      name: 'acme-one',
      region: 'eu-west-1',
      endpoint: 'https://s3.acme.internal',
      encryption: { type: 'SSE-KMS', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k' },
      tags: { team: 'platform', 'regops.io/cluster': 'one', 'regops.io/managed-by': 'regops' },
      origin: { file: 'groups/aws/storage.yaml', line: 5, col: 5 },
    });
  });

  it('renders the user storage secret as references (conventional Secrets Manager secret)', () => {
    expect(desired.secrets).toEqual([{
      ref: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
      data: {
        REGISTRY_STORAGE_S3_ACCESSKEY: { source: 'secretsmanager', id: 'regops/one/registry-s3', key: 'accessKeyId' },
        REGISTRY_STORAGE_S3_SECRETKEY: { source: 'secretsmanager', id: 'regops/one/registry-s3', key: 'secretAccessKey' },
      },
      origin: { file: 'groups/aws/storage.yaml', line: 3, col: 1 },
    }]);
  });

  it('points the Config at the bucket with storage Unmanaged', () => {
    const config = bodyOf(desired, 'Config');
    expect(config?.body['spec']).toEqual({
      replicas: 2,
      storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-one', region: 'eu-west-1', regionEndpoint: 'https://s3.acme.internal' } },
    });
    expect(config?.positions['spec.storage.s3.bucket']).toEqual({ file: 'groups/aws/storage.yaml', line: 5, col: 5 });
  });

  it('reads SSM and file credential sources', () => {
    const ssm = render({ 'clusters/one/storage.yaml': 'apiVersion: regops/v1\nkind: RegistryStorage\nspec:\n  s3: {bucket: b-one, region: us-east-1}\n  credentials:\n    ssm: {accessKeyIdParameter: /r/ak, secretAccessKeyParameter: /r/sk}\n' }).desired;
    expect(ssm.secrets[0]?.data).toEqual({ REGISTRY_STORAGE_S3_ACCESSKEY: { source: 'ssm', id: '/r/ak' }, REGISTRY_STORAGE_S3_SECRETKEY: { source: 'ssm', id: '/r/sk' } });
    expect(ssm.bucket?.encryption).toEqual({ type: 'SSE-S3' });
  });

  it.each([
    { name: 'two credential sources', yaml: '  s3: {bucket: b-one, region: r}\n  credentials: {ssm: {accessKeyIdParameter: a, secretAccessKeyParameter: b}, file: {accessKeyId: a, secretAccessKey: b}}\n', code: 'storage.credentials' },
    { name: 'missing region', yaml: '  s3: {bucket: b-one}\n', code: 'storage.required' },
    { name: 'unknown encryption', yaml: '  s3: {bucket: b-one, region: r, encryption: {type: AES}}\n', code: 'storage.encryption' },
    { name: 'reserved tag', yaml: '  s3: {bucket: b-one, region: r, tags: {regops.io/cluster: x}}\n', code: 'storage.tags' },
    { name: 'typo', yaml: '  s3: {bucket: b-one, region: r, regon: x}\n', code: 'storage.unknown-field' },
    { name: 'endpoint not a URL', yaml: '  s3: {bucket: b-one, region: r, endpoint: s3.local}\n', code: 'storage.endpoint' },
    { name: 'endpoint over plain http', yaml: '  s3: {bucket: b-one, region: r, endpoint: "http://s3.acme.internal"}\n', code: 'storage.endpoint' },
    { name: 'endpoint with user info', yaml: '  s3: {bucket: b-one, region: r, endpoint: "https://ak:sk@s3.acme.internal"}\n', code: 'storage.endpoint' },
    { name: 'adopt not a boolean', yaml: '  s3: {bucket: b-one, region: r, adopt: "yes"}\n', code: 'storage.type' },
  ])('reports $name', ({ yaml, code }) => {
    const result = render({ 'clusters/one/storage.yaml': `apiVersion: regops/v1\nkind: RegistryStorage\nspec:\n${yaml}` });
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    expect(result.diagnostics.every((d) => d.file === 'clusters/one/storage.yaml' && d.line >= 4)).toBe(true);
  });
});

describe('renderCluster storage.yaml adopt and the fleet endpoint allow-list', () => {
  const storage = (endpoint: string, adopt = ''): Record<string, string> => ({ 'clusters/one/storage.yaml': `apiVersion: regops/v1\nkind: RegistryStorage\nspec:\n  s3:\n    bucket: b-one\n    region: r\n    endpoint: ${endpoint}\n${adopt}` });
  const withHosts = (hosts: string[]) => (files: Record<string, string>) => renderFleet({
    commit: 'c1',
    files: Object.entries({ 'fleet.yaml': `${fleetYaml}  storage:\n    s3EndpointHosts: [${hosts.map((h) => JSON.stringify(h)).join(', ')}]\n`, ...files }).map(([path, content]) => ({ path, content })),
  }).diagnostics;

  it('adopt: true reaches the desired bucket; absent means not adopted', () => {
    expect(render(storage('https://s3.acme.internal', '    adopt: true\n')).desired.bucket?.adopt).toBe(true);
    expect(render(storage('https://s3.acme.internal')).desired.bucket).not.toHaveProperty('adopt');
  });

  it.each([
    { endpoint: 'https://minio.lab.example.com', hosts: ['minio.lab.example.com'], allowed: true },
    { endpoint: 'https://minio.lab.example.com:9000/', hosts: ['minio.lab.example.com'], allowed: true },
    { endpoint: 'https://minio.lab.example.com:9000', hosts: ['minio.lab.example.com:443'], allowed: false },
    { endpoint: 'https://a.s3.example.com', hosts: ['*.s3.example.com'], allowed: true },
    { endpoint: 'https://s3.example.com', hosts: ['*.s3.example.com'], allowed: false },
    { endpoint: 'https://evil-s3.example.com', hosts: ['*.s3.example.com'], allowed: false },
    { endpoint: 'https://attacker.example.net', hosts: ['minio.lab.example.com'], allowed: false },
    { endpoint: 'https://attacker.example.net', hosts: [], allowed: false },
  ])('$endpoint with s3EndpointHosts $hosts: allowed $allowed', ({ endpoint, hosts, allowed }) => {
    const diagnostics = withHosts(hosts)(storage(endpoint)).filter((d) => d.code === 'storage.endpoint-host');
    if (allowed) expect(diagnostics).toEqual([]);
    else expect(diagnostics.map((d) => [d.file, d.line, d.cluster])).toEqual([['clusters/one/storage.yaml', 7, 'one']]);
  });

  it('without s3EndpointHosts any https endpoint is accepted', () => {
    expect(render(storage('https://attacker.example.net')).diagnostics).toEqual([]);
  });
});

describe('renderCluster trusted CAs, annotations, identity', () => {
  it('renders one ConfigMap before the images.config that points at it', () => {
    const { desired } = render({
      'base/trusted-cas/mirror.example.com..5000.pem': validCa,
      'groups/prod/trusted-cas/quay.example.com.pem': validCa,
      'groups/prod/image.yaml': 'spec:\n  allowedRegistriesForImport: [{domainName: quay.io}]\n',
    });
    expect(desired.objects.map((o) => o.ref.kind)).toEqual(['ConfigMap', 'Image']);
    const configMap = desired.objects[0];
    expect(configMap?.ref).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'regops-trusted-cas', namespace: 'openshift-config' });
    expect(Object.keys((configMap?.body['data'] ?? {}) as object)).toEqual(['mirror.example.com..5000', 'quay.example.com']);
    expect(desired.objects[1]?.body['spec']).toEqual({ additionalTrustedCA: { name: 'regops-trusted-cas' }, allowedRegistriesForImport: [{ domainName: 'quay.io' }] });
    expect(render({}, 'one').desired.objects).toEqual([]);
  });

  it('reports an image.yaml pointing additionalTrustedCA elsewhere while trusted-cas exist', () => {
    const { diagnostics } = render({
      'base/trusted-cas/mirror.example.com.pem': validCa,
      'base/image.yaml': 'spec:\n  additionalTrustedCA: {name: mine}\n',
    });
    // base/ applies to both clusters: renderFleet reports per cluster (validate de-duplicates)
    expect(diagnostics.filter((d) => d.cluster === 'one').map((d) => [d.code, d.file, d.line])).toEqual([['render.trusted-ca-conflict', 'base/image.yaml', 2]]);
    expect(diagnostics).toHaveLength(2);
  });

  it('reads and strips regops annotations', () => {
    const { desired, diagnostics } = render({
      'clusters/one/registry.yaml': 'metadata:\n  annotations:\n    regops.io/allow: "remove, storage-change"\n    regops.io/pvc-access-mode: ReadWriteOnce\n    team: x\nspec:\n  managementState: Removed\n',
    });
    expect(diagnostics).toEqual([]);
    expect(desired.allow).toEqual(['remove', 'storage-change']);
    expect(desired.pvcAccessMode).toBe('ReadWriteOnce');
    expect(bodyOf(desired, 'Config')?.body['metadata']).toEqual({ name: 'cluster', annotations: { team: 'x' } });
  });

  it.each([
    { name: 'unknown allowance', file: 'metadata:\n  annotations: {regops.io/allow: remov}\n', code: 'render.allow', line: 2 },
    { name: 'bad access mode', file: 'metadata:\n  annotations: {regops.io/pvc-access-mode: RWO}\n', code: 'render.pvc-access-mode', line: 2 },
    { name: 'wrong kind', file: 'kind: Deployment\n', code: 'render.identity', line: 1 },
    { name: 'wrong name', file: 'metadata: {name: registry}\n', code: 'render.identity', line: 1 },
    { name: 'not a map', file: '- a\n', code: 'render.not-a-map', line: 1 },
  ])('reports $name', ({ file, code, line }) => {
    const { diagnostics } = render({ 'clusters/one/registry.yaml': file });
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([[code, 'clusters/one/registry.yaml', line]]);
  });
});

describe('null means not owned', () => {
  it('an empty claim renders an owned, empty pvc map and leaves the claim to the operator', () => {
    const { desired, diagnostics } = render({ 'clusters/one/registry.yaml': 'spec:\n  storage:\n    pvc:\n      claim:\n' });
    expect(diagnostics).toEqual([]);
    expect(bodyOf(desired, 'Config')?.body['spec']).toEqual({ storage: { pvc: {} } });
    expect(bodyOf(desired, 'Config')?.positions['spec.storage.pvc.claim']).toBeUndefined();
  });
});

describe('renderFleet', () => {
  it('does not depend on the order of files in the snapshot (property)', () => {
    const files = snapshot({
      'base/registry.yaml': 'spec:\n  replicas: 1\n  logLevel: Normal\n',
      'groups/aws/registry.yaml': 'spec:\n  replicas: 2\n',
      'groups/prod/registry.yaml': 'spec:\n  replicas: 3\n',
      'clusters/one/registry.yaml': 'spec:\n  logLevel: Debug\n',
      'base/trusted-cas/b.example.com.pem': validCa,
      'groups/prod/trusted-cas/a.example.com.pem': validCa,
    }).files;
    const expected = renderFleet({ commit: 'c', files });
    fc.assert(fc.property(fc.shuffledSubarray(files, { minLength: files.length }), (shuffled) => {
      expect(renderFleet({ commit: 'c', files: shuffled })).toEqual(expected);
    }), { numRuns: 30 });
  });

  it('renders clusters in name order and flags orphan folders and unknown files', () => {
    const result = renderFleet(snapshot({ 'clusters/three/registry.yaml': 'spec: {}\n', 'groups/prod/regsitry.yaml': 'spec: {}\n', 'base/README.md': 'notes' }));
    expect(result.clusters.map((c) => c.cluster)).toEqual(['one', 'two']);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.file]).sort()).toEqual([
      ['config.orphan-directory', 'warning', 'clusters/three/registry.yaml'],
      ['config.unknown-file', 'warning', 'groups/prod/regsitry.yaml'],
    ]);
    expect(result.diagnostics.find((d) => d.code === 'config.unknown-file')?.message).toContain('did you mean "registry.yaml"');
  });

  it('reports a missing fleet.yaml', () => {
    const result = renderFleet({ commit: 'x', files: [{ path: 'base/registry.yaml', content: 'spec: {}\n' }] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['config.no-fleet']);
    expect(result.clusters).toEqual([]);
  });
});
