/**
 * `regops import` in core: the repository built from live objects renders (core render) back into
 * exactly what each cluster holds, so core's planCluster finds nothing to change; values are layered
 * base → groups → clusters; what the operator fills in is never imported; credentials are references.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildImportedRepository, type LiveClusterState } from '../../../../functions/core/import/build-imported-repository.ts';
import type { JsonObject } from '../../../../functions/core/model.ts';
import { planCluster } from '../../../../functions/core/plan.ts';
import { renderFleet } from '../../../../functions/core/render.ts';
import { liveCluster, loadLive } from '../support/plan-inputs.ts';

const fleetText = `apiVersion: regops/v1
kind: Fleet
metadata: {name: t}
spec:
  clusters:
    - {name: aws-a, labels: {platform: aws, env: staging}}
    - {name: aws-b, labels: {platform: aws, env: prod}}
    - {name: aws-c, labels: {platform: aws, env: prod}}
    - {name: bm-a, labels: {platform: baremetal, env: lab}}
  groups:
    - {name: aws, selector: {platform: aws}}
    - {name: prod, selector: {env: prod}}
  waves:
    - {name: all, selector: {}}
`;
const labels: Record<string, Record<string, string>> = {
  'aws-a': { platform: 'aws', env: 'staging' },
  'aws-b': { platform: 'aws', env: 'prod' },
  'aws-c': { platform: 'aws', env: 'prod' },
  'bm-a': { platform: 'baremetal', env: 'lab' },
};
const groups = [
  { name: 'aws', selector: { platform: 'aws' } },
  { name: 'prod', selector: { env: 'prod' } },
];
const pem = `-----BEGIN CERTIFICATE-----
MIIBzjCCAXOgAwIBAgIUAq1O2Zx4l9lY5l2T0XyM0D1kI3AwCgYIKoZIzj0EAwIw
-----END CERTIFICATE-----
`;

function awsConfig(spec: JsonObject): JsonObject {
  const live = loadLive('aws-config-bootstrapped');
  live['spec'] = { ...(live['spec'] as JsonObject), ...spec };
  return live;
}

function pruner(spec: JsonObject): JsonObject {
  const live = loadLive('pruner-bootstrapped');
  live['spec'] = { ...(live['spec'] as JsonObject), ...spec };
  return live;
}

function fleetStates(): LiveClusterState[] {
  return [
    { name: 'aws-a', labels: labels['aws-a'] ?? {}, config: awsConfig({ replicas: 2, logLevel: 'Debug' }), pruner: pruner({}) },
    { name: 'aws-b', labels: labels['aws-b'] ?? {}, config: awsConfig({ replicas: 3, routes: [{ name: 'public', hostname: 'r.example.com' }] }), pruner: pruner({ schedule: '0 3 * * *' }) },
    { name: 'aws-c', labels: labels['aws-c'] ?? {}, config: awsConfig({ replicas: 3, routes: [{ name: 'public', hostname: 'r.example.com' }] }), pruner: pruner({ schedule: '0 3 * * *' }) },
    { name: 'bm-a', labels: labels['bm-a'] ?? {}, config: loadLive('baremetal-config-removed'), pruner: pruner({}) },
  ];
}

function yamlOf(files: Record<string, string>, path: string): JsonObject {
  const text = files[path];
  if (text === undefined) throw new Error(`${path} not written; files: ${Object.keys(files).join(', ')}`);
  return parse(text) as JsonObject;
}

/** Renders the imported files with core and plans each cluster against what it was imported from. */
function planAgainst(files: Record<string, string>, states: readonly LiveClusterState[]) {
  const rendered = renderFleet({ commit: 'imported', files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  expect(rendered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // fleet.yaml may list clusters that were not imported: only the imported ones are planned
  return rendered.clusters.filter((desired) => states.some((s) => s.name === desired.cluster)).map((desired) => {
    const state = states.find((s) => s.name === desired.cluster);
    const objects = [state?.config, state?.pruner, state?.image].filter((o): o is JsonObject => o !== undefined);
    if (state?.trustedCas !== undefined) {
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'regops-trusted-cas', namespace: 'openshift-config' }, data: { ...state.trustedCas } });
    }
    return planCluster(desired, liveCluster(objects), { commit: 'imported' });
  });
}

