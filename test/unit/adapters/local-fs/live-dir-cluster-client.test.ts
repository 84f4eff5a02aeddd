// --live-dir: saved `oc get -o yaml` output (single objects, `---` streams, kind: List, nested
// must-gather folders) read as a read-only cluster, Secrets digested like a live cluster's.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEntry, ResourceRef } from '../../../../functions/core/model.ts';
import { ClusterError } from '../../../../functions/adapters/errors.ts';
import { LiveDirConnector } from '../../../../functions/adapters/local-fs/live-dir-connector.ts';
import { digestSecretBytes } from '../../../../functions/adapters/secrets/secret-value.ts';

const listDump = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: imageregistry.operator.openshift.io/v1
  kind: Config
  metadata:
    name: cluster
    resourceVersion: "4711"
  spec:
    managementState: Managed
    replicas: 2
- apiVersion: imageregistry.operator.openshift.io/v1
  kind: ImagePruner
  metadata:
    name: cluster
  spec:
    schedule: "0 0 * * *"
`;

const multiDoc = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  additionalTrustedCA:
    name: registry-cas
---
apiVersion: v1
kind: Secret
metadata:
  name: image-registry-private-configuration-user
  namespace: openshift-image-registry
data:
  REGISTRY_STORAGE_S3_ACCESSKEY: ${Buffer.from('AKIAEXAMPLE').toString('base64')}
---
`;

const mustGather = `apiVersion: v1
kind: ConfigMapList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: registry-cas, namespace: openshift-config}
  data: {registry.example.com..5000: "-----BEGIN CERTIFICATE-----"}
`;

const entry = (name: string): ClusterEntry => ({ name, labels: {}, connection: {} });

describe('live-dir cluster client', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'regops-live-'));
    mkdirSync(join(dir, 'lab-1', 'namespaces', 'openshift-config'), { recursive: true });
    writeFileSync(join(dir, 'lab-1', 'registry.yaml'), listDump);
    writeFileSync(join(dir, 'lab-1', 'image-and-secret.yml'), multiDoc);
    writeFileSync(join(dir, 'lab-1', 'namespaces', 'openshift-config', 'configmaps.yaml'), mustGather);
    writeFileSync(join(dir, 'lab-1', 'notes.txt'), 'not yaml: [');
    mkdirSync(join(dir, 'broken-1'));
    writeFileSync(join(dir, 'broken-1', 'bad.yaml'), 'kind: Config\nspec: a: b\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const found: Array<{ name: string; ref: ResourceRef; expected: Record<string, unknown> }> = [
    { name: 'an item of a kind: List', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' }, expected: { spec: { managementState: 'Managed', replicas: 2 }, metadata: { resourceVersion: '4711' } } },
    { name: 'a second List item', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', name: 'cluster' }, expected: { spec: { schedule: '0 0 * * *' } } },
    { name: 'a document of a --- stream', ref: { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' }, expected: { spec: { additionalTrustedCA: { name: 'registry-cas' } } } },
    { name: 'a namespaced object from a nested folder and a ConfigMapList', ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' }, expected: { data: { 'registry.example.com..5000': '-----BEGIN CERTIFICATE-----' } } },
    {
      name: 'a Secret, data as digests of the decoded value',
      ref: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
      expected: { data: { REGISTRY_STORAGE_S3_ACCESSKEY: digestSecretBytes('AKIAEXAMPLE') } },
    },
  ];
  it.each(found)('finds $name', async ({ ref, expected }) => {
    const client = await new LiveDirConnector(dir).connect(entry('lab-1'));
    expect(await client.get(ref)).toMatchObject(expected);
  });

  it('answers undefined for an object not saved, or saved in another namespace', async () => {
    const client = await new LiveDirConnector(dir).connect(entry('lab-1'));
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'default' })).toBeUndefined();
    expect(await client.get({ apiVersion: 'v1', kind: 'Secret', name: 'nope', namespace: 'openshift-image-registry' })).toBeUndefined();
    expect(client.requestCount).toEqual({ reads: 2, writes: 0 });
  });

  it('hands out copies: a caller mutating one does not change the next read', async () => {
    const client = await new LiveDirConnector(dir).connect(entry('lab-1'));
    const ref = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
    const first = await client.get(ref);
    (first?.['spec'] as Record<string, unknown>)['replicas'] = 9;
    expect((await client.get(ref))?.['spec']).toMatchObject({ replicas: 2 });
  });

  it('refuses writes with cluster.read-only', async () => {
    const client = await new LiveDirConnector(dir).connect(entry('lab-1'));
    const ref = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
    await expect(client.patch(ref, { spec: { replicas: 3 } })).rejects.toMatchObject({ code: 'cluster.read-only', message: expect.stringMatching(/^cluster lab-1: Config\/cluster: patch refused/) });
    await expect(client.create(ref, {})).rejects.toBeInstanceOf(ClusterError);
  });

  it('names the file and line of a YAML error, and a missing cluster folder', async () => {
    await expect(new LiveDirConnector(dir).connect(entry('broken-1'))).rejects.toMatchObject({ code: 'cluster.invalid', context: { file: 'bad.yaml', line: 2 } });
    await expect(new LiveDirConnector(dir).connect(entry('ghost-1'))).rejects.toMatchObject({ code: 'cluster.not-found', context: { cluster: 'ghost-1' } });
  });
});
