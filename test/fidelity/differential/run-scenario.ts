import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
import { differentialClusters, type DifferentialTarget } from './differential-target.ts';

// The differential scenario of issue #11: the same scripted steps against the sandbox and the real
// testbed, each ending in one observation of what the operator did. Observations are normalised
// (infrastructure name, random names and hashes masked, timestamps dropped) so that two targets can
// be compared field by field by generate-fidelity.ts.

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface Observation {
  config: { conditions: Condition[]; spec: unknown; status: { storage: unknown; storageManaged: unknown; readyReplicas: unknown } };
  clusterOperator: Condition[];
  image: unknown;
  /** names (PVCs with access modes) per kind in openshift-image-registry, or "not served" */
  objects: Record<string, string[] | 'not served'>;
  /** the registry Deployment as regops's health gate reads it (functions/engine/health-gate.ts), or "absent" / "not served" */
  deployment: DeploymentView | 'absent' | 'not served';
  buckets: string[];
}

export interface DeploymentView {
  spec: { replicas: unknown; strategy: unknown; nodeSelector: unknown; affinity: unknown };
  status: { observedCurrentGeneration: boolean; replicas: unknown; updatedReplicas: unknown; readyReplicas: unknown; availableReplicas: unknown; conditions: Condition[] };
}

export interface StepResult {
  step: string;
  cluster: string;
  description: string;
  settledMs: number;
  observation: Observation;
}

export interface ScenarioResult {
  target: string;
  startedAt: string;
  /** when the last step recorded so far finished (the scenario's time without the target's start) */
  finishedAt?: string;
  steps: StepResult[];
}

