// The subject of cluster messages: `<plural>/<name>`, namespaced ones prefixed with the namespace.
import { describe, expect, it } from 'vitest';
import { formatResourceLabel } from '../../../../functions/adapters/kubernetes/known-resources.ts';

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
