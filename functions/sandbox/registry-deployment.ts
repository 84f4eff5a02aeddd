import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

/**
 * The registry Deployment `image-registry` in openshift-image-registry as an API object, rendered from
 * the simulated operator's rollout model (simulated-operator.ts). regops's health gate reads its
 * generation, spec.replicas and rollout status (functions/engine/health-gate.ts judgeDeployment), so
 * the sandbox serves it with the real operator's and Deployment controller's shapes: spec from
 * pkg/resource/deployment.go and podtemplatespec.go (docs/registry-operator-facts.md §5), status and
 * conditions as kube-controller-manager writes them (k8s.io/kubernetes pkg/controller/deployment/util
 * deployment_util.go: MinimumReplicasAvailable, NewReplicaSetAvailable, ReplicaSetUpdated,
 * ProgressDeadlineExceeded). The pod template keeps only what decides scheduling and rollout; the
 * registry's env (which carries REGISTRY_HTTP_SECRET), volumes and probes are left out.
 */
export interface RolloutState {
  replicas: number;
  /** Ready pods of every ReplicaSet (the old ones still serving during a rollout). */
  readyReplicas: number;
  /** Pods of the previous ReplicaSet not scaled down yet (0 once the rollout completed). */
  oldPods: number;
  complete: boolean;
  deadlineExceeded: boolean;
  templateHash: string;
}

export const registryDeploymentName = 'image-registry';
const podLabels = { 'docker-registry': 'default' };

function readMap(value: JsonValue | undefined): JsonMap {
  return isJsonMap(value) ? value : {};
}

/** The strategy of deployment.go: RollingUpdate 2 replicas ⇒ 1/1, else maxUnavailable replicas − 1 and maxSurge 25%; Recreate bare. */
function renderStrategy(configSpec: JsonMap, replicas: number): JsonMap {
  if (configSpec['rolloutStrategy'] === 'Recreate') return { type: 'Recreate' };
  const rollingUpdate = replicas === 2 ? { maxSurge: 1, maxUnavailable: 1 } : { maxSurge: '25%', maxUnavailable: Math.max(replicas - 1, 0) };
  return { type: 'RollingUpdate', rollingUpdate };
}

/** The Deployment's spec as the operator applies it for the Config spec (podtemplatespec.go). */
export function renderDeploymentSpec(configSpec: JsonMap, replicas: number, progressDeadlineSeconds: number): JsonMap {
  const podSpec: JsonMap = {
    containers: [
      {
        name: 'registry',
        image: 'quay.io/openshift/origin-docker-registry:latest',
        ports: [{ containerPort: 5000, protocol: 'TCP' }],
        resources: isJsonMap(configSpec['resources']) ? configSpec['resources'] : { requests: { cpu: '100m', memory: '256Mi' } },
      },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux', ...readMap(configSpec['nodeSelector']) },
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'registry',
    terminationGracePeriodSeconds: 55,
  };
  if (Array.isArray(configSpec['tolerations'])) podSpec['tolerations'] = configSpec['tolerations'];
  if (isJsonMap(configSpec['affinity'])) podSpec['affinity'] = configSpec['affinity'];
  else if (replicas === 2) {
    podSpec['affinity'] = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: podLabels }, namespaces: ['openshift-image-registry'], topologyKey: 'kubernetes.io/hostname' }] },
    };
  }
  return {
    progressDeadlineSeconds,
    replicas,
    revisionHistoryLimit: 10,
    selector: { matchLabels: podLabels },
    strategy: renderStrategy(configSpec, replicas),
    template: { metadata: { labels: podLabels }, spec: podSpec },
  };
}

interface DeploymentCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** status as the Deployment controller writes it; conditions keep their times while unchanged. */
export function renderDeploymentStatus(state: RolloutState, strategy: JsonMap, observedGeneration: number, previous: JsonMap, now: string): JsonMap {
  const replicaSet = `image-registry-${state.templateHash.slice(0, 10)}`;
  const maxUnavailable = readMap(strategy['rollingUpdate'])['maxUnavailable'];
  const minAvailable = state.replicas - (typeof maxUnavailable === 'number' ? maxUnavailable : 0);
  const available: DeploymentCondition =
    state.readyReplicas >= minAvailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  let progressing: DeploymentCondition;
  if (state.complete) progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${replicaSet}" has successfully progressed.` };
  else if (state.deadlineExceeded) progressing = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${replicaSet}" has timed out progressing.` };
  else progressing = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${replicaSet}" is progressing.` };
  const before = Array.isArray(previous['conditions']) ? previous['conditions'].filter(isJsonMap) : [];
  const conditions = [available, progressing].map((condition): JsonMap => {
    const old = before.find((item) => item['type'] === condition.type);
    const same = old !== undefined && old['status'] === condition.status && old['reason'] === condition.reason && old['message'] === condition.message;
    const sameStatus = old !== undefined && old['status'] === condition.status;
    return {
      ...condition,
      lastTransitionTime: sameStatus && typeof old['lastTransitionTime'] === 'string' ? old['lastTransitionTime'] : now,
      lastUpdateTime: same && typeof old['lastUpdateTime'] === 'string' ? old['lastUpdateTime'] : now,
    };
  });
  // the new ReplicaSet is scaled to spec.replicas at once (its pods may stay Pending); the old one's pods
  // count until it is scaled down; omitempty in apps/v1 DeploymentStatus: zero counts are not serialised
  const counts: Array<[string, number]> = [
    ['replicas', state.replicas + state.oldPods],
    ['updatedReplicas', state.replicas],
    ['readyReplicas', state.readyReplicas],
    ['availableReplicas', state.readyReplicas],
    ['unavailableReplicas', Math.max(state.replicas - state.readyReplicas, 0)],
  ];
  const status: JsonMap = { observedGeneration };
  for (const [key, value] of counts) if (value > 0) status[key] = value;
  status['conditions'] = conditions;
  return status;
}
