import { describe, expect, it } from 'vitest';
import type { Json } from '../../../functions/core/model.ts';
import { getValueComparator, strictComparator } from '../../../functions/core/normalize.ts';

const config = getValueComparator('imageregistry.operator.openshift.io/v1', 'Config');
const pruner = getValueComparator('imageregistry.operator.openshift.io/v1', 'ImagePruner');
const image = getValueComparator('config.openshift.io/v1', 'Image');

describe('Go comparator: values the operator stores that equal unset (registry-operator.md §4)', () => {
  const unset: Array<[string, Json]> = [
    ['spec.proxy', {}],
    ['spec.requests', { read: { maxWaitInQueue: '0s' }, write: { maxWaitInQueue: '0s' } }],
    ['spec.storage.s3.virtualHostedStyle', false],
    ['spec.storage.s3.trustedCA', { name: '' }],
    ['spec.unsupportedConfigOverrides', null],
    ['spec.observedConfig', null],
    ['spec.logLevel', 'Normal'],
    ['spec.operatorLogLevel', 'Normal'],
    ['spec.routes', []],
    ['spec.nodeSelector', {}],
  ];
  it.each(unset)('%s: %j is unset', (path, value) => {
    expect(config.isUnset(path, value)).toBe(true);
    expect(config.isEquivalent(path, value, undefined)).toBe(true);
  });

  const set: Array<[string, Json]> = [
    ['spec.storage.emptyDir', {}],
    ['spec.storage.s3', {}],
    ['spec.affinity', {}],
    ['spec.logLevel', 'Debug'],
    ['spec.requests', { read: { maxWaitInQueue: '1s' } }],
    ['spec.readOnly', true],
  ];
  it.each(set)('%s: %j is set', (path, value) => {
    expect(config.isUnset(path, value)).toBe(false);
    expect(config.isEquivalent(path, value, undefined)).toBe(false);
  });
});

describe('Go comparator: equivalence', () => {
  const cases: Array<{ name: string; path: string; desired: Json; live: Json | undefined; equal: boolean; comparator?: typeof config }> = [
    { name: 'durations written two ways', path: 'spec.requests', desired: { read: { maxWaitInQueue: '6h' } }, live: { read: { maxWaitInQueue: '6h0m0s' }, write: { maxWaitInQueue: '0s' } }, equal: true },
    { name: 'different durations', path: 'spec.requests', desired: { read: { maxWaitInQueue: '6h' } }, live: { read: { maxWaitInQueue: '5h' } }, equal: false },
    { name: 'pruner keepYoungerThanDuration 60m vs 1h0m0s', path: 'spec.keepYoungerThanDuration', desired: '60m', live: '1h0m0s', equal: true, comparator: pruner },
    { name: 'a duration-looking string outside a duration field is compared as text', path: 'spec.schedule', desired: '1h', live: '60m', equal: false, comparator: pruner },
    { name: 'lists compare item by item, order matters', path: 'spec.routes', desired: [{ name: 'a' }, { name: 'b' }], live: [{ name: 'b' }, { name: 'a' }], equal: false },
    { name: 'list items with zero fields', path: 'spec.routes', desired: [{ name: 'a' }], live: [{ name: 'a', hostname: '' }], equal: true },
    { name: 'images.config is Go-typed too: empty list equals unset', path: 'spec.externalRegistryHostnames', desired: [], live: undefined, equal: true, comparator: image },
    { name: 'false vs true', path: 'spec.readOnly', desired: false, live: true, equal: false },
    { name: 'number vs string', path: 'spec.replicas', desired: 2, live: '2', equal: false },
  ];
  it.each(cases)('$name', ({ path, desired, live, equal, comparator }) => {
    expect((comparator ?? config).isEquivalent(path, desired, live)).toBe(equal);
  });

  it('knows the atomic maps from the CRD schema', () => {
    expect(config.isAtomic('spec.requests')).toBe(true);
    expect(config.isAtomic('spec.resources')).toBe(true);
    expect(config.isAtomic('spec.storage')).toBe(false);
  });
});

describe('strict comparator (ConfigMap, Secret, bucket)', () => {
  const cases: Array<{ name: string; desired: Json | undefined; live: Json | undefined; equal: boolean }> = [
    { name: 'empty string is a value', desired: '', live: undefined, equal: false },
    { name: 'null equals absent', desired: null, live: undefined, equal: true },
    { name: 'false is a value', desired: false, live: undefined, equal: false },
    { name: 'maps compare deeply', desired: { a: { b: 1 } }, live: { a: { b: 1 } }, equal: true },
    { name: 'extra live key differs', desired: { a: 1 }, live: { a: 1, b: 2 }, equal: false },
  ];
  it.each(cases)('$name', ({ desired, live, equal }) => {
    expect(strictComparator.isEquivalent('data.x', desired, live)).toBe(equal);
  });

  it('ConfigMap and Secret get the strict comparator', () => {
    expect(getValueComparator('v1', 'ConfigMap')).toBe(strictComparator);
    expect(getValueComparator('v1', 'Secret')).toBe(strictComparator);
  });
});
