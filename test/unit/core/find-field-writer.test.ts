/**
 * Who changed a drifted field: the latest non-regops manager in managedFields holding the path
 * (FieldsV1 as the API server writes it), carried on the diff's changes.
 */
import { describe, expect, it } from 'vitest';
import { diffObject } from '../../../functions/core/diff.ts';
import { findFieldWriter, formatFieldWriter } from '../../../functions/core/find-field-writer.ts';
import type { JsonObject } from '../../../functions/core/model.ts';
import { getValueComparator } from '../../../functions/core/normalize.ts';

// managedFields as a real API server records a regops merge patch, the operator's update and a hand `kubectl patch`
const live: JsonObject = {
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: {
    name: 'cluster',
    annotations: { 'regops.io/owned-fields': '["spec.logLevel","spec.replicas","spec.routes"]' },
    managedFields: [
      { manager: 'regops', operation: 'Update', apiVersion: 'imageregistry.operator.openshift.io/v1', time: '2026-12-04T09:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:logLevel': {}, 'f:routes': {} } } },
      { manager: 'cluster-image-registry-operator', operation: 'Update', apiVersion: 'imageregistry.operator.openshift.io/v1', time: '2026-12-04T09:00:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:httpSecret': {}, 'f:storage': { 'f:s3': { 'f:bucket': {} } } } } },
      { manager: 'cluster-image-registry-operator', operation: 'Update', subresource: 'status', time: '2026-12-04T12:30:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:readyReplicas': {} } } },
      { manager: 'kubectl-patch', operation: 'Update', apiVersion: 'imageregistry.operator.openshift.io/v1', time: '2026-12-04T12:03:41Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ],
  },
  spec: { replicas: 1, logLevel: 'Debug', routes: [{ name: 'a', hostname: 'a.example.com' }], httpSecret: 'x', storage: { s3: { bucket: 'b' } } },
};

describe('findFieldWriter', () => {
  const cases: Array<{ name: string; path: Array<string | number>; expected: string | undefined }> = [
    { name: 'a field patched by hand', path: ['spec', 'replicas'], expected: 'kubectl-patch (Update), 2026-12-04 12:03 UTC' },
    { name: 'a field only regops holds', path: ['spec', 'logLevel'], expected: undefined },
    { name: 'a field the operator writes', path: ['spec', 'storage', 's3', 'bucket'], expected: 'cluster-image-registry-operator (Update), 2026-12-04 09:00 UTC' },
    { name: 'a map holding a field the operator wrote', path: ['spec', 'storage'], expected: 'cluster-image-registry-operator (Update), 2026-12-04 09:00 UTC' },
    { name: 'a field nobody holds (deleted)', path: ['spec', 'proxy'], expected: undefined },
    { name: 'status writes never count for spec', path: ['status', 'readyReplicas'], expected: undefined },
  ];
  it.each(cases)('$name', ({ path, expected }) => {
    const writer = findFieldWriter(live, path);
    expect(writer === undefined ? undefined : formatFieldWriter(writer)).toBe(expected);
  });

  it('without managedFields (a saved `oc get` dump) the writer is unknown', () => {
    expect(findFieldWriter({ metadata: { name: 'cluster' }, spec: { replicas: 1 } }, ['spec', 'replicas'])).toBeUndefined();
  });

  it('the diff names the writer of each drifted live value, and none for a field absent live', () => {
    const diff = diffObject({
      desired: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 3, logLevel: 'Normal', defaultRoute: true } },
      live,
      comparator: getValueComparator('imageregistry.operator.openshift.io/v1', 'Config'),
    });
    expect(diff.changes.map((c) => [c.path, c.op, c.writer?.manager])).toEqual([
      ['spec.defaultRoute', 'add', undefined],
      ['spec.logLevel', 'change', undefined],
      ['spec.replicas', 'change', 'kubectl-patch'],
      ['spec.routes', 'remove', undefined],
    ]);
  });
});
