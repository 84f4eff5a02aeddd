import { describe, expect, it } from 'vitest';
import { formatInventory, INVENTORY_ANNOTATION, readInventory } from '../../../functions/core/inventory.ts';
import type { JsonObject, ResourceRef } from '../../../functions/core/model.ts';

const config: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const ca: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' };
const withAnnotation = (value: string): JsonObject => ({ metadata: { name: 'cluster', annotations: { [INVENTORY_ANNOTATION]: value } } });

describe('inventory', () => {
  it('writes refs once, in formatRefKey order, and reads them back', () => {
    const text = formatInventory([ca, config, { ...ca }]);
    expect(text).toBe('[{"apiVersion":"imageregistry.operator.openshift.io/v1","kind":"Config","name":"cluster"},{"apiVersion":"v1","kind":"ConfigMap","name":"registry-cas","namespace":"openshift-config"}]');
    expect(readInventory(withAnnotation(text))).toEqual([config, ca]);
  });

  it.each([
    { name: 'no annotation', object: { metadata: { name: 'cluster' } } },
    { name: 'not JSON', object: withAnnotation('[{') },
    { name: 'not a list', object: withAnnotation('{"kind":"Config"}') },
    { name: 'an entry without a name', object: withAnnotation('[{"apiVersion":"v1","kind":"ConfigMap"}]') },
    { name: 'a namespace that is not a string', object: withAnnotation('[{"apiVersion":"v1","kind":"ConfigMap","name":"a","namespace":3}]') },
  ])('$name: no inventory (the engine then reads as without one)', ({ object }) => {
    expect(readInventory(object)).toBeUndefined();
  });

  it('an empty list is an inventory: regops owns nothing there', () => {
    expect(readInventory(withAnnotation('[]'))).toEqual([]);
  });
});