describe('buildImportedRepository', () => {
  it('round trip: the imported repository renders back into what every cluster holds (no change planned)', () => {
    const states = fleetStates();
    const { files } = buildImportedRepository({ clusters: states, groups, fleetText });
    const plans = planAgainst(files, states);
    expect(plans.map((p) => [p.cluster, p.summary.create + p.summary.update + p.summary.prune])).toEqual([
      ['aws-a', 0], ['aws-b', 0], ['aws-c', 0], ['bm-a', 0],
    ]);
  });

  it('layers values: shared by all → base, by every member of a group → that group, else the cluster', () => {
    const { files } = buildImportedRepository({ clusters: fleetStates(), groups, fleetText });
    expect(Object.keys(files)).toEqual([
      'base/registry.yaml',
      'clusters/aws-a/registry.yaml',
      'clusters/bm-a/registry.yaml',
      'fleet.yaml',
      'groups/aws/registry.yaml',
      'groups/prod/pruner.yaml',
      'groups/prod/registry.yaml',
    ]);
    expect(yamlOf(files, 'base/registry.yaml')['spec']).toEqual({ rolloutStrategy: 'RollingUpdate' });
    // the three AWS clusters share Managed; the s3 backend holds only what the operator filled in at
    // bootstrap (its bucket, region, zero values), so the backend stays the operator's choice
    expect(yamlOf(files, 'groups/aws/registry.yaml')['spec']).toEqual({ managementState: 'Managed' });
    expect(yamlOf(files, 'clusters/bm-a/registry.yaml')['spec']).toEqual({ managementState: 'Removed', replicas: 1 });
    expect(yamlOf(files, 'groups/prod/registry.yaml')['spec']).toEqual({ replicas: 3, routes: [{ name: 'public', hostname: 'r.example.com' }] });
    expect(yamlOf(files, 'groups/prod/pruner.yaml')['spec']).toEqual({ schedule: '0 3 * * *' });
    expect(yamlOf(files, 'clusters/aws-a/registry.yaml')['spec']).toEqual({ logLevel: 'Debug', replicas: 2 });
    expect(fleetText).toBe(files['fleet.yaml']);
  });

  it('never imports what the operator fills in: httpSecret, the bucket it created, observedConfig, bootstrap pruner values', () => {
    const { files } = buildImportedRepository({ clusters: fleetStates(), groups, fleetText });
    const all = Object.values(files).join('\n');
    for (const word of ['httpSecret', 'observedConfig', 'image-registry-eu-west-1', 'keepTagRevisions', 'ignoreInvalidImageReferences', 'encrypt', 'virtualHostedStyle']) {
      expect(all, word).not.toContain(word);
    }
  });

  it('a value only some members of every layer share stays with each cluster that has it (no layer unsets another)', () => {
    const states = fleetStates().filter((s) => s.name !== 'bm-a');
    const first = states[0];
    if (first?.config === undefined) throw new Error('fixture');
    delete (first.config['spec'] as JsonObject)['rolloutStrategy'];
    const { files } = buildImportedRepository({ clusters: states, groups, fleetText });
    expect(yamlOf(files, 'base/registry.yaml')['spec']).toEqual({ managementState: 'Managed' });
    expect(yamlOf(files, 'groups/prod/registry.yaml')['spec']).toMatchObject({ rolloutStrategy: 'RollingUpdate' });
    expect(yamlOf(files, 'clusters/aws-a/registry.yaml')['spec']).not.toHaveProperty('rolloutStrategy');
    expect(planAgainst(files, states).map((p) => p.summary.update + p.summary.create)).toEqual([0, 0, 0]);
  });

  it('trusted CAs: a CA every cluster has goes to base/trusted-cas, one only some have to each cluster (files cannot be unset)', () => {
    const states = fleetStates().map((s) => ({
      ...s,
      image: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { additionalTrustedCA: { name: 'regops-trusted-cas' } } },
      trustedCas: s.name === 'bm-a' ? { 'mirror.example.com..5000': pem } : { 'mirror.example.com..5000': pem, 'quay.example.com': pem },
    }));
    const { files } = buildImportedRepository({ clusters: states, groups, fleetText });
    expect(files['base/trusted-cas/mirror.example.com..5000.pem']).toBe(pem);
    expect(files['groups/aws/trusted-cas/quay.example.com.pem']).toBe(pem);
    expect(Object.keys(files).filter((f) => f.includes('quay'))).toEqual(['groups/aws/trusted-cas/quay.example.com.pem']);
  });

  it('storage: an Unmanaged S3 bucket with the user secret becomes storage.yaml with references, never values', () => {
    const bm = loadLive('baremetal-config-removed');
    bm['spec'] = { ...(bm['spec'] as JsonObject), managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-registry-bm-a', region: 'us-east-1' } } };
    const state: LiveClusterState = {
      name: 'bm-a', labels: labels['bm-a'] ?? {}, config: bm,
      storageSecretKeys: ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY'],
      bucket: { region: 'us-east-1', tags: { 'regops.io/cluster': 'bm-a', team: 'platform' }, encryption: { algorithm: 'AES256', bucketKeyEnabled: true } },
    };
    const { files, notes } = buildImportedRepository({ clusters: [state], groups: [] });
    expect(yamlOf(files, 'clusters/bm-a/storage.yaml')).toEqual({
      apiVersion: 'regops/v1', kind: 'RegistryStorage',
      spec: {
        credentials: { secretsManager: { secretId: 'regops/bm-a/registry-s3', accessKeyIdKey: 'accessKeyId', secretAccessKeyKey: 'secretAccessKey' } },
        s3: { bucket: 'acme-registry-bm-a', region: 'us-east-1', tags: { team: 'platform' } },
      },
    });
    // storage.yaml renders spec.storage.s3 and storage.managementState itself
    expect(JSON.stringify(yamlOf(files, 'base/registry.yaml'))).not.toContain('acme-registry-bm-a');
    expect(notes).toEqual([{ cluster: 'bm-a', message: expect.stringContaining('regops/bm-a/registry-s3') as unknown as string }]);
    const fleet = yamlOf(files, 'fleet.yaml');
    expect(fleet['spec']).toMatchObject({ clusters: [{ name: 'bm-a', labels: { platform: 'baremetal', env: 'lab' } }] });
  });

  it('a regops-managed object: exactly the fields of its owned-fields annotation are imported', () => {
    const config = awsConfig({ replicas: 3, logLevel: 'Debug' });
    (config['metadata'] as JsonObject)['annotations'] = { 'regops.io/owned-fields': '["spec.replicas"]' };
    const { files } = buildImportedRepository({ clusters: [{ name: 'aws-a', labels: {}, config }], groups: [] });
    expect(yamlOf(files, 'base/registry.yaml')['spec']).toEqual({ replicas: 3 });
  });
});
