import { describe, expect, it } from 'vitest';
import { OWNED_FIELDS_ANNOTATION, type JsonObject } from '../../../functions/core/model.ts';
import { getValueComparator, strictComparator } from '../../../functions/core/normalize.ts';
import { collectOwnedLeaves, readOwnedFields } from '../../../functions/core/owned-leaves.ts';

const config = getValueComparator('imageregistry.operator.openshift.io/v1', 'Config');

describe('collectOwnedLeaves', () => {
  const cases: Array<{ name: string; body: JsonObject; paths: string[] }> = [
    {
      name: 'scalars and lists are leaves; identity is not owned',
      body: { apiVersion: 'x/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 2, routes: [{ name: 'a' }] } },
      paths: ['spec.replicas', 'spec.routes'],
    },
    { name: 'atomic maps are one leaf', body: { spec: { requests: { read: { maxRunning: 1 } }, resources: { limits: { cpu: '1' } } } }, paths: ['spec.requests', 'spec.resources'] },
    { name: 'a storage backend map is owned even empty', body: { spec: { storage: { emptyDir: {}, managementState: 'Managed' } } }, paths: ['spec.storage.emptyDir', 'spec.storage.managementState'] },
    { name: 'other empty maps and nulls own nothing', body: { spec: { proxy: {}, nodeSelector: null, storage: { managementState: null } } }, paths: [] },
    { name: 'a backend whose fields are all null still owns its presence', body: { spec: { storage: { s3: { bucket: null } } } }, paths: ['spec.storage.s3'] },
    { name: 'labels and annotations, but not regops.io ones', body: { metadata: { name: 'c', labels: { team: 'a' }, annotations: { 'regops.io/allow': 'remove', note: 'x' } } }, paths: ['metadata.annotations.note', 'metadata.labels.team'] },
    { name: 'keys with dots are bracketed', body: { data: { 'registry.example.com..5000': 'PEM', plain: 'x' } }, paths: ['data.plain', 'data["registry.example.com..5000"]'] },
    { name: 'status is never owned', body: { status: { readyReplicas: 1 } }, paths: [] },
  ];
  it.each(cases)('$name', ({ body, paths }) => {
    const comparator = 'data' in body ? strictComparator : config;
    expect(collectOwnedLeaves(body, comparator).map((leaf) => leaf.path)).toEqual(paths);
  });
});

describe('readOwnedFields', () => {
  const withAnnotation = (value: string): JsonObject => ({ metadata: { annotations: { [OWNED_FIELDS_ANNOTATION]: value } } });
  const cases: Array<{ name: string; live: JsonObject | undefined; paths: string[] }> = [
    { name: 'a JSON array of paths', live: withAnnotation('["spec.replicas","data[\\"a.b\\"]"]'), paths: ['spec.replicas', 'data["a.b"]'] },
    { name: 'no object', live: undefined, paths: [] },
    { name: 'no annotation', live: { metadata: {} }, paths: [] },
    { name: 'not JSON: owns nothing, so nothing is removed', live: withAnnotation('spec.replicas'), paths: [] },
    { name: 'not an array', live: withAnnotation('{"spec.replicas":true}'), paths: [] },
    { name: 'non-string and empty items are dropped', live: withAnnotation('["spec.replicas",3,""]'), paths: ['spec.replicas'] },
  ];
  it.each(cases)('$name', ({ live, paths }) => {
    expect(readOwnedFields(live)).toEqual(paths);
  });
});
