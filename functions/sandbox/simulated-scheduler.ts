import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

/**
 * How many registry pods the cluster's nodes can take, as kube-scheduler would place the pods the
 * operator renders (docs/registry-operator-facts.md §5, pkg/resource/podtemplatespec.go): the pod's nodeSelector
 * is spec.nodeSelector plus `kubernetes.io/os: linux`; a node must carry every label, be schedulable
 * and have no NoSchedule/NoExecute taint the pod does not tolerate; with the operator's default
 * required anti-affinity (spec.affinity unset and replicas == 2) each pod needs its own node.
 * Not evaluated (listed in functions/sandbox/README.md): a user-given spec.affinity, topology spread
 * constraints and resource requests.
 */
export interface SchedulingResult {
  schedulable: number;
  matchingNodes: number;
}

function readMap(value: JsonValue | undefined): JsonMap {
  return isJsonMap(value) ? value : {};
}

function tolerates(tolerations: JsonMap[], taint: JsonMap): boolean {
  return tolerations.some((toleration) => {
    const effect = toleration['effect'];
    if (typeof effect === 'string' && effect !== '' && effect !== taint['effect']) return false;
    const key = toleration['key'];
    if (toleration['operator'] === 'Exists') return key === undefined || key === '' || key === taint['key'];
    return key === taint['key'] && (toleration['value'] ?? '') === (taint['value'] ?? '');
  });
}

export function countSchedulablePods(nodes: JsonMap[], spec: JsonMap, replicas: number): SchedulingResult {
  const selector: Record<string, JsonValue> = { 'kubernetes.io/os': 'linux', ...readMap(spec['nodeSelector']) };
  const tolerations = Array.isArray(spec['tolerations']) ? spec['tolerations'].filter(isJsonMap) : [];
  const matching = nodes.filter((node) => {
    const labels = readMap(readMap(node['metadata'])['labels']);
    if (!Object.entries(selector).every(([key, value]) => labels[key] === value)) return false;
    const nodeSpec = readMap(node['spec']);
    if (nodeSpec['unschedulable'] === true) return false;
    const taints = Array.isArray(nodeSpec['taints']) ? nodeSpec['taints'].filter(isJsonMap) : [];
    return taints.every((taint) => taint['effect'] === 'PreferNoSchedule' || tolerates(tolerations, taint));
  });
  const defaultAntiAffinity = (spec['affinity'] === undefined || spec['affinity'] === null) && replicas === 2;
  const schedulable = matching.length === 0 ? 0 : defaultAntiAffinity ? Math.min(replicas, matching.length) : replicas;
  return { schedulable, matchingNodes: matching.length };
}
