/** The objects the health gate and the drift scan read (registry-operator.md §1). */
import type { ResourceRef } from '../core/model.ts';

export const registryConfigRef: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
export const registryOperatorRef: ResourceRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };

/** `Kind/name` or `Kind/namespace/name`, for messages and reports. */
export function describeRef(ref: ResourceRef): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** A stable key for a reference (maps of live objects). */
export function refKey(ref: ResourceRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}
