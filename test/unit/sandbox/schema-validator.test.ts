import { describe, expect, it } from 'vitest';
import type { JsonMap } from '../../../functions/sandbox/json-value.ts';
import { findResource } from '../../../functions/sandbox/resource-catalog.ts';
import { applySchema } from '../../../functions/sandbox/schema-validator.ts';

const configInfo = findResource('imageregistry.operator.openshift.io/v1', 'configs');
const imageInfo = findResource('config.openshift.io/v1', 'images');
if (configInfo === undefined || imageInfo === undefined) throw new Error('catalog is missing the registry CRDs');

function config(spec: JsonMap): JsonMap {
  return { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec };
}

describe('applySchema with the real Config CRD schema', () => {
  it('injects schema defaults (registry-operator.md §2: logLevel, operatorLogLevel Normal)', () => {
    const { object, outcome } = applySchema(configInfo.schema, config({ replicas: 1 }));
    expect(outcome.causes).toEqual([]);
    expect(object['spec']).toEqual({ replicas: 1, logLevel: 'Normal', operatorLogLevel: 'Normal' });
  });

  it('defaults inside a newly present object (s3.cloudFront.privateKey.name "")', () => {
    const { object } = applySchema(configInfo.schema, config({ replicas: 1, storage: { s3: { cloudFront: { baseURL: 'https://x', keypairID: 'k', privateKey: { key: 'pem' } } } } }));
    expect(((object['spec'] as JsonMap)['storage'] as { s3: { cloudFront: { privateKey: unknown } } }).s3.cloudFront.privateKey).toEqual({ key: 'pem', name: '' });
  });

  const invalid: Array<[string, JsonMap, { field: string; reason: string; message: string }]> = [
    ['enum', { replicas: 1, logLevel: 'Loud' }, { field: 'spec.logLevel', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Loud": supported values: "", "Normal", "Debug", "Trace", "TraceAll"' }],
    ['pattern', { replicas: 1, managementState: 'Sometimes' }, { field: 'spec.managementState', reason: 'FieldValueInvalid', message: `Invalid value: "Sometimes": spec.managementState in body should match '^(Managed|Unmanaged|Force|Removed)$'` }],
    ['type', { replicas: 'two' }, { field: 'spec.replicas', reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"' }],
    ['required', { logLevel: 'Normal' }, { field: 'spec.replicas', reason: 'FieldValueRequired', message: 'Required value' }],
    ['minimum', { replicas: 1, storage: { s3: { chunkSizeMiB: 2 } } }, { field: 'spec.storage.s3.chunkSizeMiB', reason: 'FieldValueInvalid', message: 'Invalid value: 2: spec.storage.s3.chunkSizeMiB in body should be greater than or equal to 5' }],
    ['maximum', { replicas: 1, storage: { s3: { chunkSizeMiB: 6000 } } }, { field: 'spec.storage.s3.chunkSizeMiB', reason: 'FieldValueInvalid', message: 'Invalid value: 6000: spec.storage.s3.chunkSizeMiB in body should be less than or equal to 5120' }],
    ['list item required', { replicas: 1, routes: [{ hostname: 'a.example.com' }] }, { field: 'spec.routes[0].name', reason: 'FieldValueRequired', message: 'Required value' }],
    ['duration format', { replicas: 1, requests: { read: { maxWaitInQueue: 'soon' } } }, { field: 'spec.requests.read.maxWaitInQueue', reason: 'FieldValueInvalid', message: 'Invalid value: "soon": spec.requests.read.maxWaitInQueue in body must be of type duration: "soon"' }],
  ];

  it.each(invalid)('%s', (_name, spec, cause) => {
    expect(applySchema(configInfo.schema, config(spec)).outcome.causes).toContainEqual(cause);
  });

  it('prunes unknown fields and reports their paths', () => {
    const { object, outcome } = applySchema(configInfo.schema, config({ replicas: 1, colour: 'blue', storage: { s3: { bucket: 'b', shiny: true } } }));
    expect(outcome.unknownFields.sort()).toEqual(['spec.colour', 'spec.storage.s3.shiny']);
    expect((object['spec'] as JsonMap)['colour']).toBeUndefined();
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields (observedConfig)', () => {
    const { object, outcome } = applySchema(configInfo.schema, config({ replicas: 1, observedConfig: { anything: { goes: 1 } } }));
    expect(outcome.unknownFields).toEqual([]);
    expect((object['spec'] as JsonMap)['observedConfig']).toEqual({ anything: { goes: 1 } });
  });

  it('drops null for non-nullable fields and keeps it for nullable ones (structural defaulting)', () => {
    const { object } = applySchema(configInfo.schema, config({ replicas: 1, proxy: null, unsupportedConfigOverrides: null }));
    expect(object['spec']).toEqual({ replicas: 1, unsupportedConfigOverrides: null, logLevel: 'Normal', operatorLogLevel: 'Normal' });
  });

  it('validates map values via additionalProperties, naming the key in brackets', () => {
    const { outcome } = applySchema(configInfo.schema, config({ replicas: 1, nodeSelector: { zone: 3 } }));
    // <nil>: a type error stops the CRD's CEL rules, and the apiserver says so (validator.go hasBlockingErr)
    expect(outcome.causes.map((cause) => cause.field)).toEqual(['spec.nodeSelector[zone]', '<nil>']);
  });

  it('list-type set duplicates are refused', () => {
    const { outcome } = applySchema(imageInfo.schema, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { containerRuntimeSearchRegistries: ['a.io', 'a.io'] } } });
    expect(outcome.causes).toContainEqual({ field: 'spec.registrySources.containerRuntimeSearchRegistries[1]', reason: 'FieldValueDuplicate', message: 'Duplicate value: "a.io"' });
  });
});

describe('CEL rules of the vendored CRDs (run on @marcbachmann/cel-js)', () => {
  it('images.config: blockedRegistries and allowedRegistries together are refused', () => {
    const { outcome } = applySchema(imageInfo.schema, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { blockedRegistries: ['a.io'], allowedRegistries: ['b.io'] } } });
    expect(outcome.causes).toEqual([{ field: 'spec.registrySources', reason: 'FieldValueInvalid', message: 'Invalid value: "object": Only one of blockedRegistries or allowedRegistries may be set' }]);
  });

  it('Config: azure networkAccess.internal only with type Internal', () => {
    const spec = (type: string): JsonMap => ({ replicas: 1, storage: { azure: { networkAccess: { type, internal: { vnetName: 'vnet1' } } } } });
    expect(applySchema(configInfo.schema, config(spec('External'))).outcome.causes).toEqual([
      { field: 'spec.storage.azure.networkAccess', reason: 'FieldValueInvalid', message: 'Invalid value: "object": internal is forbidden when type is not Internal' },
    ]);
    expect(applySchema(configInfo.schema, config(spec('Internal'))).outcome.causes).toEqual([]);
  });
});

