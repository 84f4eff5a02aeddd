import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JsonObject } from '../../../functions/core/model.ts';
import { checkRequiredFields, hasObjectSchema, validateObjectSchema } from '../../../functions/core/schema-validate.ts';

const config = (spec: JsonObject): JsonObject => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec });
const pruner = (spec: JsonObject): JsonObject => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec });
const image = (spec: JsonObject): JsonObject => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec });

describe('validateObjectSchema against the vendored CRDs', () => {
  it.each([
    { name: 'a valid partial Config', body: config({ managementState: 'Managed', replicas: 2, storage: { s3: { bucket: 'b', region: 'r' } } }) },
    { name: 'a partial without required replicas', body: config({ logLevel: 'Debug' }) },
    { name: 'int-or-string resources', body: config({ replicas: 1, resources: { requests: { cpu: '100m', memory: 268435456 } } }) },
    { name: 'preserve-unknown unsupportedConfigOverrides', body: config({ replicas: 1, unsupportedConfigOverrides: { deployment: { anything: [1] } } }) },
    { name: 'free-form metadata', body: { ...config({}), metadata: { name: 'cluster', labels: { a: 'b' }, annotations: { x: 'y' } } } },
    { name: 'a valid pruner', body: pruner({ schedule: '0 3 * * *', keepTagRevisions: 5, keepYoungerThanDuration: '72h' }) },
    { name: 'a valid image config', body: image({ additionalTrustedCA: { name: 'cas' }, registrySources: { containerRuntimeSearchRegistries: ['quay.io'] } }) },
  ])('accepts $name', ({ body }) => {
    expect(validateObjectSchema(body, { partial: true })).toEqual([]);
  });

  it.each([
    { name: 'enum', spec: { logLevel: 'Verbose' }, code: 'schema.enum', path: 'spec.logLevel' },
    { name: 'pattern with suggestion', spec: { managementState: 'Manged' }, code: 'schema.pattern', path: 'spec.managementState', message: 'did you mean "Managed"' },
    { name: 'type', spec: { replicas: 'two' }, code: 'schema.type', path: 'spec.replicas' },
    { name: 'integer', spec: { replicas: 1.5 }, code: 'schema.type', path: 'spec.replicas' },
    { name: 'int32 range', spec: { replicas: 3_000_000_000 }, code: 'schema.format', path: 'spec.replicas' },
    { name: 'unknown field with suggestion', spec: { rolloutStratgy: 'Recreate' }, code: 'schema.unknown-field', path: 'spec.rolloutStratgy', message: 'did you mean "rolloutStrategy"' },
    { name: 'nested unknown field', spec: { storage: { s3: { buckett: 'x' } } }, code: 'schema.unknown-field', path: 'spec.storage.s3.buckett', message: 'did you mean "bucket"' },
    { name: 'minimum', spec: { storage: { s3: { chunkSizeMiB: 1 } } }, code: 'schema.minimum', path: 'spec.storage.s3.chunkSizeMiB' },
    { name: 'maximum', spec: { storage: { s3: { chunkSizeMiB: 6000 } } }, code: 'schema.maximum', path: 'spec.storage.s3.chunkSizeMiB' },
    { name: 'duration format', spec: { requests: { read: { maxWaitInQueue: 'ten seconds' } } }, code: 'schema.format', path: 'spec.requests.read.maxWaitInQueue' },
    { name: 'maxLength', spec: { storage: { s3: { trustedCA: { name: 'a'.repeat(254) } } } }, code: 'schema.max-length', path: 'spec.storage.s3.trustedCA.name' },
    { name: 'required inside a list item (lists replace whole)', spec: { routes: [{ hostname: 'h' }] }, code: 'schema.required', path: 'spec.routes[0].name' },
    { name: 'null where not nullable', spec: { routes: [null] }, code: 'schema.type', path: 'spec.routes[0]' },
    { name: 'azure container pattern', spec: { storage: { azure: { container: 'Bad_Name' } } }, code: 'schema.pattern', path: 'spec.storage.azure.container' },
  ])('reports $name', ({ spec, code, path, message }) => {
    const issues = validateObjectSchema(config(spec as JsonObject), { partial: true });
    expect(issues.map((i) => [i.code, i.path])).toContainEqual([code, path]);
    const issue = issues.find((i) => i.code === code && i.path === path);
    expect(issue?.hint).not.toBe('');
    if (message !== undefined) expect(issue?.message).toContain(message);
  });

  it('reports list-type set duplicates and minItems on the image config', () => {
    const issues = validateObjectSchema(image({ registrySources: { containerRuntimeSearchRegistries: [] } }), { partial: true });
    expect(issues.map((i) => i.code)).toEqual(['schema.min-items']);
    const dupes = validateObjectSchema(image({ registrySources: { containerRuntimeSearchRegistries: ['quay.io', 'quay.io'] } }), { partial: true });
    expect(dupes.map((i) => [i.code, i.path])).toEqual([['schema.duplicate-item', 'spec.registrySources.containerRuntimeSearchRegistries[1]']]);
  });

  it('enforces required on the whole object when not partial', () => {
    expect(validateObjectSchema(config({ logLevel: 'Normal' }), { partial: false }).map((i) => i.path)).toEqual(['spec.replicas']);
    expect(validateObjectSchema({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: {} }, { partial: false }).map((i) => i.path)).toEqual(['spec']);
  });

  it('knows which kinds have a schema', () => {
    expect(hasObjectSchema(config({}))).toBe(true);
    expect(hasObjectSchema({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(false);
    expect(validateObjectSchema({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } }, { partial: true })).toEqual([]);
    expect(validateObjectSchema({ apiVersion: 'apps/v1', kind: 'Deployment' }, { partial: true }).map((i) => i.code)).toEqual(['schema.unknown-kind']);
  });
});

describe('checkRequiredFields (plan time, live merged with the patch)', () => {
  it.each(['aws-config-bootstrapped', 'baremetal-config-removed', 'pruner-bootstrapped', 'image-config'])('finds nothing missing in live object %s', (name) => {
    const body = parse(readFileSync(join(import.meta.dirname, '../../fixtures/live-objects', `${name}.yaml`), 'utf8')) as JsonObject;
    expect(checkRequiredFields(body)).toEqual([]);
    expect(validateObjectSchema(body, { partial: false })).toEqual([]);
  });

  it.each([
    { name: 'missing spec.replicas', body: config({ managementState: 'Managed' }), paths: ['spec.replicas'] },
    { name: 'complete object', body: config({ replicas: 2 }), paths: [] },
    { name: 'route without name', body: config({ replicas: 2, routes: [{ hostname: 'h' }] }), paths: ['spec.routes[0].name'] },
    { name: 'ignores other problems', body: config({ replicas: 2, logLevel: 'Verbose', unknown: 1 }), paths: [] },
    { name: 'ignores an incomplete status (the operator writes it)', body: { ...config({ replicas: 1 }), status: { readyReplicas: 1 } }, paths: [] },
  ])('$name', ({ body, paths }) => {
    const issues = checkRequiredFields(body);
    expect(issues.map((i) => i.path)).toEqual(paths);
    expect(issues.every((i) => i.code === 'schema.required')).toBe(true);
  });
});
