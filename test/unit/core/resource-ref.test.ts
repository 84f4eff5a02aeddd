// An object's identity, one way: the lookup key and the subject people read (plan lines, reports, errors).
import { describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../../functions/core/model.ts';
import { describeRef, formatRefKey, registryRefs } from '../../../functions/core/resource-ref.ts';

describe('resource refs', () => {
  it.each<[string, ResourceRef, string, string]>([
    ['the registry Config', registryRefs.config, 'imageregistry.operator.openshift.io/v1/Config/cluster', 'Config/cluster'],
    ['the pruner', registryRefs.pruner, 'imageregistry.operator.openshift.io/v1/ImagePruner/cluster', 'ImagePruner/cluster'],
    ['the ClusterOperator', registryRefs.operator, 'config.openshift.io/v1/ClusterOperator/image-registry', 'ClusterOperator/image-registry'],
    ['a namespaced ConfigMap', registryRefs.trustedCa, 'v1/ConfigMap/openshift-config/regops-trusted-cas', 'ConfigMap/openshift-config/regops-trusted-cas'],
    ['the storage Secret', registryRefs.storageSecret, 'v1/Secret/openshift-image-registry/image-registry-private-configuration-user', 'Secret/openshift-image-registry/image-registry-private-configuration-user'],
    ['a kind regops does not know', { apiVersion: 'example.com/v1', kind: 'Widget', name: 'x' }, 'example.com/v1/Widget/x', 'Widget/x'],
  ])('%s: key %s, subject %s', (_name, ref, key, subject) => {
    expect(formatRefKey(ref)).toBe(key);
    expect(describeRef(ref)).toBe(subject);
  });

  it('keys tell apart what only the API group or the namespace tells apart', () => {
    const keys = [
      registryRefs.image, { ...registryRefs.image, apiVersion: 'example.com/v1' },
      registryRefs.trustedCa, { ...registryRefs.trustedCa, namespace: 'other' }, { ...registryRefs.trustedCa, namespace: undefined },
    ].map((ref) => formatRefKey(ref as ResourceRef));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
