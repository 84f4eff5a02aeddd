import { describe, expect, it } from 'vitest';
import type { DesiredCluster, DestructiveAllowance, JsonObject } from '../../../functions/core/model.ts';
import { registryRules, runRegistryRules } from '../../../functions/core/registry-rules.ts';

interface Case {
  name: string;
  config?: JsonObject;
  image?: JsonObject;
  pruner?: JsonObject;
  allow?: DestructiveAllowance[];
  pvc?: DesiredCluster['pvcAccessMode'];
  platform?: string;
  /** [code, severity, path] of every finding. */
  expected: Array<[string, string, string]>;
}

function cluster(c: Case): DesiredCluster {
  const objects: DesiredCluster['objects'] = [];
  const add = (apiVersion: string, kind: string, spec: JsonObject | undefined) => {
    if (spec === undefined) return;
    objects.push({ ref: { apiVersion, kind, name: 'cluster' }, body: { apiVersion, kind, metadata: { name: 'cluster' }, spec }, positions: { spec: { file: 'f.yaml', line: 1, col: 1 } } });
  };
  add('config.openshift.io/v1', 'Image', c.image);
  add('imageregistry.operator.openshift.io/v1', 'Config', c.config);
  add('imageregistry.operator.openshift.io/v1', 'ImagePruner', c.pruner);
  return {
    cluster: 'c1', labels: c.platform === undefined ? {} : { platform: c.platform }, groups: [], policy: 'inform', objects, secrets: [],
    allow: c.allow ?? [], ...(c.pvc === undefined ? {} : { pvcAccessMode: c.pvc }),
  };
}

const cases: Case[] = [
  { name: 'a healthy S3 config', config: { managementState: 'Managed', replicas: 3, storage: { s3: { bucket: 'b' } }, rolloutStrategy: 'RollingUpdate' }, expected: [] },
  { name: 'replicas 2 on emptyDir', config: { replicas: 2, storage: { emptyDir: {} } }, expected: [['registry.replicas-shared-storage', 'error', 'spec.replicas']] },
  { name: 'replicas 1 on emptyDir', config: { replicas: 1, storage: { emptyDir: {} } }, expected: [] },
  { name: 'replicas 2 on an RWO claim with Recreate', config: { replicas: 2, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'c' } } }, pvc: 'ReadWriteOnce', expected: [['registry.replicas-shared-storage', 'error', 'spec.replicas']] },
  { name: 'RWO claim, 1 replica, default strategy', config: { replicas: 1, storage: { pvc: { claim: 'c' } } }, pvc: 'ReadWriteOnce', expected: [['registry.rwo-pvc-recreate', 'error', 'spec.storage.pvc']] },
  { name: 'RWO claim, 1 replica, RollingUpdate', config: { replicas: 1, rolloutStrategy: 'RollingUpdate', storage: { pvc: { claim: 'c' } } }, pvc: 'ReadWriteOnce', expected: [['registry.rwo-pvc-recreate', 'error', 'spec.rolloutStrategy']] },
  { name: 'RWO claim, 1 replica, Recreate', config: { replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'c' } } }, pvc: 'ReadWriteOnce', expected: [] },
  { name: 'RWX claim, 3 replicas', config: { replicas: 3, storage: { pvc: { claim: 'c' } } }, pvc: 'ReadWriteMany', expected: [] },
  { name: 'undeclared claim, 2 replicas', config: { replicas: 2, storage: { pvc: { claim: 'c' } } }, expected: [['registry.pvc-access-mode-unknown', 'warning', 'spec.replicas']] },
  { name: 'two backends', config: { storage: { s3: {}, pvc: { claim: 'c' } } }, expected: [['registry.single-storage-backend', 'error', 'spec.storage.pvc']] },
  { name: 'oss', config: { storage: { oss: { bucket: 'abc' } } }, expected: [['registry.no-oss', 'error', 'spec.storage.oss']] },
  { name: 'negative replicas', config: { replicas: -1 }, expected: [['registry.replicas-non-negative', 'error', 'spec.replicas']] },
  { name: 'default-route and duplicate route names', config: { routes: [{ name: 'default-route' }, { name: 'a' }, { name: 'a' }] }, expected: [['registry.route-names', 'error', 'spec.routes[0].name'], ['registry.route-names', 'error', 'spec.routes[2].name']] },
  { name: 'httpSecret literal', config: { httpSecret: 'abc' }, expected: [['registry.http-secret-literal', 'error', 'spec.httpSecret']] },
  { name: 'httpSecret cleared without allowance', config: { httpSecret: '' }, expected: [['registry.http-secret-rotation', 'error', 'spec.httpSecret']] },
  { name: 'httpSecret cleared with allowance', config: { httpSecret: '' }, allow: ['http-secret-rotation'], expected: [] },
  { name: 'chunk size out of range', config: { storage: { s3: { chunkSizeMiB: 5121 } } }, expected: [['registry.s3-chunk-size', 'error', 'spec.storage.s3.chunkSizeMiB']] },
  { name: 'Removed without allowance', config: { managementState: 'Removed' }, expected: [['registry.removed-needs-allow', 'error', 'spec.managementState']] },
  { name: 'Removed with allowance', config: { managementState: 'Removed' }, allow: ['remove'], expected: [] },
  { name: 'Managed bare metal without storage', config: { managementState: 'Managed' }, platform: 'baremetal', expected: [['registry.managed-without-storage', 'warning', 'spec.managementState']] },
  { name: 'Managed AWS without storage in Git', config: { managementState: 'Managed' }, platform: 'aws', expected: [] },
  { name: 'azure internal without type Internal', config: { storage: { azure: { networkAccess: { type: 'External', internal: { vnetName: 'v' } } } } }, expected: [['registry.azure-network-access', 'error', 'spec.storage.azure.networkAccess.internal']] },
  { name: 'azure internal with type Internal', config: { storage: { azure: { networkAccess: { type: 'Internal', internal: { vnetName: 'v' } } } } }, expected: [] },
  { name: 'blocked and allowed registries', image: { registrySources: { blockedRegistries: ['a.io'], allowedRegistries: ['b.io'] } }, expected: [['image.registry-sources-exclusive', 'error', 'spec.registrySources.allowedRegistries']] },
  { name: 'registry entry with a tag', image: { registrySources: { allowedRegistries: ['quay.io/org', '*.example.com', 'reg.io:5000/a/b', 'quay.io/org/img:latest'] } }, expected: [['image.registry-entry', 'warning', 'spec.registrySources.allowedRegistries[3]']] },
  { name: 'pruner schedule', pruner: { schedule: 'every night' }, expected: [['pruner.schedule', 'error', 'spec.schedule']] },
  { name: 'pruner macro and five fields', pruner: { schedule: '@daily' }, expected: [] },
  { name: 'pruner scheduled while the registry is Removed', config: { managementState: 'Removed' }, allow: ['remove'], pruner: { schedule: '0 3 * * *' }, expected: [['pruner.registry-removed', 'warning', 'spec']] },
  { name: 'pruner suspended while the registry is Removed', config: { managementState: 'Removed' }, allow: ['remove'], pruner: { suspend: true }, expected: [] },
  { name: 'pruner with an Unmanaged registry (the Service stays, it prunes)', config: { managementState: 'Unmanaged' }, pruner: { schedule: '0 3 * * *' }, expected: [] },
  { name: 'an empty Config', config: {}, expected: [] },
];

