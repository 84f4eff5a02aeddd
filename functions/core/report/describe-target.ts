/** Names a plan step the way `kubectl` and Flux print objects: `Kind/name`, `Kind/namespace/name`. */
import type { PlanTarget } from '../model.ts';
import { describeRef } from '../resource-ref.ts';

/** `Config/cluster`, `ConfigMap/openshift-config/registry-cas`, `Bucket/acme-registry`, `HealthGate/image-registry`. */
export function describeTarget(target: PlanTarget): string {
  if (target.type === 'bucket') return `Bucket/${target.name}`;
  if (target.type === 'health-gate') return 'HealthGate/image-registry';
  return describeRef(target.ref);
}
