/**
 * An object's identity, written one way (as Flux's ssa package has one ChangeSetEntry subject):
 * the registry objects regops reads and writes, declared once; the key that finds an object across
 * desired and live state; the subject that names it in plan lines, reports, progress and errors.
 */
import type { ResourceRef } from './model.ts';

/** Name of the openshift-config ConfigMap regops renders from trusted-cas/*.pem (docs/registry-operator-facts.md §8). */
export const TRUSTED_CA_CONFIGMAP = 'regops-trusted-cas';

const imageRegistryApi = 'imageregistry.operator.openshift.io/v1';

/** The objects of the image registry regops renders, gates on and scans (docs/registry-operator-facts.md §1). */
export const registryRefs = {
  config: { apiVersion: imageRegistryApi, kind: 'Config', name: 'cluster' },
  pruner: { apiVersion: imageRegistryApi, kind: 'ImagePruner', name: 'cluster' },
  image: { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' },
  operator: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' },
  trustedCa: { apiVersion: 'v1', kind: 'ConfigMap', name: TRUSTED_CA_CONFIGMAP, namespace: 'openshift-config' },
  // the user storage secret takes precedence over cloud credentials (docs/registry-operator-facts.md §3.9)
  storageSecret: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
} as const satisfies Record<string, ResourceRef>;

/**
 * The lookup key of an object, `apiVersion/kind[/namespace]/name`, e.g.
 * `v1/ConfigMap/openshift-config/user-ca` or `imageregistry.operator.openshift.io/v1/Config/cluster`.
 */
export function formatRefKey(ref: ResourceRef): string {
  return ref.namespace === undefined
    ? `${ref.apiVersion}/${ref.kind}/${ref.name}`
    : `${ref.apiVersion}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The subject that names an object to people: `Config/cluster`, `ConfigMap/openshift-config/regops-trusted-cas`. */
export function describeRef(ref: Pick<ResourceRef, 'kind' | 'name' | 'namespace'>): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}
