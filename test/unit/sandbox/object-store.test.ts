import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../../functions/sandbox/api-status.ts';
import type { JsonMap } from '../../../functions/sandbox/json-value.ts';
import { ObjectStore } from '../../../functions/sandbox/object-store.ts';
import { findResource } from '../../../functions/sandbox/resource-catalog.ts';

const configInfo = findResource('imageregistry.operator.openshift.io/v1', 'configs');
const secretInfo = findResource('v1', 'secrets');
const namespaceInfo = findResource('v1', 'namespaces');
if (configInfo === undefined || secretInfo === undefined || namespaceInfo === undefined) throw new Error('catalog incomplete');
const config = configInfo;

function newStore(): ObjectStore {
  const store = new ObjectStore(() => Date.parse('2026-11-25T10:00:00Z'));
  store.write({ info: config, namespace: undefined, name: 'cluster', create: true, object: { apiVersion: config.apiVersion, kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 1 } } });
  return store;
}

function live(store: ObjectStore): JsonMap {
  return JSON.parse(store.get(config, undefined, 'cluster')?.json ?? '{}') as JsonMap;
}

function meta(object: JsonMap): JsonMap {
  return object['metadata'] as JsonMap;
}

function update(store: ObjectStore, change: (object: JsonMap) => void, options: { subresource?: 'status'; dryRun?: boolean } = {}): JsonMap {
  const object = live(store);
  change(object);
  return store.write({ info: config, namespace: undefined, name: 'cluster', object, create: false, ...options }).stored.object;
}

function statusOf(run: () => unknown): { code: number; reason: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiStatusError) return error.status;
    throw error;
  }
  throw new Error('expected an ApiStatusError');
}

