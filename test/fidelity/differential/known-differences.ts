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
  /** explains the row only when the testbed lacks the field (the sandbox has it) */
  testbedAbsent?: boolean;
  /**
   * Entries one timing effect explains (a race in the real operator): which of them occur changes from
   * run to run, so the stale check (generate-fidelity.ts findStale) holds the group stale only when none
   * of them explains a row. Each still explains only what it says (testbedAbsent: an absence, never
   * another status or reason).
   */
  timing?: string;
  /** explains the row only when both sides agree on STATUS/REASON and differ in the message */
  messageOnly?: boolean;
  reason: string;
}

export const knownDifferences: KnownDifference[] = [
  // The sandbox's scope is what regops and kubectl read (functions/sandbox/README.md): it serves the
  // registry Deployment (the health gate reads it) but not these operands, which nothing of regops reads.
  {
    path: 'objects.Route',
    reason: 'no route.openshift.io in the sandbox: regops reads routes only as the hosts in images.config status (externalRegistryHostnames, compared in the image rows), and the kubectl suites read none',
  },
  {
    path: 'objects.CronJob',
    reason: 'no batch/v1 in the sandbox: regops reads the pruner only through the ImagePruner (spec and conditions, functions/core/describe-pruner-effect.ts), never its CronJob image-pruner',
  },
  {
    path: 'objects.Service',
    reason: 'no Services in the sandbox: regops reads the registry Service only as images.config status.internalRegistryHostname (compared in the image rows)',
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
    path: 'clusterOperator.Progressing',
    steps: ['bad-storage-secret'],
    reason: 'as StorageExists: moto does not check keys, AWS (and the sandbox) does, so only the sandbox reports Progressing Error',
  },
  {
    path: 'clusterOperator',
    messageOnly: true,
    reason: 'the ClusterOperator message joins every member condition: it differs wherever a member differs (see the Config rows); a different status or reason stays unexplained',
  },
  {
    path: 'config.spec.storage.s3.regionEndpoint',
    reason: 'a testbed artifact: its Infrastructure names moto as the S3 service endpoint, and with neither region nor regionEndpoint in the Config the operator copies that endpoint in (pkg/storage/s3/s3.go, ../shared/reference/real-testbed.md §3); the sandbox\'s Infrastructure has no endpoint, as on real AWS',
  },
  { path: 'config.status.storage.s3.regionEndpoint', reason: 'as spec.storage.s3.regionEndpoint: the testbed\'s moto endpoint, copied from its Infrastructure' },
  {
    path: 'config.spec.storage.s3.virtualHostedStyle',
    reason: 'a testbed artifact: an endpoint taken from the Infrastructure forces virtual-hosted style in the operator (s3.go); with no endpoint (real AWS, the sandbox) it stays false',
  },
  { path: 'config.status.storage.s3.virtualHostedStyle', reason: 'as spec.storage.s3.virtualHostedStyle' },
  {
    path: 'config.conditions(order)',
    reason: 'the order of conditions: the operator appends in the order its controllers first report; regops and kubectl read conditions by type, never by position',
  },
  ...[
    'AzureStackCloudControllerDegraded',
    'ImageConfigControllerDegraded',
    'ImageRegistryCertificatesControllerDegraded',
    'NodeCADaemonAvailable',
    'NodeCADaemonProgressing',
    'NodeCADaemonControllerDegraded',
  ].map((type) => ({
    path: `config.conditions.${type}`,
    testbedAbsent: true,
    timing: 'status-write race',
    reason:
      'absent on the testbed through a race in the real operator: its main controller writes the whole Config status it read at the start of a sync (pkg/operator/controller.go sync: UpdateStatus, with the resourceVersion its own spec Update returned), dropping the conditions the other controllers patched in meanwhile (a testbed audit log shows their status patches, then its 200 update); each comes back only on its controller\'s next event (node-ca: its DaemonSet or the Service; Certificates: a Secret or Service; ImageConfig: images.config, a Service or Route; AzureStackCloud: an openshift-config ConfigMap) or the informers\' 10-minute resync (controller.go defaultResyncDuration), longer than the scenario. Which ones are lost is timing: on 2026-12-04 03:22 the S3 bootstrap lost AzureStackCloud, ImageConfig and Certificates; at 05:00 (five KWOK workers) the node-ca ones on both clusters too. The sandbox writes the settled state; a row where the testbed shows such a condition with another status or reason stays unexplained',
  })),
];

/** What the sandbox does not emulate at all (functions/sandbox/README.md), listed in docs/fidelity.md with the reason. */
export const notEmulated: Array<{ what: string; reason: string }> = [
  { what: 'GCS, Azure and IBM COS drivers', reason: 'no cloud to emulate them against; on their platforms the sandbox answers "… storage is not emulated by the sandbox" (Progressing Error) instead of pretending' },
  {
    what: 'a bad storage secret on Swift (OpenStack), Azure and GCS',
    reason:
      'not a differential step: the testbed runs AWS, None/BareMetal and vSphere only (functions/testbed/README.md), and of those only AWS reads a storage secret (bad-storage-secret, storage-secret-missing-key); None/BareMetal and vSphere store on emptyDir or a PVC. Azure and GCS are not emulated (above); Swift has no Keystone or Swift emulator behind it, so the sandbox checks only that credentials exist (the user secret or clouds.yaml) and cannot tell a wrong Swift password from a right one',
  },
  { what: 'spec.affinity and topology spread constraints in scheduling', reason: 'the simulated scheduler evaluates nodeSelector, taints/tolerations and the default anti-affinity only (simulated-scheduler.ts)' },
];