describe('registry rules', () => {
  it.each(cases)('$name', (c) => {
    const found = registryRules.flatMap((rule) => rule.check(cluster(c)));
    expect(found.map((f) => [f.code, f.severity, f.path])).toEqual(c.expected);
    for (const f of found) expect(f.hint).not.toBe('');
  });

  it('refuses status in Git', () => {
    const c = cluster({ name: 's', config: {}, expected: [] });
    const config = c.objects[0];
    if (config === undefined) throw new Error('no object');
    config.body['status'] = { readyReplicas: 1 };
    expect(runRegistryRules(c).map((d) => d.code)).toEqual(['registry.no-status']);
  });

  it.each([
    { name: 'a ConfigMap within 1 MiB', size: 900 * 1024, codes: [] },
    { name: 'a ConfigMap over 1 MiB', size: 1024 * 1024, codes: ['ca.configmap-size'] },
  ])('trusted-CA size: $name', ({ size, codes }) => {
    const c = cluster({ name: 'cm', expected: [] });
    c.objects.push({ ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'regops-trusted-cas', namespace: 'openshift-config' }, body: { data: { 'a.example.com': 'x'.repeat(size) } }, positions: { 'data["a.example.com"]': { file: 'a.pem', line: 1, col: 1 } } });
    expect(runRegistryRules(c).map((d) => d.code)).toEqual(codes);
  });

  it('every rule has a unique code', () => {
    const codes = registryRules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('turns findings into diagnostics at the nearest Git position', () => {
    const diagnostics = runRegistryRules(cluster({ name: 'x', config: { replicas: -1 }, expected: [] }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'registry.replicas-non-negative', file: 'f.yaml', line: 1, col: 1, cluster: 'c1', path: 'spec.replicas' })]);
  });
});