const registryNamespace = 'openshift-image-registry';
const config = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' } };
const clusterOperator = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', metadata: { name: 'image-registry' } };
const image = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' } };
const infrastructure = { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', metadata: { name: 'cluster' } };
const operandKinds: Array<[string, string]> = [
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['route.openshift.io/v1', 'Route'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Service'],
];

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readConditions(object: unknown): Condition[] {
  const list = ((object as { status?: { conditions?: unknown } }).status?.conditions ?? []) as Array<Json>;
  return list.map((c) => ({ type: String(c['type']), status: String(c['status']), reason: String(c['reason'] ?? ''), message: String(c['message'] ?? '') }));
}

/**
 * Replaces what differs by construction between targets: infrastructure names (this cluster's becomes
 * `<infra>`, another's `<infra:NAME>`), random suffixes, hashes, secrets.
 */
export function normalise(value: unknown, infraName: string, others: ReadonlyMap<string, string> = new Map()): unknown {
  let text = JSON.stringify(value ?? null)
    .split(infraName)
    .join('<infra>');
  for (const [cluster, other] of others) if (other !== infraName) text = text.split(other).join(`<infra:${cluster}>`);
  text = text
    .replace(/"httpSecret":"[0-9a-f]{128}"/g, '"httpSecret":"<128 hex>"')
    .replace(/<infra>-image-registry-(?![a-z]{2}-[a-z]+-\d)[0-9a-z]{8,}/g, '<infra>-image-registry-<random>')
    .replace(/image-registry-[0-9a-f]{8,10}\b/g, 'image-registry-<hash>')
    // a pod-template-hash is rand.SafeEncodeString, not only hex (the Deployment controller's ReplicaSet names)
    .replace(/ReplicaSet \\"image-registry-[0-9a-z]{6,10}\\"/g, 'ReplicaSet \\"image-registry-<hash>\\"')
    .replace(/request id: [0-9A-Za-z-]+/g, 'request id: <id>');
  return JSON.parse(text) as unknown;
}

class ClusterClient {
  private readonly api: KubernetesObjectApi;
  private readonly customObjects: CustomObjectsApi;

  constructor(kubeconfig: string, readonly name: string) {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    kc.setCurrentContext(name);
    this.api = KubernetesObjectApi.makeApiClient(kc);
    this.customObjects = kc.makeApiClient(CustomObjectsApi);
  }

  /**
   * A router stand-in, for targets that serve Route objects (the testbed; the sandbox serves none and
   * models admitted routes in images.config status): waits up to `waitMs` for the operator's routes
   * named `names`, then admits each as an OpenShift router would (status.ingress with the host and an
   * Admitted condition), so the real operator's ImageConfigController lists their hosts
   * (pkg/operator/imageconfig.go getRouteHostnames). Without it the testbed's routes stay unadmitted.
   */
  async admitRoutes(names: string[], waitMs: number, pollMs: number): Promise<void> {
    const started = Date.now();
    for (;;) {
      let routes: KubernetesObject[];
      try {
        routes = (await this.api.list('route.openshift.io/v1', 'Route', registryNamespace)).items;
      } catch {
        return; // Route not served: nothing to admit
      }
      const found = routes.filter((route) => names.includes(route.metadata?.name ?? ''));
      if (found.length === names.length) {
        for (const route of found) {
          const host = (route as { spec?: { host?: string } }).spec?.host ?? '';
          const ingress = [{ host, routerName: 'default', wildcardPolicy: 'None', conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: new Date().toISOString() }] }];
          await this.customObjects.patchNamespacedCustomObjectStatus({
            group: 'route.openshift.io',
            version: 'v1',
            namespace: registryNamespace,
            plural: 'routes',
            name: route.metadata?.name ?? '',
            body: [{ op: 'add', path: '/status', value: { ingress } }],
          });
        }
        return;
      }
      if (Date.now() - started > waitMs) throw new Error(`cluster ${this.name}: routes ${names.join(', ')} did not appear within ${waitMs} ms`);
      await sleep(pollMs);
    }
  }

  read(ref: KubernetesObject): Promise<KubernetesObject> {
    return this.api.read(ref as Parameters<KubernetesObjectApi['read']>[0]);
  }

  async mergePatch(ref: KubernetesObject, patch: Json): Promise<void> {
    await this.api.patch({ ...ref, ...patch } as KubernetesObject, undefined, undefined, 'differential', undefined, PatchStrategy.MergePatch);
  }

  async apply(object: KubernetesObject): Promise<void> {
    try {
      await this.api.create(object);
    } catch {
      await this.api.patch(object, undefined, undefined, 'differential', undefined, PatchStrategy.MergePatch);
    }
  }

  async remove(ref: KubernetesObject): Promise<void> {
    try {
      await this.api.delete(ref);
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }

  /** The registry Deployment's fields the health gate judges, and the ones the operator renders from the Config. */
  async deployment(): Promise<DeploymentView | 'absent' | 'not served'> {
    let object: Json;
    try {
      object = (await this.api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'image-registry', namespace: registryNamespace } })) as unknown as Json;
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 404) return (await this.names('apps/v1', 'Deployment')) === 'not served' ? 'not served' : 'absent';
      throw error;
    }
    const spec = (object['spec'] ?? {}) as Json;
    const podSpec = (((spec['template'] ?? {}) as Json)['spec'] ?? {}) as Json;
    const status = (object['status'] ?? {}) as Json;
    const generation = ((object['metadata'] ?? {}) as Json)['generation'];
    return {
      spec: { replicas: spec['replicas'], strategy: spec['strategy'], nodeSelector: podSpec['nodeSelector'], affinity: podSpec['affinity'] },
      status: {
        observedCurrentGeneration: status['observedGeneration'] === generation,
        replicas: status['replicas'],
        updatedReplicas: status['updatedReplicas'],
        readyReplicas: status['readyReplicas'],
        availableReplicas: status['availableReplicas'],
        conditions: readConditions(object),
      },
    };
  }

  async names(apiVersion: string, kind: string): Promise<string[] | 'not served'> {
    try {
      const list = await this.api.list(apiVersion, kind, registryNamespace);
      return list.items
        .map((item) => {
          const modes = (item as { spec?: { accessModes?: string[] } }).spec?.accessModes;
          return kind === 'PersistentVolumeClaim' ? `${item.metadata?.name ?? ''} ${(modes ?? []).join(',')}` : (item.metadata?.name ?? '');
        })
        .sort();
    } catch {
      return 'not served';
    }
  }
}

export class DifferentialScenario {
  private readonly steps: StepResult[] = [];
  private readonly s3: S3Client;
  private readonly infraNames = new Map<string, string>();