describe('ObjectStore', () => {
  it('creates with uid, creationTimestamp, resourceVersion, generation 1 and schema defaults', () => {
    const object = live(newStore());
    expect(meta(object)).toMatchObject({ name: 'cluster', generation: 1, creationTimestamp: '2026-11-25T10:00:00Z', resourceVersion: '1001' });
    expect(meta(object)['uid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(object['spec']).toEqual({ replicas: 1, logLevel: 'Normal', operatorLogLevel: 'Normal' });
  });

  it.each([
    ['a spec change bumps generation and resourceVersion', (o: JsonMap): void => void ((o['spec'] as JsonMap)['replicas'] = 2), 2, true],
    ['a metadata-only change bumps resourceVersion only', (o: JsonMap): void => void (meta(o)['labels'] = { a: 'b' }), 1, true],
    ['a no-op write changes nothing', (_o: JsonMap): void => undefined, 1, false],
  ] as Array<[string, (o: JsonMap) => void, number, boolean]>)('%s', (_name, change, generation, bumped) => {
    const store = newStore();
    const before = meta(live(store))['resourceVersion'];
    update(store, change);
    const after = meta(live(store));
    expect(after['generation']).toBe(generation);
    expect(after['resourceVersion'] !== before).toBe(bumped);
  });

  it('status writes go through the status subresource only, without a generation bump', () => {
    const store = newStore();
    update(store, (o) => void (o['status'] = { storage: {}, storageManaged: false, readyReplicas: 3 }));
    expect(live(store)['status']).toBeUndefined();
    update(store, (o) => {
      o['status'] = { storage: {}, storageManaged: false, readyReplicas: 3 };
      (o['spec'] as JsonMap)['replicas'] = 9;
    }, { subresource: 'status' });
    const object = live(store);
    expect((object['status'] as JsonMap)['readyReplicas']).toBe(3);
    expect((object['spec'] as JsonMap)['replicas']).toBe(1);
    expect(meta(object)['generation']).toBe(1);
  });

  it('a stale resourceVersion is a 409 Conflict with the real message', () => {
    const store = newStore();
    const stale = live(store);
    update(store, (o) => void ((o['spec'] as JsonMap)['replicas'] = 2));
    const status = statusOf(() => store.write({ info: config, namespace: undefined, name: 'cluster', object: stale, create: false }));
    expect(status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configs.imageregistry.operator.openshift.io "cluster": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('an update without resourceVersion of a custom resource is Invalid when required (PUT)', () => {
    const store = newStore();
    const object = live(store);
    delete meta(object)['resourceVersion'];
    const status = statusOf(() => store.write({ info: config, namespace: undefined, name: 'cluster', object, create: false, requireResourceVersion: true }));
    expect(status).toMatchObject({ code: 422, message: 'Config.imageregistry.operator.openshift.io "cluster" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update' });
  });

  it('dryRun validates and defaults but does not persist', () => {
    const store = newStore();
    const before = live(store);
    const result = update(store, (o) => void ((o['spec'] as JsonMap)['logLevel'] = 'Debug'), { dryRun: true });
    expect((result['spec'] as JsonMap)['logLevel']).toBe('Debug');
    expect(live(store)).toEqual(before);
  });

  it('Invalid lists every cause in the message, bracketed when more than one', () => {
    const store = newStore();
    const status = statusOf(() => update(store, (o) => void (o['spec'] = { replicas: 'x', logLevel: 'Loud' })));
    expect(status.code).toBe(422);
    // the last cause: the Config CRD's CEL rules were not run (the real kube-apiserver's answer, test/fidelity/kubectl.test.ts)
    expect(status.message).toBe(
      'Config.imageregistry.operator.openshift.io "cluster" is invalid: [spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", spec.logLevel: Unsupported value: "Loud": supported values: "", "Normal", "Debug", "Trace", "TraceAll", <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    );
  });

  it('Strict field validation refuses unknown fields; Warn prunes them and warns', () => {
    const store = newStore();
    const object = live(store);
    (object['spec'] as JsonMap)['colour'] = 'blue';
    const strict = statusOf(() => store.write({ info: config, namespace: undefined, name: 'cluster', object, create: false, fieldValidation: 'Strict' }));
    expect(strict).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Config in version "v1" cannot be handled as a Config: strict decoding error: unknown field "spec.colour"' });
    const warned = store.write({ info: config, namespace: undefined, name: 'cluster', object, create: false, fieldValidation: 'Warn' });
    expect(warned.warnings).toEqual(['unknown field "spec.colour"']);
    expect((live(store)['spec'] as JsonMap)['colour']).toBeUndefined();
  });

  it('creating in a missing namespace is NotFound; Secret stringData folds into base64 data', () => {
    const store = new ObjectStore();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } };
    expect(statusOf(() => store.write({ info: secretInfo, namespace: 'ns', name: 's', object: secret, create: true }))).toMatchObject({ code: 404, message: 'namespaces "ns" not found' });
    store.write({ info: namespaceInfo, namespace: undefined, name: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, create: true });
    const stored = store.write({ info: secretInfo, namespace: 'ns', name: 's', object: secret, create: true }).stored.object;
    expect(stored['data']).toEqual({ k: 'dg==' });
    expect(stored['stringData']).toBeUndefined();
    expect(stored['type']).toBe('Opaque');
  });

  it('delete with finalizers only sets deletionTimestamp; purge removes', () => {
    const store = newStore();
    update(store, (o) => void (meta(o)['finalizers'] = ['x/y']));
    expect(store.delete(config, undefined, 'cluster', false).gone).toBe(false);
    expect(meta(live(store))['deletionTimestamp']).toBe('2026-11-25T10:00:00Z');
    store.purge(config, undefined, 'cluster');
    expect(store.get(config, undefined, 'cluster')).toBeUndefined();
  });

  it('records managedFields per manager, moving changed fields to the last writer', () => {
    const store = newStore();
    const object = live(store);
    (object['spec'] as JsonMap)['replicas'] = 2;
    store.write({ info: config, namespace: undefined, name: 'cluster', object, create: false, manager: 'kubectl-patch', operation: 'Update' });
    const managers = meta(live(store))['managedFields'] as Array<{ manager: string; fieldsV1: JsonMap }>;
    const patcher = managers.find((entry) => entry.manager === 'kubectl-patch');
    expect(patcher?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const creator = managers.find((entry) => entry.manager === 'unknown');
    expect(JSON.stringify(creator?.fieldsV1)).not.toContain('f:replicas');
  });
});

describe('namespace deletion', () => {
  it('removes the objects in the namespace', () => {
    const store = new ObjectStore();
    store.write({ info: namespaceInfo, namespace: undefined, name: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, create: true });
    store.write({ info: secretInfo, namespace: 'ns', name: 's', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, create: true });
    store.delete(namespaceInfo, undefined, 'ns', false);
    expect(store.get(secretInfo, 'ns', 's')).toBeUndefined();
  });
});

describe('Secret data that is not base64', () => {
  it.each([
    ['a bad character', 'ab$d', 2],
    ['a truncated quantum', 'abcde', 4],
    ['data after padding', 'ab=c', 2],
  ])('%s is a BadRequest naming the byte', (_name, value, offset) => {
    const store = new ObjectStore();
    store.write({ info: namespaceInfo, namespace: undefined, name: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, create: true });
    const status = statusOf(() => store.write({ info: secretInfo, namespace: 'ns', name: 's', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: value } }, create: true }));
    expect(status).toMatchObject({ code: 400, message: `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${offset}` });
  });
});