describe('CEL engine, transition rules and validation ratcheting (issue 11)', () => {
  const statusOf = (revision: number): JsonMap => ({ ...config({ replicas: 1 }), status: { latestAvailableRevision: revision, storage: {}, storageManaged: false } });

  it('a transition rule (Config status.latestAvailableRevision `self >= oldSelf`) runs on updates only', () => {
    expect(applySchema(configInfo.schema, statusOf(1)).outcome.causes).toEqual([]);
    expect(applySchema(configInfo.schema, statusOf(3), statusOf(2)).outcome.causes).toEqual([]);
    expect(applySchema(configInfo.schema, statusOf(1), statusOf(2)).outcome.causes).toEqual([{ field: 'status.latestAvailableRevision', reason: 'FieldValueInvalid', message: 'Invalid value: "integer": must only increase' }]);
  });

  it('rules the hand-written evaluator did not know are evaluated: ints, matches(), messageExpression', () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.matches('^[a-z]+$')", messageExpression: "'bad name: ' + self" }] }, count: { type: 'integer' } },
      'x-kubernetes-validations': [{ rule: 'self.count > 2', message: 'count must be above 2' }],
    };
    expect(applySchema(schema, { name: 'ok', count: 3 }).outcome.causes).toEqual([]);
    expect(applySchema(schema, { name: 'Not-OK', count: 1 }).outcome.causes).toEqual([
      { field: 'name', reason: 'FieldValueInvalid', message: 'Invalid value: "string": bad name: Not-OK' },
      { field: '', reason: 'FieldValueInvalid', message: 'Invalid value: "object": count must be above 2' },
    ]);
  });

  it('an invalid value left unchanged by an update is ratcheted; changing it (or creating it) is refused', () => {
    const stored = config({ replicas: 1, managementState: 'Sometimes' });
    expect(applySchema(configInfo.schema, config({ replicas: 2, managementState: 'Sometimes' }), stored).outcome.causes).toEqual([]);
    expect(applySchema(configInfo.schema, config({ replicas: 2, managementState: 'Never' }), stored).outcome.causes.map((cause) => cause.field)).toEqual(['spec.managementState']);
    expect(applySchema(configInfo.schema, stored).outcome.causes.map((cause) => cause.field)).toEqual(['spec.managementState']);
  });
});
