/** Names a plan step the way `kubectl` and Flux print objects: `Kind/name`, `Kind/namespace/name`. */
import type { PlanTarget } from '../model.ts';

/** `Config/cluster`, `ConfigMap/openshift-config/registry-cas`, `Bucket/acme-registry`, `HealthGate/image-registry`. */
export function describeTarget(target: PlanTarget): string {
  if (target.type === 'bucket') return `Bucket/${target.name}`;
  if (target.type === 'health-gate') return 'HealthGate/image-registry';
  const { kind, name, namespace } = target.ref;
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}
