/**
 * Differences between the sandbox and the real operator that are kept on purpose, with the reason;
 * generate-fidelity.ts attaches them to the rows they explain (a field path prefix, optionally one
 * step) and lists them in docs/fidelity.md. A difference no entry explains is shown as unexplained.
 */
export interface KnownDifference {
  /** flattened field path prefix, e.g. `objects.Deployment` or `config.conditions.StorageExists` */
  path: string;
  /** only in these steps (default: every step) */
  steps?: string[];
  reason: string;
}

export const knownDifferences: KnownDifference[] = [
  {
    path: 'objects.Deployment',
    reason: 'the sandbox serves no apps/v1: the registry Deployment is modelled in memory (replicas, readiness, rollout, progress deadline) and shows only in conditions and readyReplicas; regops reads none of it',
  },
  { path: 'objects.Route', reason: 'no route.openshift.io in the sandbox; regops reads routes only through images.config status' },
  { path: 'objects.CronJob', reason: 'no batch/v1 in the sandbox: the pruner CronJob shows only in ImagePruner conditions' },
  { path: 'objects.Service', reason: 'no Services in the sandbox: nothing regops reads' },
  {
    path: 'config.conditions.NodeCADaemon',
    reason: 'the sandbox reports node-ca as always rolled out; on the testbed KWOK makes the DaemonSet available at its own pace',
  },
  {
    path: 'config.conditions.StorageExists',
    steps: ['bad-storage-secret'],
    reason: 'moto accepts any access key, so on the testbed a wrong user secret is not refused; the sandbox answers InvalidAccessKeyId as AWS does (test/e2e/aws_test.go)',
  },
  {
    path: 'config.conditions.Progressing',
    steps: ['bad-storage-secret'],
    reason: 'as StorageExists: moto does not check keys, AWS (and the sandbox) does',
  },
  {
    path: 'image.externalRegistryHostnames',
    steps: ['route-added'],
    reason: 'the testbed has no router, so its routes are never admitted and have no ingress host; the sandbox lists the hostname as an admitted route would',
  },
  {
    path: 'clusterOperator',
    reason: 'the ClusterOperator message joins every member condition: it differs wherever a member differs (see the Config rows)',
  },
];

/** What the sandbox does not emulate at all (functions/sandbox/README.md), listed in docs/fidelity.md with the reason. */
export const notEmulated: Array<{ what: string; reason: string }> = [
  { what: 'GCS, Azure and IBM COS drivers', reason: 'no cloud to emulate them against; on their platforms the sandbox answers "… storage is not emulated by the sandbox" (Progressing Error) instead of pretending' },
  { what: 'spec.affinity and topology spread constraints in scheduling', reason: 'the simulated scheduler evaluates nodeSelector, taints/tolerations and the default anti-affinity only (simulated-scheduler.ts)' },
];
