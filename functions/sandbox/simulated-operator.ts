import { createHash, randomBytes } from 'node:crypto';
import type { AwsEmulator } from './aws/index.ts';
import { isJsonEqual, isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';
import type { StoredObject } from './object-store.ts';
import { aggregateClusterOperatorConditions, mergeConditions, type Condition } from './registry-conditions.ts';
import type { ResourceInfo } from './resource-catalog.ts';
import { toPlatformType } from './cluster-bootstrap.ts';
import { buildBootstrapConfigSpec, buildBootstrapPrunerSpec, generateBucketName, platformStorage } from './registry-defaults.ts';
import { registryDeploymentName, renderDeploymentSpec, renderDeploymentStatus } from './registry-deployment.ts';
import { registryResources } from './registry-resources.ts';
import type { SandboxCluster } from './sandbox-cluster.ts';
import { countSchedulablePods } from './simulated-scheduler.ts';

/** Timing of the simulated operator (docs/interfaces.md §2 SandboxOptions). */
export interface OperatorTiming {
  progressingMs: number;
  degradedAfterMs: number;
  /** The registry Deployment's progressDeadlineSeconds (120 s, pkg/resource/deployment.go), compressible. */
  progressDeadlineMs?: number;
  /**
   * How long the Deployment controller takes to observe a new registry template (default 0). Until then
   * the operator judges the old, rolled-out Deployment: the Config shows the new observedGeneration with
   * Progressing False, as the testbed's real operator writes it in the sync that updates the Deployment
   * (functions/testbed/README.md, "What the testbed found"); only the Deployment's own observedGeneration
   * tells the rollout has not started.
   */
  deploymentObserveLagMs?: number;
}

const operatorManager = 'cluster-image-registry-operator';
const registryNamespace = 'openshift-image-registry';
const finalizer = 'imageregistry.operator.openshift.io/finalizer';
const userSecretName = 'image-registry-private-configuration-user';
const internalHostname = 'image-registry.openshift-image-registry.svc:5000';
const operatorVersion = '4.19.0';
const claimOwnerAnnotation = 'imageregistry.openshift.io';
const defaultClaim = 'image-registry-storage';
const backendNames: Record<string, string> = { emptyDir: 'EmptyDir', s3: 'S3', gcs: 'GCS', swift: 'Swift', pvc: 'PVC', azure: 'Azure', ibmcos: 'IBMCOS' };

function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// generator.go Apply: every error of the storage driver's sync is wrapped so
function storageSyncProblem(driverError: string): SyncProblem {
  return { kind: 'transient', reason: 'Error', message: `unable to sync storage configuration: ${driverError}` };
}

function readMap(value: JsonValue | undefined): JsonMap {
  return isJsonMap(value) ? value : {};
}

function decodeSecretValue(data: JsonMap, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

interface RegistryDeployment {
  exists: boolean;
  templateHash: string;
  replicas: number;
  readyReplicas: number;
  /** Pods of all ReplicaSets (Deployment status.replicas): above readyReplicas while new pods cannot schedule. */
  podCount: number;
  /** The Deployment's Progressing condition is NewReplicaSetAvailable. */
  complete: boolean;
  /** Ready pods of the previous ReplicaSet when the template last changed. */
  oldReady: number;
  stuck: boolean;
  rolloutUntil: number;
  deadlineAt: number;
  scaleUntil: number;
  deleteUntil: number;
  /** A new template waits for the Deployment controller until then (deploymentObserveLagMs); 0 when none waits. */
  observeAt: number;
}

interface SyncProblem {
  kind: 'transient' | 'permanent';
  reason: string;
  message: string;
}

/**
 * The image registry operator, simulated for one cluster: bootstraps its objects, fills in spec as the
 * operator does (§4), and writes Config, ImagePruner, Image and ClusterOperator status following
 * docs/registry-operator-facts.md §6. Syncs run on a timer after every relevant change; stop() clears timers.
 */
export class SimulatedOperator {
  private readonly deployment: RegistryDeployment = {
    exists: false,
    templateHash: '',
    replicas: 0,
    readyReplicas: 0,
    podCount: 0,
    complete: false,
    oldReady: 0,
    stuck: false,
    rolloutUntil: 0,
    deadlineAt: 0,
    scaleUntil: 0,
    deleteUntil: 0,
    observeAt: 0,
  };
  /** Storage condition updates of the running sync, applied over the stored ones (stale ones stay, status.go updateCondition). */
  private storageUpdates: Condition[] = [];
  /** The spec the operator wrote in this sync and what reconciling it found: the next round reuses it, as one real sync. */
  private reconciled: { specJson: string; problem: SyncProblem | undefined } | undefined;
  /** The storage the operator applied (status.storage) when this sync (re)configured or removed it. */
  private appliedStorage: JsonMap | undefined;
  /** Swift containers that exist (the sandbox has no Swift): those a seeded Config's status names, and those created. */
  private readonly swiftContainers = new Set<string>();
  private storageCreated = false;
  /** The Config spec the registry Deployment was last applied from (writeDeploymentObject). */
  private deploymentSpec: JsonMap = {};
  /** Hosts of the routes the last successful Apply created (admittedRouteHosts). */
  private routeHosts: string[] = [];
  /** The node-ca controller has run: the registry was applied at least once (computeControllerConditions). */
  private nodeCaDeployed = false;
  private unavailableSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private syncing = false;
  private stopped = false;
  private seenSpec: JsonMap | undefined;
  /** The message of the last failed background sync, if the latest one failed. */
  lastError: string | undefined;

  constructor(
    private readonly cluster: SandboxCluster,
    private readonly aws: AwsEmulator,
    private readonly timing: OperatorTiming,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts watching the store; with `settle` the first sync treats the registry as already rolled out. */
  start(settle: boolean): void {
    // a seeded Config (an `oc get -o yaml` dump) names the Swift container that exists on its cloud
    const seeded = this.store.get(registryResources.config, undefined, 'cluster');
    const container = readMap(readMap(readMap(seeded?.object['status'])['storage'])['swift'])['container'];
    if (typeof container === 'string' && container !== '') this.swiftContainers.add(container);
    this.syncNow(settle);
    this.cluster.store.onChange((info, current) => {
      if (this.syncing || this.stopped || !this.isRelevant(info, current)) return;
      this.schedule(this.now());
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private isRelevant(info: ResourceInfo, current: StoredObject | undefined): boolean {
    if (info === registryResources.clusterOperator) return false;
    if (info === registryResources.secret || info === registryResources.configMap) {
      const namespace = current === undefined ? undefined : readMap(current.object['metadata'])['namespace'];
      return current === undefined || namespace === registryNamespace || namespace === 'openshift-config';
    }
    return true;
  }

  private schedule(at: number): void {
    if (this.stopped || at >= this.wakeAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      try {
        this.syncNow(false);
        this.lastError = undefined;
      } catch (error) {
        // a sync that throws must not take the whole sandbox down; it is kept for /_sandbox/status
        this.lastError = error instanceof Error ? error.message : 'sync failed';
      }
    }, Math.max(0, at - this.now()));
    this.timer.unref();
  }

  /** One sync of every controller; repeats (bounded) while its own spec writes change things. */
  syncNow(settle: boolean): void {
    if (this.stopped) return;
    this.syncing = true;
    try {
      this.syncOnce(settle);
      // the operator's own status write is an event: it syncs again at once and then reports the
      // steady-state storage check (pkg/resource/generator.go: StorageExists when nothing changed)
      if (this.storageCreated) this.syncOnce(settle);
    } finally {
      this.syncing = false;
    }
  }

  private syncOnce(settle: boolean): void {
    this.storageUpdates = [];
    this.reconciled = undefined;
    this.appliedStorage = undefined;
    this.storageCreated = false;
    for (let round = 0; round < 5; round += 1) {
      if (!this.syncConfig(settle)) break;
    }
    this.syncPruner();
    this.syncImageConfig();
    this.syncClusterOperator();
  }

  private get store() {
    return this.cluster.store;
  }

  private writeAsOperator(info: ResourceInfo, stored: StoredObject | undefined, object: JsonMap, subresource?: 'status'): void {
    const name = String(readMap(object['metadata'])['name']);
    this.store.write({ info, namespace: undefined, name, object, create: stored === undefined, subresource, manager: operatorManager, operation: 'Update' });
  }

  private writeStatus(info: ResourceInfo, stored: StoredObject, status: JsonMap): void {
    if (isJsonEqual(stored.object['status'], status)) return;
    this.writeAsOperator(info, stored, { ...stored.object, status }, 'status');
  }

  private createObject(info: ResourceInfo, name: string, spec: JsonMap, extraMetadata: JsonMap = {}): void {
    this.store.write({
      info,
      namespace: undefined,
      name,
      object: { apiVersion: info.apiVersion, kind: info.kind, metadata: { name, ...extraMetadata }, spec },
      create: true,
      manager: operatorManager,
      operation: 'Update',
    });
  }

  /** The platform as the operator reads it: infrastructures.config/cluster status.platformStatus.type (pkg/storage/storage.go). */
  private platformType(): string {
    const infra = this.store.get(registryResources.infrastructure, undefined, 'cluster');
    const status = readMap(infra?.object['status']);
    const type = readMap(status['platformStatus'])['type'] ?? status['platform'];
    return typeof type === 'string' && type !== '' ? type : toPlatformType(this.cluster.spec.platform);
  }

  private infrastructureStatus(): JsonMap {
    return readMap(this.store.get(registryResources.infrastructure, undefined, 'cluster')?.object['status']);
  }

  private region(): string {
    const region = readMap(readMap(this.infrastructureStatus()['platformStatus'])['aws'])['region'];
    return typeof region === 'string' && region !== '' ? region : this.cluster.spec.region;
  }

  private infrastructureName(): string {
    const name = this.infrastructureStatus()['infrastructureName'];
    return typeof name === 'string' && name !== '' ? name : this.cluster.infrastructureName;
  }

  // Swift counts as enabled when the cloud credentials carry clouds.yaml: the sandbox's stand-in for
  // the OpenStack catalog listing an object-store endpoint (pkg/storage/swift/swift.go IsSwiftEnabled).
  private swiftEnabled(): boolean {
    const cloud = this.store.get(registryResources.secret, registryNamespace, 'installer-cloud-credentials');
    return decodeSecretValue(readMap(cloud?.object['data']), 'clouds.yaml') !== undefined;
  }

  /** pkg/operator/bootstrap.go: the default Config (and, for OpenStack without Swift and oVirt, a ReadWriteOnce claim). */
  private bootstrapConfig(): void {
    const platform = platformStorage(this.platformType(), this.swiftEnabled());
    if (platform.bootstrapClaim !== undefined && this.store.get(registryResources.claim, registryNamespace, platform.bootstrapClaim.name) === undefined) {
      this.createClaim(platform.bootstrapClaim.name, 'ReadWriteOnce', platform.bootstrapClaim.storageClassName);
    }
    const singleReplica = this.infrastructureStatus()['infrastructureTopology'] === 'SingleReplica';
    this.createObject(registryResources.config, 'cluster', buildBootstrapConfigSpec(platform, singleReplica), { finalizers: [finalizer] });
  }

  private createClaim(name: string, accessMode: string, storageClassName: string | undefined): void {
    const spec: JsonMap = { accessModes: [accessMode], resources: { requests: { storage: '100Gi' } } };
    if (storageClassName !== undefined) spec['storageClassName'] = storageClassName;
    this.store.write({
      info: registryResources.claim,
      namespace: registryNamespace,
      name,
      object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: registryNamespace, annotations: { [claimOwnerAnnotation]: 'true' } }, spec },
      create: true,
      manager: operatorManager,
      operation: 'Update',
    });
  }

  private updateStorageCondition(status: Condition['status'], reason: string, message: string): void {
    this.storageUpdates = [...this.storageUpdates.filter((update) => update.type !== 'StorageExists'), { type: 'StorageExists', status, reason, message }];
  }

  /** Returns true when it wrote the Config spec (another round is needed). */
  private syncConfig(settle: boolean): boolean {
    const info = registryResources.config;
    const stored = this.store.get(info, undefined, 'cluster');
    if (stored === undefined) {
      this.bootstrapConfig();
      return true;
    }
    const metadata = readMap(stored.object['metadata']);
    if (metadata['deletionTimestamp'] !== undefined) {
      // the finalizer runs the Removed path (Managed storage deleted), then a fresh default Config is created (docs/registry-operator-facts.md §9.2)
      this.removeStorage(structuredClone(readMap(stored.object['spec'])), readMap(stored.object['status']));
      this.deployment.exists = false;
      this.deployment.readyReplicas = 0;
      this.store.purge(info, undefined, 'cluster');
      this.bootstrapConfig();
      return true;
    }
    const finalizers = Array.isArray(metadata['finalizers']) ? metadata['finalizers'] : [];
    const spec = readMap(stored.object['spec']);
    if (this.loseRace(stored, spec)) return true;
    const specJson = JSON.stringify(spec);
    let problem: SyncProblem | undefined;
    let nextSpec = spec;
    if (this.reconciled?.specJson === specJson) {
      problem = this.reconciled.problem;
    } else {
      nextSpec = structuredClone(spec);
      problem = this.reconcileSpec(nextSpec, readMap(stored.object['status']));
    }
    if (!finalizers.includes(finalizer) || !isJsonEqual(nextSpec, spec)) {
      const object: JsonMap = { ...stored.object, metadata: { ...metadata, finalizers: finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer] }, spec: this.withZeroValues(nextSpec) };
      this.writeAsOperator(info, stored, object);
      const written = readMap(this.store.get(info, undefined, 'cluster')?.object['spec']);
      this.seenSpec = written;
      this.reconciled = { specJson: JSON.stringify(written), problem };
      return true;
    }
    this.updateDeployment(spec, problem, settle);
    this.writeDeploymentObject();
    this.writeConfigStatus(stored, spec, problem);
    this.seenSpec = spec;
    return false;
  }

  /**
   * The operator's write race (pkg/operator/controller.go "Here be dragons"; docs/registry-operator-facts.md §4):
   * it writes a spec computed from an older read over the latest object, keeping only that object's
   * managementState, so a user's change can be silently reverted. Switched on per cluster by the
   * `operatorRaceRate` fault, for the share of outside spec changes that lose.
   */
  private loseRace(stored: StoredObject, spec: JsonMap): boolean {
    const rate = this.cluster.faults.operatorRaceRate ?? 0;
    const seen = this.seenSpec;
    if (rate <= 0 || seen === undefined || isJsonEqual(seen, spec) || this.random() >= rate) return false;
    const reverted: JsonMap = { ...structuredClone(seen), managementState: spec['managementState'] ?? seen['managementState'] ?? 'Managed' };
    this.writeAsOperator(registryResources.config, stored, { ...stored.object, spec: this.withZeroValues(reverted) });
    this.seenSpec = readMap(this.store.get(registryResources.config, undefined, 'cluster')?.object['spec']);
    return true;
  }

  // The operator writes its whole spec with a Go client: zero values appear (docs/registry-operator-facts.md §4).
  private withZeroValues(spec: JsonMap): JsonMap {
    const out = { ...spec };
    if (out['proxy'] === undefined) out['proxy'] = {};
    const requests = readMap(out['requests']);
    out['requests'] = {
      ...requests,
      read: { maxWaitInQueue: '0s', ...readMap(requests['read']) },
      write: { maxWaitInQueue: '0s', ...readMap(requests['write']) },
    };
    const storage = readMap(out['storage']);
    if (isJsonMap(storage['s3'])) {
      const s3 = storage['s3'];
      out['storage'] = { ...storage, s3: { ...s3, virtualHostedStyle: s3['virtualHostedStyle'] ?? false, trustedCA: s3['trustedCA'] ?? { name: '' } } };
    }
    for (const key of ['nodeSelector', 'tolerations', 'topologySpreadConstraints', 'routes']) {
      const value = out[key];
      // omitempty fields that are empty disappear when the operator writes the spec
      if ((Array.isArray(value) && value.length === 0) || (isJsonMap(value) && Object.keys(value).length === 0)) delete out[key];
    }
    return out;
  }

  /** Fills in what the operator writes into spec and finds what keeps the configuration from working. */
  private reconcileSpec(spec: JsonMap, status: JsonMap): SyncProblem | undefined {
    if (spec['managementState'] === 'Removed') {
      this.removeStorage(spec, status);
      return undefined;
    }
    if (spec['managementState'] !== 'Managed') return undefined;
    // pkg/operator/complete.go verifyResource, wrapped by controller.go createOrUpdateResources
    const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 0;
    if (replicas < 0) return { kind: 'permanent', reason: 'VerificationFailed', message: 'unable to complete resource: replicas must be greater than or equal to 0' };
    const routes = Array.isArray(spec['routes']) ? spec['routes'].filter(isJsonMap) : [];
    const routeNames = ['default-route', ...routes.map((route) => String(route['name'] ?? ''))];
    if (new Set(routeNames).size !== routeNames.length) {
      // the name of the default route counts as taken, whether or not spec.defaultRoute is set
      return { kind: 'permanent', reason: 'VerificationFailed', message: 'unable to complete resource: duplication of names has been detected in the additional routes' };
    }

    const storage = readMap(spec['storage']);
    const backends = Object.keys(backendNames).filter((key) => storage[key] !== undefined && storage[key] !== null);
    if (backends.length === 0) {
      // no storage: the platform default is written into spec (pkg/resource/generator.go ErrStorageNotConfigured)
      const platform = platformStorage(this.platformType(), this.swiftEnabled());
      if (Object.keys(platform.storage).length === 0) return { kind: 'permanent', reason: 'StorageNotConfigured', message: 'storage backend not configured' };
      spec['storage'] = { ...storage, ...structuredClone(platform.storage) };
      return undefined;
    }
    if (backends.length > 1) {
      const names = backends.map((key) => backendNames[key] ?? key);
      return storageSyncProblem(`exactly one storage type should be configured at the same time, got ${backends.length}: [${names.join(' ')}]`);
    }
    if (typeof spec['httpSecret'] !== 'string' || spec['httpSecret'] === '') spec['httpSecret'] = randomBytes(64).toString('hex');
    for (const direction of ['read', 'write']) {
      const limits = readMap(readMap(spec['requests'])[direction]);
      for (const key of ['maxRunning', 'maxInQueue']) {
        const value = limits[key];
        if (typeof value === 'number' && value < 0) return { kind: 'transient', reason: 'Error', message: `${direction} requests: ${key} must be non-negative` };
      }
    }
    const problem = this.reconcileStorage(backends[0] ?? '', spec, readMap(status['storage']));
    return problem === undefined ? undefined : storageSyncProblem(problem);
  }

  /** The storage driver's sync (generator.go syncStorage); its error, if any, without Apply's prefix. */
  private reconcileStorage(backend: string, spec: JsonMap, previous: JsonMap): string | undefined {
    const storage = readMap(spec['storage']);
    if (backend === 's3') return this.reconcileS3(spec, previous);
    if (backend === 'pvc') return this.reconcileClaim(spec, previous);
    if (backend === 'swift') return this.reconcileSwift(spec, previous);
    if (backend === 'emptyDir') {
      // pkg/storage/emptydir/emptydir.go: CreateStorage only when the configuration changed
      if (!isJsonEqual(previous['emptyDir'], storage['emptyDir'])) {
        this.updateStorageCondition('True', 'Creation Successful', 'EmptyDir storage successfully created');
        this.storageCreated = true;
        if (storage['managementState'] === undefined || storage['managementState'] === '') spec['storage'] = { ...storage, managementState: 'Managed' };
      }
      return undefined;
    }
    const name = backendNames[backend] ?? backend;
    const home: Record<string, string[]> = { gcs: ['GCP'], azure: ['Azure'], ibmcos: ['IBMCloud', 'PowerVS'] };
    if (home[backend]?.includes(this.platformType()) === true) {
      return `${name} storage is not emulated by the sandbox`;
    }
    return `${name} storage is not available on this platform`;
  }

  /**
   * The Removed path for Managed storage (pkg/resource/generator.go Remove, which builds the driver from
   * status.storage): S3 empties and deletes the bucket and clears spec.storage.s3.bucket
   * (pkg/storage/s3/s3.go RemoveStorage), Swift the container (swift.go), PVC the claim (pvc.go);
   * status.storage is emptied either way.
   */
  private removeStorage(spec: JsonMap, status: JsonMap): void {
    const applied = readMap(status['storage']);
    this.appliedStorage = {};
    const managed = readMap(spec['storage'])['managementState'] === 'Managed';
    if (!managed) return;
    const s3Bucket = readMap(applied['s3'])['bucket'];
    if (typeof s3Bucket === 'string' && s3Bucket !== '') {
      const existed = this.aws.deleteBucket(s3Bucket);
      this.updateStorageCondition('False', 'S3 Bucket Deleted', existed ? 'The S3 bucket has been removed.' : 'The S3 bucket did not exist.');
      // the driver sets spec.storage.s3.bucket to "", which the Go client drops (`bucket,omitempty`)
      const specS3 = readMap(spec['storage'])['s3'];
      if (isJsonMap(specS3) && specS3['bucket'] !== undefined) {
        const { bucket: _bucket, ...s3 } = specS3;
        spec['storage'] = { ...readMap(spec['storage']), s3 };
      }
      return;
    }
    const container = readMap(applied['swift'])['container'];
    if (typeof container === 'string' && container !== '') {
      this.swiftContainers.delete(container);
      this.updateStorageCondition('False', 'Swift Container Deleted', 'The swift container has been removed.');
      const specSwift = readMap(spec['storage'])['swift'];
      if (isJsonMap(specSwift) && specSwift['container'] !== undefined) {
        const { container: _container, ...swift } = specSwift;
        spec['storage'] = { ...readMap(spec['storage']), swift };
      }
      return;
    }
    const claim = readMap(applied['pvc'])['claim'];
    if (typeof claim === 'string' && claim !== '' && this.store.get(registryResources.claim, registryNamespace, claim) !== undefined) {
      this.store.delete(registryResources.claim, registryNamespace, claim, false);
    }
  }

  /**
   * PVC storage (pkg/storage/pvc/pvc.go): reconfigured only when spec.storage.pvc differs from status
   * or the claim is missing; an empty claim gets the operator's own ReadWriteMany claim
   * `image-registry-storage`; a named claim is checked for its access modes (checkPVC, §3.8).
   */
  private reconcileClaim(spec: JsonMap, previous: JsonMap): string | undefined {
    const storage = readMap(spec['storage']);
    const pvc = readMap(storage['pvc']);
    const named = typeof pvc['claim'] === 'string' ? pvc['claim'] : '';
    if (isJsonEqual(previous['pvc'], storage['pvc']) && named !== '') {
      if (this.store.get(registryResources.claim, registryNamespace, named) !== undefined) {
        this.updateStorageCondition('True', 'PVC Exists', '');
        return undefined;
      }
      this.updateStorageCondition('False', 'PVC does not exist', '');
    }
    this.storageCreated = true;
    let managementState = 'Unmanaged';
    const claimName = named !== '' ? named : defaultClaim;
    if (named === '') {
      managementState = 'Managed';
      const existing = this.store.get(registryResources.claim, registryNamespace, claimName);
      if (existing === undefined) {
        this.createClaim(claimName, 'ReadWriteMany', undefined);
        this.updateStorageCondition('True', 'PVC Created', '');
      } else if (readMap(readMap(existing.object['metadata'])['annotations'])[claimOwnerAnnotation] !== 'true') {
        const message = 'could not create default PVC, it already exists and is not owned by the operator';
        this.updateStorageCondition('False', 'PVC Already Exists', message);
        return message;
      }
    } else {
      this.updateStorageCondition('True', 'PVC Exists', '');
    }
    const problem = this.checkClaim(spec, claimName);
    if (problem !== undefined) {
      this.updateStorageCondition('False', 'PVC Issues Found', problem);
      return problem;
    }
    spec['storage'] = { ...storage, pvc: { ...pvc, claim: claimName }, managementState: typeof storage['managementState'] === 'string' && storage['managementState'] !== '' ? storage['managementState'] : managementState };
    this.appliedStorage = structuredClone(readMap(spec['storage']));
    return undefined;
  }

  // pkg/storage/pvc/pvc.go checkPVC: RWX accepted; RWO needs replicas <= 1 and Recreate; neither is refused.
  private checkClaim(spec: JsonMap, claimName: string): string | undefined {
    const claim = this.store.get(registryResources.claim, registryNamespace, claimName);
    if (claim === undefined) return `persistentvolumeclaims "${claimName}" not found`;
    const modes = readMap(claim.object['spec'])['accessModes'];
    const list = Array.isArray(modes) ? modes : [];
    if (list.includes('ReadWriteMany')) return undefined;
    if (list.includes('ReadWriteOnce')) {
      const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      if (replicas > 1) return 'cannot use ReadWriteOnce access mode with more than one replica of the image registry';
      const strategy = typeof spec['rolloutStrategy'] === 'string' ? spec['rolloutStrategy'] : '';
      if (strategy !== 'Recreate') return `cannot use ReadWriteOnce access mode with ${strategy} rollout strategy`;
      return undefined;
    }
    return `PVC ${claimName} does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce`;
  }

  /**
   * Swift (pkg/storage/swift/swift.go) on OpenStack: credentials from the user secret or clouds.yaml;
   * an empty container gets `<infrastructureName>-image-registry-<random>` (Managed); a named one that
   * exists is used (Unmanaged). The sandbox has no Swift: containers exist when a seeded Config's status
   * named them or this operator created them.
   */
  private reconcileSwift(spec: JsonMap, previous: JsonMap): string | undefined {
    if (this.platformType() !== 'OpenStack') return 'Swift storage is not available on this platform';
    const userSecret = this.store.get(registryResources.secret, registryNamespace, userSecretName);
    if (userSecret === undefined && !this.swiftEnabled()) {
      return `unable to get cluster minted credentials "${registryNamespace}/installer-cloud-credentials": secret "installer-cloud-credentials" not found`;
    }
    const storage = readMap(spec['storage']);
    const swift = { ...readMap(storage['swift']) };
    const named = typeof swift['container'] === 'string' ? swift['container'] : '';
    if (isJsonEqual(previous['swift'], storage['swift']) && named !== '' && this.swiftContainers.has(named)) {
      this.updateStorageCondition('True', 'Swift container Exists', '');
      return undefined;
    }
    this.storageCreated = true;
    let managementState = typeof storage['managementState'] === 'string' ? storage['managementState'] : '';
    if (named !== '' && this.swiftContainers.has(named)) {
      this.updateStorageCondition('True', 'Container exists', 'User supplied container already exists');
      if (managementState === '') managementState = 'Unmanaged';
    } else {
      const container = named !== '' ? named : `${this.infrastructureName()}-image-registry-${randomBytes(12).toString('hex')}`.slice(0, 62);
      this.swiftContainers.add(container);
      swift['container'] = container;
      this.updateStorageCondition('True', 'Swift Container Created', '');
      if (managementState === '') managementState = 'Managed';
    }
    spec['storage'] = { ...storage, swift, managementState };
    this.appliedStorage = structuredClone(readMap(spec['storage']));
    return undefined;
  }

  private readS3Credentials(): { accessKeyId: string; secretAccessKey: string } | string {
    const userSecret = this.store.get(registryResources.secret, registryNamespace, userSecretName);
    // all-or-nothing precedence: the user secret, if present, is the only source (docs/registry-operator-facts.md §3.9)
    if (userSecret !== undefined) {
      const data = readMap(userSecret.object['data']);
      for (const key of ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']) {
        if (decodeSecretValue(data, key) === undefined) {
          return `secret "${registryNamespace}/${userSecretName}" does not contain required key "${key}"`;
        }
      }
      return { accessKeyId: decodeSecretValue(data, 'REGISTRY_STORAGE_S3_ACCESSKEY') ?? '', secretAccessKey: decodeSecretValue(data, 'REGISTRY_STORAGE_S3_SECRETKEY') ?? '' };
    }
    const cloud = this.store.get(registryResources.secret, registryNamespace, 'installer-cloud-credentials');
    if (cloud === undefined) {
      return `unable to get cluster minted credentials "${registryNamespace}/installer-cloud-credentials": secret "installer-cloud-credentials" not found`;
    }
    const data = readMap(cloud.object['data']);
    return { accessKeyId: decodeSecretValue(data, 'aws_access_key_id') ?? '', secretAccessKey: decodeSecretValue(data, 'aws_secret_access_key') ?? '' };
  }

  /**
   * S3 (pkg/storage/s3/s3.go): when status.storage.s3 equals spec.storage.s3 only HeadBucket runs
   * (StorageExists: True "S3 Bucket Exists", no message); otherwise, or when the bucket is gone,
   * CreateStorage runs: a named bucket that exists is used (Unmanaged if unset), else the bucket is
   * created with the deterministic name (Managed if unset) and the effective config written to spec;
   * on Managed storage public access block, tags, encryption and lifecycle follow.
   */
  private reconcileS3(spec: JsonMap, previous: JsonMap): string | undefined {
    const storage = readMap(spec['storage']);
    const s3 = { ...readMap(storage['s3']) };
    const region = typeof s3['region'] === 'string' && s3['region'] !== '' ? s3['region'] : this.region();
    // StorageChanged marks a changed configuration Unknown before anything is tried; then getS3Service
    // reads the credentials and the CA bundle: in StorageExists (unchanged, a bucket named) its error is
    // StorageExists Unknown, in CreateStorage it is returned with the condition left as it was
    const changed = !isJsonEqual(previous['s3'], storage['s3']);
    if (changed) this.updateStorageCondition('Unknown', 'S3 Configuration Changed', 'S3 storage is in an unknown state');
    const bucketNamed = typeof s3['bucket'] === 'string' && s3['bucket'] !== '';
    const credentials = this.openS3Service(s3);
    if (typeof credentials === 'string') {
      if (!changed && bucketNamed) this.updateStorageCondition('Unknown', 'Unknown Error Occurred', credentials);
      return credentials;
    }
    if (!this.aws.areValidKeys(credentials.accessKeyId, credentials.secretAccessKey)) {
      // wrong keys: HeadBucket/CreateBucket fail with InvalidAccessKeyId (test/e2e/aws_test.go)
      const awsMessage = 'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.';
      this.updateStorageCondition('False', 'InvalidAccessKeyId', awsMessage);
      return awsMessage;
    }
    let managementState = typeof storage['managementState'] === 'string' ? storage['managementState'] : '';
    const named = typeof s3['bucket'] === 'string' && s3['bucket'] !== '' ? s3['bucket'] : '';
    if (isJsonEqual(previous['s3'], storage['s3']) && named !== '' && this.aws.bucketExists(named)) {
      this.updateStorageCondition('True', 'S3 Bucket Exists', '');
      return undefined;
    }
    this.storageCreated = true;
    const bucket = named !== '' ? named : generateBucketName(this.infrastructureName(), region);
    let writeEffective = false;
    if (named !== '' && this.aws.bucketExists(named)) {
      if (managementState === '') managementState = 'Unmanaged';
      this.updateStorageCondition('True', 'S3 Bucket Exists', 'User supplied S3 bucket exists and is accessible');
    } else {
      // a named bucket that is missing is created too, whatever storage.managementState says (CreateStorage:
      // HeadBucket NotFound, then CreateBucket with the credentials in use, which own it)
      try {
        this.aws.createBucket(bucket, region, credentials.accessKeyId);
      } catch (error) {
        const awsMessage = `InvalidBucketName: ${error instanceof Error ? error.message : 'the specified bucket is not valid'}`;
        this.updateStorageCondition('False', 'InvalidBucketName', awsMessage);
        return awsMessage;
      }
      if (managementState === '') managementState = 'Managed';
      this.updateStorageCondition('True', 'Creation Successful', 'S3 bucket was successfully created');
      writeEffective = true;
    }
    if (managementState === 'Managed') {
      // each step's condition text as pkg/storage/s3/s3.go writes it; a successful step rewrites spec with the effective config
      this.storageUpdates.push(
        { type: 'StoragePublicAccessBlocked', status: 'True', reason: 'Public Access Block Successful', message: 'Public access to the S3 bucket and its contents have been successfully blocked.' },
        { type: 'StorageTagged', status: 'True', reason: 'Tagging Successful', message: 'Tags were successfully applied to the S3 bucket' },
        { type: 'StorageEncrypted', status: 'True', reason: 'Encryption Successful', message: `Default ${typeof s3['keyID'] === 'string' && s3['keyID'] !== '' ? 'aws:kms' : 'AES256'} encryption was successfully enabled on the S3 bucket` },
        { type: 'StorageIncompleteUploadCleanupEnabled', status: 'True', reason: 'Enable Cleanup Successful', message: 'Default cleanup of incomplete multipart uploads after one (1) day was successfully enabled' },
      );
      s3['encrypt'] = true;
      writeEffective = true;
    }
    if (writeEffective) {
      s3['bucket'] = bucket;
      s3['region'] = region;
    }
    spec['storage'] = { ...storage, s3, managementState };
    return undefined;
  }

  /** getS3Service (s3.go): the keys in use, or why there is no client (credentials first, then the CA bundle). */
  private openS3Service(s3: JsonMap): { accessKeyId: string; secretAccessKey: string } | string {
    const credentials = this.readS3Credentials();
    if (typeof credentials === 'string') return credentials;
    return this.checkS3TrustedCA(readMap(s3['trustedCA'])['name']) ?? credentials;
  }

  // pkg/storage/s3/s3.go CABundle, wrapped by getS3Service
  private checkS3TrustedCA(name: JsonValue | undefined): string | undefined {
    if (typeof name !== 'string' || name === '') return undefined;
    const configMap = this.store.get(registryResources.configMap, 'openshift-config', name);
    if (configMap === undefined) return `unable to get S3 CA bundle: failed to get trusted CA "${name}": configmap "${name}" not found`;
    if (readMap(configMap.object['data'])['ca-bundle.crt'] === undefined) return `unable to get S3 CA bundle: trusted CA config map "${name}" does not contain required key "ca-bundle.crt"`;
    return undefined;
  }

  private dependencyChecksum(): string {
    const secret = this.store.get(registryResources.secret, registryNamespace, userSecretName);
    const image = this.store.get(registryResources.image, undefined, 'cluster');
    const caName = readMap(readMap(image?.object['spec'])['additionalTrustedCA'])['name'];
    const configMap = typeof caName === 'string' && caName !== '' ? this.store.get(registryResources.configMap, 'openshift-config', caName) : undefined;
    return JSON.stringify([secret?.object['data'] ?? null, configMap?.object['data'] ?? null]);
  }

  private updateDeployment(spec: JsonMap, problem: SyncProblem | undefined, settle: boolean): void {
    const now = this.now();
    const deployment = this.deployment;
    const state = spec['managementState'];
    if (state === 'Removed') {
      if (deployment.exists) {
        deployment.exists = false;
        deployment.deleteUntil = settle ? 0 : now + this.timing.progressingMs;
      }
      deployment.readyReplicas = 0;
      this.routeHosts = [];
      return;
    }
    if (state !== 'Managed' || problem !== undefined) return;
    this.deploymentSpec = spec;
    this.routeHosts = this.admittedRouteHosts(spec);
    const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
    const { replicas: _replicas, ...template } = spec;
    const templateHash = createHash('sha256').update(JSON.stringify([template, this.dependencyChecksum()])).digest('hex');
    const deadlineMs = this.timing.progressDeadlineMs ?? 120_000;
    if (!deployment.exists) {
      Object.assign(deployment, {
        exists: true,
        templateHash,
        replicas,
        readyReplicas: settle ? replicas : 0,
        podCount: replicas,
        complete: settle,
        oldReady: 0,
        stuck: false,
        rolloutUntil: settle ? 0 : now + this.timing.progressingMs,
        deadlineAt: now + deadlineMs,
        scaleUntil: 0,
      });
    } else if (deployment.templateHash !== templateHash) {
      const lag = this.timing.deploymentObserveLagMs ?? 0;
      if (lag > 0 && !settle && deployment.observeAt === 0) deployment.observeAt = now + lag;
      // the controller has not seen the new template: status (and the operator's judgement) stay the old
      // Deployment's; asked again each sync, as an earlier timer may have taken this wake-up's place
      if (now < deployment.observeAt) {
        this.schedule(deployment.observeAt);
        return;
      }
      deployment.observeAt = 0;
      Object.assign(deployment, { templateHash, oldReady: deployment.readyReplicas, complete: false, stuck: false, rolloutUntil: now + this.timing.progressingMs, deadlineAt: now + deadlineMs });
    }
    if (deployment.replicas !== replicas) {
      deployment.replicas = replicas;
      deployment.scaleUntil = now + this.timing.progressingMs;
    }
    const nodes = this.store.list(registryResources.node, undefined).map((stored) => stored.object);
    const { schedulable } = countSchedulablePods(nodes, spec, replicas);
    if (!deployment.complete && schedulable < replicas) {
      // new pods stay Pending: a rolling update keeps the old pods its maxUnavailable allows (§5), Recreate none;
      // the rollout never completes and the Deployment reports ProgressDeadlineExceeded after its deadline
      deployment.stuck = true;
      const maxUnavailable = replicas === 2 ? 1 : Math.max(replicas - 1, 0);
      const kept = spec['rolloutStrategy'] === 'Recreate' ? 0 : Math.min(deployment.oldReady, Math.max(replicas - maxUnavailable, 0));
      deployment.readyReplicas = Math.min(replicas, kept + schedulable);
      deployment.podCount = kept + replicas;
      if (now < deployment.deadlineAt) this.schedule(deployment.deadlineAt);
      return;
    }
    if (deployment.stuck) {
      // the pods fit now (a node was labelled, the selector fixed): the rollout proceeds from here
      deployment.stuck = false;
      deployment.rolloutUntil = Math.max(deployment.rolloutUntil, now + this.timing.progressingMs);
    }
    if (now >= deployment.rolloutUntil) deployment.complete = true;
    deployment.podCount = replicas;
    const target = Math.min(replicas, schedulable);
    if (now >= deployment.rolloutUntil && now >= deployment.scaleUntil) deployment.readyReplicas = target;
    else if (deployment.readyReplicas > target) deployment.readyReplicas = target;
    for (const at of [deployment.rolloutUntil, deployment.scaleUntil]) if (at > now) this.schedule(at);
  }

  /**
   * The registry Deployment as an API object (registry-deployment.ts): applied by the operator from the
   * Config spec it last applied (an edit is reverted on the next sync, docs/registry-operator-facts.md §5),
   * its status written as the Deployment controller would from the rollout model above; deleted once a
   * Removed registry finished deleting. Unmanaged and refused specs leave the object as it was.
   */
  private writeDeploymentObject(): void {
    const info = registryResources.deployment;
    const deployment = this.deployment;
    const stored = this.store.get(info, registryNamespace, registryDeploymentName);
    if (!deployment.exists) {
      if (stored !== undefined && this.now() >= deployment.deleteUntil) this.store.purge(info, registryNamespace, registryDeploymentName);
      return;
    }
    const progressDeadlineSeconds = Math.max(1, Math.round((this.timing.progressDeadlineMs ?? 120_000) / 1000));
    const spec = renderDeploymentSpec(this.deploymentSpec, deployment.replicas, progressDeadlineSeconds);
    const storedMetadata = readMap(stored?.object['metadata']);
    const annotations = { ...readMap(storedMetadata['annotations']), 'imageregistry.operator.openshift.io/checksum': `sha256:${deployment.templateHash}`, 'release.openshift.io/version': operatorVersion };
    const labels = { ...readMap(storedMetadata['labels']), 'docker-registry': 'default' };
    if (stored === undefined || !isJsonEqual(stored.object['spec'], spec) || !isJsonEqual(storedMetadata['annotations'], annotations) || !isJsonEqual(storedMetadata['labels'], labels)) {
      const metadata = { ...storedMetadata, name: registryDeploymentName, namespace: registryNamespace, labels, annotations };
      this.store.write({ info, namespace: registryNamespace, name: registryDeploymentName, object: { apiVersion: info.apiVersion, kind: info.kind, metadata, spec }, create: stored === undefined, manager: operatorManager, operation: 'Update' });
    }
    const current = this.store.get(info, registryNamespace, registryDeploymentName);
    if (current === undefined || this.now() < deployment.observeAt) return;
    const oldPods = deployment.complete ? 0 : deployment.stuck ? Math.max(deployment.podCount - deployment.replicas, 0) : deployment.oldReady;
    const state = { replicas: deployment.replicas, readyReplicas: deployment.readyReplicas, oldPods, complete: deployment.complete, deadlineExceeded: deployment.stuck && this.now() >= deployment.deadlineAt, templateHash: deployment.templateHash };
    const generation = readMap(current.object['metadata'])['generation'];
    const status = renderDeploymentStatus(state, readMap(spec['strategy']), typeof generation === 'number' ? generation : 1, readMap(current.object['status']), formatTimestamp(this.now()));
    if (isJsonEqual(current.object['status'], status)) return;
    this.store.write({ info, namespace: registryNamespace, name: registryDeploymentName, object: { ...current.object, status }, create: false, subresource: 'status', manager: 'kube-controller-manager', operation: 'Update' });
  }

  // pkg/operator/status.go syncStatus: AvailableReplicas 0 ⇒ False (even with 0 replicas); ≠ status.replicas ⇒ MinimumAvailability.
  private deploymentAvailability(): Condition {
    const deployment = this.deployment;
    if (!deployment.exists) return { type: 'Available', status: 'False', reason: 'DeploymentNotFound', message: 'The deployment does not exist' };
    if (deployment.readyReplicas === 0) return { type: 'Available', status: 'False', reason: 'NoReplicasAvailable', message: 'The deployment does not have available replicas' };
    if (deployment.readyReplicas !== deployment.podCount) return { type: 'Available', status: 'True', reason: 'MinimumAvailability', message: 'The registry has minimum availability' };
    return { type: 'Available', status: 'True', reason: 'Ready', message: 'The registry is ready' };
  }

  // Config conditions from the main controller (docs/registry-operator-facts.md §6.1).
  private computeMainConditions(spec: JsonMap, problem: SyncProblem | undefined): Condition[] {
    const now = this.now();
    const state = spec['managementState'];
    const notRemoved: Condition = { type: 'Removed', status: 'False', reason: '', message: '' };
    if (state === 'Removed') {
      const removed: Condition = { type: 'Removed', status: 'True', reason: 'Removed', message: 'The registry is removed' };
      if (now < this.deployment.deleteUntil) {
        this.schedule(this.deployment.deleteUntil);
        return [
          { type: 'Available', status: 'True', reason: 'Ready', message: 'The registry is ready' },
          { type: 'Progressing', status: 'True', reason: 'DeletingDeployment', message: 'The deployment is being removed' },
          { type: 'Degraded', status: 'False', reason: 'Removed', message: 'The registry is removed' },
          removed,
        ];
      }
      return [
        { type: 'Available', status: 'True', reason: 'Removed', message: 'The registry is removed' },
        { type: 'Progressing', status: 'False', reason: 'Removed', message: 'All registry resources are removed' },
        { type: 'Degraded', status: 'False', reason: 'Removed', message: 'The registry is removed' },
        removed,
      ];
    }
    if (state === 'Unmanaged') {
      const message = 'The registry configuration is set to unmanaged mode';
      return [
        { type: 'Available', status: 'True', reason: 'Unmanaged', message },
        { type: 'Progressing', status: 'False', reason: 'Unmanaged', message },
        { type: 'Degraded', status: 'False', reason: 'Unmanaged', message },
        notRemoved,
      ];
    }
    let available = this.deploymentAvailability();
    if (state !== 'Managed') {
      return [available, { type: 'Progressing', status: 'False', reason: '', message: '' }, { type: 'Degraded', status: 'False', reason: '', message: '' }, notRemoved];
    }
    if (problem?.kind === 'permanent') {
      if (!this.deployment.exists) available = { type: 'Available', status: 'False', reason: problem.reason, message: `Error: ${problem.message}` };
      return [
        available,
        { type: 'Progressing', status: 'False', reason: 'Error', message: `Unable to apply resources: ${problem.message}` },
        { type: 'Degraded', status: 'True', reason: problem.reason, message: `Error: ${problem.message}` },
        notRemoved,
      ];
    }
    let progressing: Condition;
    if (problem !== undefined) progressing = { type: 'Progressing', status: 'True', reason: 'Error', message: `Unable to apply resources: ${problem.message}` };
    else if (!this.deployment.exists) progressing = { type: 'Progressing', status: 'True', reason: 'WaitingForDeployment', message: 'All resources are successfully applied, but the deployment does not exist' };
    else if (!this.deployment.complete) progressing = { type: 'Progressing', status: 'True', reason: 'DeploymentNotCompleted', message: 'The deployment has not completed' };
    else progressing = { type: 'Progressing', status: 'False', reason: 'Ready', message: 'The registry is ready' };
    // Available False for longer than the operator's 5 minutes (compressed: degradedAfterMs) ⇒ Degraded Unavailable
    let degraded: Condition = { type: 'Degraded', status: 'False', reason: '', message: '' };
    if (available.status === 'False') {
      this.unavailableSince ??= now;
      const degradedAt = this.unavailableSince + this.timing.degradedAfterMs;
      if (now >= degradedAt) degraded = { type: 'Degraded', status: 'True', reason: 'Unavailable', message: available.message };
      else this.schedule(degradedAt);
    } else if (this.deployment.exists && !this.deployment.complete && this.deployment.stuck && now >= this.deployment.deadlineAt) {
      // the Deployment's Progressing condition turned ProgressDeadlineExceeded (status.go; the message is the deployment controller's)
      const replicaSet = `image-registry-${this.deployment.templateHash.slice(0, 10)}`;
      degraded = { type: 'Degraded', status: 'True', reason: 'ProgressDeadlineExceeded', message: `Registry deployment has timed out progressing: ReplicaSet "${replicaSet}" has timed out progressing.` };
    }
    return [available, progressing, degraded, notRemoved];
  }

  private computeControllerConditions(): Condition[] {
    const image = this.store.get(registryResources.image, undefined, 'cluster');
    const caName = readMap(readMap(image?.object['spec'])['additionalTrustedCA'])['name'];
    let certificates: Condition = { type: 'ImageRegistryCertificatesControllerDegraded', status: 'False', reason: 'AsExpected', message: '' };
    if (typeof caName === 'string' && caName !== '' && this.store.get(registryResources.configMap, 'openshift-config', caName) === undefined) {
      // a missing additionalTrustedCA ConfigMap degrades at once (docs/registry-operator-facts.md §8); the message is
      // ApplyMutator's update error around caconfig.go's (pkg/resource/generator.go, pkg/resource/caconfig.go)
      const message = `failed to update object *v1.ConfigMap, Namespace=openshift-image-registry, Name=image-registry-certificates: image-registry-certificates: configmap "${caName}" not found`;
      certificates = { type: 'ImageRegistryCertificatesControllerDegraded', status: 'True', reason: 'Error', message };
    }
    // the node-ca controller syncs only on events of the registry Service or the node-ca DaemonSet
    // (pkg/operator/nodecadaemon.go NewNodeCADaemonController): a registry bootstrapped Removed has
    // neither, so it reports nothing until the registry is first applied; from then on it keeps the
    // DaemonSet (Remove does not delete it) and its conditions
    if (this.deployment.exists) this.nodeCaDeployed = true;
    const nodeCa: Condition[] = this.nodeCaDeployed
      ? [
          { type: 'NodeCADaemonAvailable', status: 'True', reason: 'AsExpected', message: 'The daemon set node-ca has available replicas' },
          { type: 'NodeCADaemonProgressing', status: 'False', reason: 'AsExpected', message: 'The daemon set node-ca is deployed' },
          { type: 'NodeCADaemonControllerDegraded', status: 'False', reason: 'AsExpected', message: '' },
        ]
      : [];
    return [
      ...nodeCa,
      certificates,
      { type: 'ImageConfigControllerDegraded', status: 'False', reason: 'AsExpected', message: '' },
      // library-go's config observer (pkg/operator/starter.go) reports with no reason, the Azure Stack Hub
      // controller (pkg/operator/azurestackcloud.go) runs on every platform and finds nothing to do off Azure Stack
      { type: 'ConfigObservationDegraded', status: 'False', reason: '', message: '' },
      { type: 'AzureStackCloudControllerDegraded', status: 'False', reason: 'AsExpected', message: '' },
    ];
  }

  private currentConfigConditions: Condition[] = [];

  private writeConfigStatus(stored: StoredObject, spec: JsonMap, problem: SyncProblem | undefined): void {
    const main = this.computeMainConditions(spec, problem);
    if (main[0]?.status === 'True') this.unavailableSince = undefined;
    const previous = readMap(stored.object['status']);
    const now = formatTimestamp(this.now());
    // one update per type, in the order the controllers apply them; stored conditions not updated stay (status.go updateCondition)
    const conditions = mergeConditions(previous['conditions'], [...this.storageUpdates, ...main, ...this.computeControllerConditions()], now);
    this.currentConfigConditions = conditions.map((item) => ({ type: String(item['type']), status: item['status'] as Condition['status'], reason: String(item['reason'] ?? ''), message: String(item['message'] ?? '') }));
    const storage = readMap(spec['storage']);
    const managed = spec['managementState'] === 'Managed';
    const applied = managed && problem === undefined;
    const statusStorage = this.appliedStorage ?? (applied ? structuredClone(storage) : readMap(previous['storage']));
    // generator.go Apply sets storageManaged from spec.storage.managementState once the storage synced;
    // Remove and a failed sync leave it as it was (so a Removed registry still says true)
    const storageManaged = applied ? storage['managementState'] === 'Managed' : previous['storageManaged'] === true;
    const status: JsonMap = {
      conditions,
      observedGeneration: readMap(stored.object['metadata'])['generation'] ?? 1,
      readyReplicas: this.deployment.readyReplicas,
      storage: statusStorage,
      storageManaged,
    };
    this.writeStatus(registryResources.config, stored, status);
  }

  private prunerConditions(spec: JsonMap): Condition[] {
    return [
      { type: 'Available', status: 'True', reason: 'AsExpected', message: 'Pruner CronJob has been created' },
      // texts from pkg/operator/status.go syncPrunerStatus
      spec['suspend'] === true ? { type: 'Scheduled', status: 'False', reason: 'Suspended', message: 'The pruner job has been suspended' } : { type: 'Scheduled', status: 'True', reason: 'Scheduled', message: 'The pruner job has been scheduled' },
      { type: 'Failed', status: 'False', reason: 'Complete', message: 'Pruner completed successfully' },
      { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '' },
    ];
  }

  private syncPruner(): void {
    const info = registryResources.pruner;
    let stored = this.store.get(info, undefined, 'cluster');
    if (stored === undefined) {
      // recreated with defaults if deleted (docs/registry-operator-facts.md §1)
      this.createObject(info, 'cluster', buildBootstrapPrunerSpec());
      stored = this.store.get(info, undefined, 'cluster');
      if (stored === undefined) return;
    }
    const spec = readMap(stored.object['spec']);
    const previous = readMap(stored.object['status']);
    const status: JsonMap = {
      conditions: mergeConditions(previous['conditions'], this.prunerConditions(spec), formatTimestamp(this.now())),
      observedGeneration: readMap(stored.object['metadata'])['generation'] ?? 1,
    };
    this.writeStatus(info, stored, status);
  }

  /**
   * The hosts of the routes Apply created, as a router admits them and imageconfig.go getRouteHostnames
   * lists them: the default route first, the others sorted and unique. Only a successful Apply changes
   * the routes, so a spec refused (VerificationFailed, a storage error) leaves the last ones listed.
   */
  private admittedRouteHosts(spec: JsonMap): string[] {
    const hosts: string[] = [];
    if (spec['defaultRoute'] === true) hosts.push(`default-route-openshift-image-registry.apps.${this.cluster.spec.name}.sandbox.example`);
    const routes = Array.isArray(spec['routes']) ? spec['routes'].filter(isJsonMap) : [];
    hosts.push(...[...new Set(routes.map((route) => route['hostname']).filter((host): host is string => typeof host === 'string' && host !== ''))].sort());
    return hosts;
  }

  private syncImageConfig(): void {
    const info = registryResources.image;
    let stored = this.store.get(info, undefined, 'cluster');
    if (stored === undefined) {
      this.createObject(info, 'cluster', {});
      stored = this.store.get(info, undefined, 'cluster');
      if (stored === undefined) return;
    }
    const config = this.store.get(registryResources.config, undefined, 'cluster');
    const spec = readMap(config?.object['spec']);
    const state = spec['managementState'];
    const previous = readMap(stored.object['status']);
    const status: JsonMap = { ...previous };
    if (state === 'Removed') {
      // no Service, no routes: both hostnames empty, which the Go client omits (imageconfig.go syncImageStatus)
      delete status['internalRegistryHostname'];
      delete status['externalRegistryHostnames'];
    } else if (state === 'Managed' && this.deployment.exists) {
      status['internalRegistryHostname'] = internalHostname;
      if (this.routeHosts.length > 0) status['externalRegistryHostnames'] = [...this.routeHosts];
      else delete status['externalRegistryHostnames'];
    }
    const imageSpec = readMap(stored.object['spec']);
    status['imageStreamImportMode'] = typeof imageSpec['imageStreamImportMode'] === 'string' && imageSpec['imageStreamImportMode'] !== '' ? imageSpec['imageStreamImportMode'] : 'Legacy';
    this.writeStatus(info, stored, status);
  }

  private syncClusterOperator(): void {
    const info = registryResources.clusterOperator;
    let stored = this.store.get(info, undefined, 'image-registry');
    if (stored === undefined) {
      this.createObject(info, 'image-registry', {});
      stored = this.store.get(info, undefined, 'image-registry');
      if (stored === undefined) return;
    }
    const pruner = this.store.get(registryResources.pruner, undefined, 'cluster');
    const conditions = aggregateClusterOperatorConditions(this.currentConfigConditions, pruner === undefined ? [] : this.prunerConditions(readMap(pruner.object['spec'])));
    const previous = readMap(stored.object['status']);
    const status: JsonMap = {
      conditions: mergeConditions(previous['conditions'], conditions, formatTimestamp(this.now())),
      extension: null,
      relatedObjects: [
        { group: 'imageregistry.operator.openshift.io', name: 'cluster', resource: 'configs' },
        { group: 'imageregistry.operator.openshift.io', name: 'cluster', resource: 'imagepruners' },
        { group: 'rbac.authorization.k8s.io', name: 'system:registry', resource: 'clusterroles' },
        { group: 'rbac.authorization.k8s.io', name: 'registry-registry-role', resource: 'clusterrolebindings' },
        { group: 'rbac.authorization.k8s.io', name: 'openshift-image-registry-pruner', resource: 'clusterrolebindings' },
        { group: '', name: registryNamespace, resource: 'namespaces' },
      ],
      versions: [{ name: 'operator', version: operatorVersion }],
    };
    this.writeStatus(info, stored, status);
  }
}