  constructor(
    private readonly target: DifferentialTarget,
    private readonly onStep: () => Promise<void> = async () => undefined,
  ) {
    const agent = target.s3.caPem === undefined ? undefined : new Agent({ ca: target.s3.caPem });
    this.s3 = new S3Client({
      endpoint: target.s3.endpoint,
      region: target.s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: target.s3.accessKeyId, secretAccessKey: target.s3.secretAccessKey },
      ...(agent === undefined ? {} : { requestHandler: new NodeHttpHandler({ httpsAgent: agent }) }),
    });
  }

  client(cluster: string): ClusterClient {
    return new ClusterClient(this.target.kubeconfig, cluster);
  }

  /** Reads every cluster's infrastructure name first, so each observation can mask the others' too. */
  async learnInfrastructureNames(clusters: string[]): Promise<void> {
    for (const name of clusters) await this.infraName(this.client(name));
  }

  private async infraName(cluster: ClusterClient): Promise<string> {
    let name = this.infraNames.get(cluster.name);
    if (name === undefined) {
      const infra = (await cluster.read(infrastructure)) as { status?: { infrastructureName?: string } };
      name = infra.status?.infrastructureName ?? cluster.name;
      this.infraNames.set(cluster.name, name);
    }
    return name;
  }

  private async observe(cluster: ClusterClient): Promise<Observation> {
    const live = (await cluster.read(config)) as { spec?: unknown; status?: Json };
    const objects: Record<string, string[] | 'not served'> = {};
    for (const [apiVersion, kind] of operandKinds) objects[kind] = await cluster.names(apiVersion, kind);
    const buckets = ((await this.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name ?? '').sort();
    const raw: Observation = {
      config: { conditions: readConditions(live), spec: live.spec, status: { storage: live.status?.['storage'], storageManaged: live.status?.['storageManaged'], readyReplicas: live.status?.['readyReplicas'] } },
      clusterOperator: readConditions(await cluster.read(clusterOperator)),
      image: (await cluster.read(image) as { status?: unknown }).status,
      objects,
      deployment: await cluster.deployment(),
      buckets,
    };
    return normalise(raw, await this.infraName(cluster), this.infraNames) as Observation;
  }

  /** Waits until the Config's generation is observed and conditions stop changing, at least `minMs`. */
  private async settle(cluster: ClusterClient, minMs: number): Promise<number> {
    const { pollMs, settleTimeoutMs } = this.target.timing;
    const started = Date.now();
    let last = '';
    let stable = 0;
    while (Date.now() - started < settleTimeoutMs) {
      const live = (await cluster.read(config)) as { metadata?: { generation?: number }; status?: { observedGeneration?: number } };
      const co = readConditions(await cluster.read(clusterOperator));
      const key = JSON.stringify([readConditions(live).map((c) => [c.type, c.status, c.reason]), co.map((c) => [c.type, c.status, c.reason])]);
      const observed = (live.status?.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
      stable = observed && key === last ? stable + 1 : 0;
      last = key;
      if (stable >= 3 && Date.now() - started >= minMs) return Date.now() - started;
      await sleep(pollMs);
    }
    throw new Error(`${this.target.kind}: cluster ${cluster.name}: the registry did not settle within ${settleTimeoutMs} ms`);
  }

  /** Runs `act` on a cluster, waits for the operator, records what it did. */
  async step(name: string, clusterName: string, description: string, act: (cluster: ClusterClient) => Promise<void>, minMs = this.target.timing.minSettleMs): Promise<StepResult> {
    const cluster = this.client(clusterName);
    await act(cluster);
    const settledMs = await this.settle(cluster, minMs);
    const result = { step: name, cluster: clusterName, description, settledMs, observation: await this.observe(cluster) };
    this.steps.push(result);
    // written after every step: a target that fails half-way still leaves what it showed
    await this.onStep();
    return result;
  }

  result(startedAt: string): ScenarioResult {
    return { target: this.target.kind, startedAt, finishedAt: new Date().toISOString(), steps: this.steps };
  }
}

const nothing = async (): Promise<void> => undefined;

/** The steps issue #11 lists, in order, each leaving the cluster for the next. */
export async function runDifferentialScenario(target: DifferentialTarget, onStep: (partial: ScenarioResult) => Promise<void> = async () => undefined): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const s: DifferentialScenario = new DifferentialScenario(target, (): Promise<void> => onStep(s.result(startedAt)));
  await s.learnInfrastructureNames(differentialClusters.map((cluster) => cluster.name));
  await s.step('bootstrap-aws', 'diff-aws', 'AWS install: S3 bootstrap', nothing);
  await s.step('bootstrap-vsphere', 'diff-vs', 'vSphere install: Removed bootstrap', nothing);
  await s.step('removed-to-managed', 'diff-vs', 'Removed → Managed on emptyDir, 1 replica', (c) => c.mergePatch(config, { spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } } }));
  await s.step('storage-change-refused', 'diff-vs', 'a second backend (pvc) next to emptyDir', (c) => c.mergePatch(config, { spec: { storage: { pvc: { claim: 'second' } } } }));
  await s.step('storage-change-reverted', 'diff-vs', 'the second backend removed again', (c) => c.mergePatch(config, { spec: { storage: { pvc: null } } }));
  await s.step('managed-to-removed', 'diff-aws', 'Managed → Removed: the Managed bucket is deleted', (c) => c.mergePatch(config, { spec: { managementState: 'Removed' } }));
  await s.step('removed-to-managed-aws', 'diff-aws', 'Removed → Managed: the bucket comes back', (c) => c.mergePatch(config, { spec: { managementState: 'Managed' } }));
  const badSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'image-registry-private-configuration-user', namespace: registryNamespace },
    stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIADIFFERENTIALBAD0', REGISTRY_STORAGE_S3_SECRETKEY: 'not-a-valid-secret-key' },
  } as KubernetesObject;
  await s.step('bad-storage-secret', 'diff-aws', 'a user storage secret with keys S3 does not know', (c) => c.apply(badSecret));
  await s.step('bad-storage-secret-removed', 'diff-aws', 'the user storage secret deleted', (c) => c.remove(badSecret));
  await s.step('missing-trusted-ca', 'diff-aws', 'images.config additionalTrustedCA names a missing ConfigMap', (c) => c.mergePatch(image, { spec: { additionalTrustedCA: { name: 'differential-missing-ca' } } }));
  await s.step('trusted-ca-cleared', 'diff-aws', 'additionalTrustedCA cleared', (c) => c.mergePatch(image, { spec: { additionalTrustedCA: null } }));
  const route = { name: 'differential', hostname: 'registry.differential.example' };
  await s.step('route-added', 'diff-aws', 'spec.routes gains one route with a hostname (admitted by a router stand-in where Routes are served)', async (c) => {
    await c.mergePatch(config, { spec: { routes: [route] } });
    await c.admitRoutes([route.name], target.timing.settleTimeoutMs, target.timing.pollMs);
  });
  await s.step('pvc-rwo-two-replicas', 'diff-vs', 'Managed on the admin RWO claim registry-storage with 2 replicas, RollingUpdate', (c) =>
    c.mergePatch(config, { spec: { managementState: 'Managed', replicas: 2, storage: { emptyDir: null, pvc: { claim: 'registry-storage' } } } }),
  );
  await s.step('pvc-rwo-one-replica', 'diff-vs', '1 replica, Recreate on the same claim', (c) => c.mergePatch(config, { spec: { replicas: 1, rolloutStrategy: 'Recreate' } }));
  await s.step('pvc-default-claim', 'diff-vs', 'pvc {} (the operator creates its claim), 2 replicas, RollingUpdate', (c) => c.mergePatch(config, { spec: { replicas: 2, rolloutStrategy: 'RollingUpdate', storage: { pvc: {} } } }));
  await s.step(
    'canary-node-selector',
    'diff-aws',
    'a nodeSelector no node matches, observed after the Deployment progress deadline',
    (c) => c.mergePatch(config, { spec: { nodeSelector: { 'node-role.kubernetes.io/canary': '' } } }),
    target.timing.progressDeadlineMs + 3 * target.timing.pollMs + 1000,
  );
  await s.step('canary-node-selector-removed', 'diff-aws', 'the nodeSelector removed', (c) => c.mergePatch(config, { spec: { nodeSelector: null } }));
  // condition lifecycle and texts beyond issue #11's list: errors the operator finds itself, so moto's
  // lenience does not matter (s3.go getCredentialsConfigData, CABundle; complete.go verifyResource)
  const halfSecret = { ...badSecret, stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIADIFFERENTIALHALF' } } as KubernetesObject;
  await s.step('storage-secret-missing-key', 'diff-aws', 'a user storage secret without REGISTRY_STORAGE_S3_SECRETKEY', (c) => c.apply(halfSecret));
  await s.step('storage-secret-missing-key-removed', 'diff-aws', 'that secret deleted', (c) => c.remove(halfSecret));
  await s.step('s3-trusted-ca-missing', 'diff-aws', 'spec.storage.s3.trustedCA names a missing ConfigMap', (c) => c.mergePatch(config, { spec: { storage: { s3: { trustedCA: { name: 'differential-missing-s3-ca' } } } } }));
  await s.step('s3-trusted-ca-cleared', 'diff-aws', 'spec.storage.s3.trustedCA name emptied', (c) => c.mergePatch(config, { spec: { storage: { s3: { trustedCA: { name: '' } } } } }));
  await s.step('route-name-reserved', 'diff-aws', 'a route named default-route (VerificationFailed)', (c) => c.mergePatch(config, { spec: { routes: [{ name: 'default-route' }] } }));
  await s.step('route-name-restored', 'diff-aws', 'the route list restored', (c) => c.mergePatch(config, { spec: { routes: [route] } }));
  await s.step('unmanaged', 'diff-vs', 'managementState Unmanaged', (c) => c.mergePatch(config, { spec: { managementState: 'Unmanaged' } }));
  await s.step('unmanaged-to-managed', 'diff-vs', 'back to Managed', (c) => c.mergePatch(config, { spec: { managementState: 'Managed' } }));
  return s.result(startedAt);
}
