// The subject of cluster messages: `<plural>/<name>`, namespaced ones prefixed with the namespace.
import { describe, expect, it } from 'vitest';
import { formatObjectPath, formatResourceLabel } from '../../../../functions/adapters/kubernetes/known-resources.ts';

describe('formatResourceLabel', () => {
  it.each([
    [{ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' }, 'configs/cluster'],
    [{ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', name: 'cluster' }, 'imagepruners/cluster'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' }, 'openshift-config/configmaps/registry-cas'],
    [{ apiVersion: 'policy/v1', kind: 'NetworkPolicy', name: 'x', namespace: 'ns' }, 'ns/networkpolicies/x'],
    [{ apiVersion: 'example.com/v1', kind: 'Ingress', name: 'x' }, 'ingresses/x'],
  ])('%o → %s', (ref, label) => {
    expect(formatResourceLabel(ref)).toBe(label);
  });
});

describe('formatObjectPath', () => {
  it.each([
    [{ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' }, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster'],
    [{ apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' }, '/apis/config.openshift.io/v1/clusteroperators/image-registry'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' }, '/api/v1/namespaces/openshift-config/configmaps/registry-cas'],
    // as client-node's KubernetesObjectApi: a namespaced object without a namespace is in `default`, the path lower-cased
    [{ apiVersion: 'v1', kind: 'Secret', name: 'Creds' }, '/api/v1/namespaces/default/secrets/creds'],
    [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'x' }, undefined],
  ])('%o → %s', (ref, path) => {
    expect(formatObjectPath(ref)).toBe(path);
  });
});
