/**
 * The key that identifies one Kubernetes object across desired and live state, e.g.
 * `v1/ConfigMap/openshift-config/user-ca` or `imageregistry.operator.openshift.io/v1/Config/cluster`.
 */
import type { ResourceRef } from './model.ts';

/** Formats the lookup key of an object: apiVersion/kind[/namespace]/name. */
export function formatRefKey(ref: ResourceRef): string {
  return ref.namespace === undefined
    ? `${ref.apiVersion}/${ref.kind}/${ref.name}`
    : `${ref.apiVersion}/${ref.kind}/${ref.namespace}/${ref.name}`;
}
