/**
 * In-memory implementations of the engine's ports, for engine unit tests: a Kubernetes-like cluster
 * (resourceVersion, generation, 409 on a stale precondition, dry run, a scriptable operator and
 * scriptable faults), a bucket store, a secret source, a report store and a clock whose sleep advances
 * time at once. Independent of core on purpose: its merge patch is its own, so a bug in core's merge
 * logic cannot be mirrored here and pass.
 */
import { createHash } from 'node:crypto';
import { RegopsError } from '../../functions/core/errors.ts';
import type { ClusterEntry, Json, JsonObject, ResourceRef, SecretReference } from '../../functions/core/model.ts';
import type {
  BucketLocation,
  BucketStore,
  Clock,
  ClusterClient,
  ClusterConnector,
  ProgressEvent,
  ProgressSink,
  ReportStore,
  SecretSource,
  SecretValue,
  WriteOptions,
} from '../../functions/engine/ports.ts';

export const configRef: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
export const prunerRef: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', name: 'cluster' };
export const imageConfigRef: ResourceRef = { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' };
export const clusterOperatorRef: ResourceRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };

function keyOf(ref: ResourceRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

function copy<T extends Json>(value: T): T {
  return structuredClone(value);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386, written here independently of core. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return copy(patch);
  const result: JsonObject = isObject(target) ? copy(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** A fake clock: sleep advances `now` at once; random is a fixed sequence. */
export class FakeClock implements Clock {
  private time: number;
  readonly sleeps: number[] = [];
  private seed = 1;
  constructor(start = Date.parse('2026-11-25T12:00:00Z')) {
    this.time = start;
  }
  now(): Date {
    return new Date(this.time);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    await Promise.resolve();
  }
  random(): number {
    this.seed = (this.seed * 48271) % 2147483647;
    return this.seed / 2147483647;
  }
  get elapsedMs(): number {
    return this.time - Date.parse('2026-11-25T12:00:00Z');
  }
}

type Condition = { type: string; status: string; reason: string; message: string; lastTransitionTime: string };

/** What the simulated operator does after a spec change. */
export type OperatorScript =
  | { mode: 'healthy'; progressingMs?: number }
  | { mode: 'degraded'; reason: string; message: string }
  | { mode: 'progressing-error'; message: string }
  /** Reverts `patch` once onto the Config after the next spec change: the operator's write race (§4). */
  | { mode: 'revert-once'; patch: JsonObject; progressingMs?: number };

/** A fault for the next request(s). */
export interface Fault {
  /** Which requests: all, reads or writes. */
  on: 'any' | 'read' | 'write';
  /** How many requests it hits. */
  times: number;
  error: () => RegopsError;
}

/** One cluster's state: objects, an operator, faults; `client()` is its ClusterClient. */
export class InMemoryCluster {
  readonly objects = new Map<string, JsonObject>();
  readonly requestCount = { reads: 0, writes: 0 };
  readonly requests: Array<{ verb: string; ref: string; dryRun: boolean }> = [];
  operator: OperatorScript = { mode: 'healthy', progressingMs: 2_000 };
  unreachable = false;
  faults: Fault[] = [];
  /** Runs before a write's precondition check: an outside writer racing regops. */
  beforeWrite: ((cluster: InMemoryCluster) => void) | undefined;
  private revision = 100;
  private changedAt: number | undefined;

  constructor(readonly name: string, private readonly clock: FakeClock) {}

  /** Puts an object as it stands (no precondition), as the installer or a seed would. */
  seed(ref: ResourceRef, body: JsonObject): void {
    const metadata: JsonObject = { ...(isObject(body['metadata']) ? body['metadata'] : {}), name: ref.name };
    if (ref.namespace !== undefined) metadata['namespace'] = ref.namespace;
    metadata['resourceVersion'] = String((this.revision += 1));
    metadata['generation'] = isObject(body['metadata']) && typeof body['metadata']['generation'] === 'number' ? body['metadata']['generation'] : 1;
    this.objects.set(keyOf(ref), { ...copy(body), apiVersion: ref.apiVersion, kind: ref.kind, metadata });
  }

  /** A person running `oc patch`: a merge patch outside regops, bumping resourceVersion (and generation for spec). */
  outsideWrite(ref: ResourceRef, patch: JsonObject): void {
    this.write(ref, patch);
  }

  read(ref: ResourceRef): JsonObject | undefined {
    const found = this.objects.get(keyOf(ref));
    return found === undefined ? undefined : copy(found);
  }

  client(): ClusterClient {
    return {
      cluster: this.name,
      requestCount: this.requestCount,
      get: async (ref) => {
        this.begin('read', 'get', ref, false);
        this.runOperator();
        return this.read(ref);
      },
      create: async (ref, body, options) => {
        this.begin('write', 'create', ref, options?.dryRun === true);
        this.beforeWrite?.(this);
        if (this.objects.has(keyOf(ref))) throw new RegopsError('cluster.already-exists', `cluster ${this.name}: ${ref.kind}/${ref.name}: already exists`, { cluster: this.name });
        const stored = this.materialise(ref, body, options);
        if (options?.dryRun === true) return stored;
        this.objects.set(keyOf(ref), stored);
        this.changed(ref);
        return copy(stored);
      },
      patch: async (ref, patch, options) => {
        this.begin('write', 'patch', ref, options?.dryRun === true);
        this.beforeWrite?.(this);
        const current = this.objects.get(keyOf(ref));
        if (current === undefined) throw new RegopsError('cluster.not-found', `cluster ${this.name}: ${ref.kind}/${ref.name}: not found`, { cluster: this.name });
        const currentVersion = (current['metadata'] as JsonObject)['resourceVersion'];
        // as the API server: a metadata.resourceVersion in a merge patch is a precondition
        const expectedVersion = isObject(patch['metadata']) ? patch['metadata']['resourceVersion'] : undefined;
        if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
          throw new RegopsError('cluster.conflict', `cluster ${this.name}: ${ref.kind}/${ref.name}: patch rejected (Conflict): the object has been modified`, { cluster: this.name, resource: `${ref.kind}/${ref.name}` });
        }
        const body = substituteSecrets(patch, options);
        if (options?.dryRun === true) return applyMergePatch(current, body) as JsonObject;
        return this.write(ref, body);
      },
    };
  }

  private begin(kind: 'read' | 'write', verb: string, ref: ResourceRef, dryRun: boolean): void {
    if (this.unreachable) throw new RegopsError('cluster.unreachable', `cluster ${this.name}: connect ECONNREFUSED`, { cluster: this.name });
    this.requestCount[kind === 'read' ? 'reads' : 'writes'] += 1;
    this.requests.push({ verb, ref: `${ref.kind}/${ref.name}`, dryRun });
    const fault = this.faults.find((f) => f.times > 0 && (f.on === 'any' || f.on === kind));
    if (fault !== undefined) {
      fault.times -= 1;
      throw fault.error();
    }
  }

  private materialise(ref: ResourceRef, body: JsonObject, options: WriteOptions | undefined): JsonObject {
    const stored = substituteSecrets(body, options);
    const metadata: JsonObject = { ...(isObject(stored['metadata']) ? stored['metadata'] : {}), name: ref.name };
    if (ref.namespace !== undefined) metadata['namespace'] = ref.namespace;
    metadata['resourceVersion'] = String(this.revision + 1);
    metadata['generation'] = 1;
    if (options?.dryRun !== true) this.revision += 1;
    return { ...stored, apiVersion: ref.apiVersion, kind: ref.kind, metadata };
  }

  private write(ref: ResourceRef, patch: JsonObject): JsonObject {
    const current = this.objects.get(keyOf(ref));
    if (current === undefined) throw new RegopsError('cluster.not-found', `cluster ${this.name}: ${ref.kind}/${ref.name}: not found`, { cluster: this.name });
    const next = applyMergePatch(current, patch) as JsonObject;
    if (JSON.stringify(next) === JSON.stringify(current)) return copy(current);
    const metadata = next['metadata'] as JsonObject;
    metadata['resourceVersion'] = String((this.revision += 1));
    if (JSON.stringify(next['spec']) !== JSON.stringify(current['spec'])) {
      metadata['generation'] = (metadata['generation'] as number) + 1;
      if (ref.kind === 'Config') this.changed(ref);
    }
    this.objects.set(keyOf(ref), next);
    return copy(next);
  }

  private changed(ref: ResourceRef): void {
    if (ref.kind !== 'Config' && ref.kind !== 'Secret') return;
    this.changedAt = this.clock.now().getTime();
    const config = this.objects.get(keyOf(configRef));
    if (config === undefined) return;
    setOperatorConditions(this, { Available: ['True', 'Ready', ''], Progressing: ['True', 'DeploymentNotCompleted', 'The deployment has not completed'], Degraded: ['False', 'AsExpected', ''] });
  }

  /** The simulated operator: moves status after a change, as the script says. */
  private runOperator(): void {
    const config = this.objects.get(keyOf(configRef));
    if (config === undefined || this.changedAt === undefined) return;
    const script = this.operator;
    const metadata = config['metadata'] as JsonObject;
    const status = (config['status'] ??= {}) as JsonObject;
    status['observedGeneration'] = metadata['generation'] as number;
    if (script.mode === 'degraded') {
      setOperatorConditions(this, { Available: ['False', 'NoReplicasAvailable', ''], Progressing: ['True', 'DeploymentNotCompleted', ''], Degraded: ['True', script.reason, script.message] });
      return;
    }
    if (script.mode === 'progressing-error') {
      setOperatorConditions(this, { Available: ['True', 'Ready', ''], Progressing: ['True', 'Error', script.message], Degraded: ['False', 'AsExpected', ''] });
      return;
    }
    const elapsed = this.clock.now().getTime() - this.changedAt;
    if (elapsed < (script.progressingMs ?? 2_000)) {
      setOperatorConditions(this, { Available: ['True', 'Ready', ''], Progressing: ['True', 'DeploymentNotCompleted', 'The deployment has not completed'], Degraded: ['False', 'AsExpected', ''] });
      return;
    }
    if (script.mode === 'revert-once') {
      this.operator = { mode: 'healthy', progressingMs: script.progressingMs ?? 2_000 };
      const reverted = applyMergePatch(config, { spec: script.patch }) as JsonObject;
      (reverted['metadata'] as JsonObject)['resourceVersion'] = String((this.revision += 1));
      this.objects.set(keyOf(configRef), reverted);
    }
    const live = this.objects.get(keyOf(configRef)) as JsonObject;
    const spec = (live['spec'] ?? {}) as JsonObject;
    const liveStatus = (live['status'] ??= {}) as JsonObject;
    liveStatus['readyReplicas'] = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
    const removed = spec['managementState'] === 'Removed';
    setOperatorConditions(this, removed
      ? { Available: ['True', 'Removed', 'The registry is removed'], Progressing: ['False', 'Removed', ''], Degraded: ['False', 'Removed', ''], Removed: ['True', 'Removed', ''] }
      : { Available: ['True', 'Ready', 'The registry is ready'], Progressing: ['False', 'Ready', ''], Degraded: ['False', 'AsExpected', ''], Removed: ['False', '', ''] });
  }
}

function setOperatorConditions(cluster: InMemoryCluster, conditions: Record<string, [string, string, string]>): void {
  const lastTransitionTime = '2026-11-25T12:00:00Z';
  const list: Condition[] = Object.entries(conditions).map(([type, [status, reason, message]]) => ({ type, status, reason, message, lastTransitionTime }));
  for (const ref of [configRef, clusterOperatorRef]) {
    const object = cluster.objects.get(keyOf(ref));
    if (object === undefined) continue;
    const status = (object['status'] ??= {}) as JsonObject;
    status['conditions'] = list.filter((c) => ref === configRef || c.type !== 'Removed') as unknown as Json;
  }
}

function substituteSecrets(body: JsonObject, options: WriteOptions | undefined): JsonObject {
  // Values stay digests here: the in-memory secret source only ever has digests (as everything
  // outside the secrets adapter does). Checking each digest was resolved proves the engine passed them.
  const data = isObject(body['data']) ? body['data'] : undefined;
  if (data !== undefined && options?.secretValues !== undefined) {
    for (const value of Object.values(data)) {
      if (typeof value === 'string' && value.startsWith('sha256:') && !options.secretValues.has(value)) {
        throw new RegopsError('cluster.invalid', `secret value for ${value} was not provided`);
      }
    }
  }
  return copy(body);
}

/** Seeds a cluster the way the operator bootstraps it on a platform (docs/registry-operator-facts.md §9.1). */
export function seedBootstrap(cluster: InMemoryCluster, platform: 'aws' | 'baremetal'): void {
  const aws = platform === 'aws';
  cluster.seed(configRef, {
    spec: aws
      ? { managementState: 'Managed', replicas: 2, logLevel: 'Normal', httpSecret: 'generated', storage: { managementState: 'Managed', s3: { bucket: `${cluster.name}-image-registry`, region: 'us-east-1' } } }
      : { managementState: 'Removed', replicas: 1, logLevel: 'Normal', httpSecret: 'generated', storage: {} },
    // status as the operator writes it (storage and storageManaged are required by the CRD, §2.1)
    status: aws
      ? { observedGeneration: 1, readyReplicas: 2, storageManaged: true, storage: { managementState: 'Managed', s3: { bucket: `${cluster.name}-image-registry`, region: 'us-east-1' } } }
      : { observedGeneration: 1, readyReplicas: 0, storageManaged: false, storage: {} },
  });
  cluster.seed(prunerRef, { spec: { suspend: false, keepTagRevisions: 3, schedule: '' } });
  cluster.seed(imageConfigRef, { spec: {} });
  cluster.seed(clusterOperatorRef, { status: {} });
  const conditions: Array<[string, string, string]> = aws
    ? [['Available', 'True', 'Ready'], ['Progressing', 'False', 'Ready'], ['Degraded', 'False', 'AsExpected']]
    : [['Available', 'True', 'Removed'], ['Progressing', 'False', 'Removed'], ['Degraded', 'False', 'Removed']];
  for (const ref of [configRef, clusterOperatorRef]) {
    const object = cluster.objects.get(keyOf(ref)) as JsonObject;
    (object['status'] as JsonObject)['conditions'] = conditions.map(([type, status, reason]) => ({ type, status, reason, message: '', lastTransitionTime: '2026-11-25T12:00:00Z' }));
  }
}

/** A fleet of in-memory clusters behind the ClusterConnector port. */
export class InMemoryConnector implements ClusterConnector {
  readonly clusters = new Map<string, InMemoryCluster>();
  connects = 0;
  constructor(readonly clock: FakeClock) {}
  add(name: string, platform: 'aws' | 'baremetal' = 'aws'): InMemoryCluster {
    const cluster = new InMemoryCluster(name, this.clock);
    seedBootstrap(cluster, platform);
    this.clusters.set(name, cluster);
    return cluster;
  }
  get(name: string): InMemoryCluster {
    const cluster = this.clusters.get(name);
    if (cluster === undefined) throw new Error(`no in-memory cluster ${name}`);
    return cluster;
  }
  async connect(entry: ClusterEntry): Promise<ClusterClient> {
    this.connects += 1;
    const cluster = this.clusters.get(entry.name);
    if (cluster === undefined) throw new RegopsError('cluster.unreachable', `cluster ${entry.name}: no such cluster`, { cluster: entry.name });
    if (cluster.unreachable) throw new RegopsError('cluster.unreachable', `cluster ${entry.name}: connect ECONNREFUSED`, { cluster: entry.name });
    return cluster.client();
  }
  totals(): { reads: number; writes: number } {
    let reads = 0;
    let writes = 0;
    for (const cluster of this.clusters.values()) {
      reads += cluster.requestCount.reads;
      writes += cluster.requestCount.writes;
    }
    return { reads, writes };
  }
}

function digestOf(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** Secret values by `source:id[:key]`; resolve returns digests only. */
export class InMemorySecretSource implements SecretSource {
  private readonly values = new Map<string, string>();
  resolves = 0;
  set(ref: SecretReference, value: string): void {
    this.values.set(`${ref.source}:${ref.id}:${ref.key ?? ''}`, value);
  }
  async resolve(ref: SecretReference): Promise<SecretValue> {
    this.resolves += 1;
    const value = this.values.get(`${ref.source}:${ref.id}:${ref.key ?? ''}`);
    if (value === undefined) throw new RegopsError('secret.not-found', `secret ${ref.id}: not found`, { resource: ref.id });
    const digest = digestOf(value);
    return { digest, toJSON: () => digest, toString: () => digest } as SecretValue;
  }
}

/** Buckets by name, settings as JSON; counts calls. */
export class InMemoryBucketStore implements BucketStore {
  readonly buckets = new Map<string, JsonObject>();
  readonly calls: Array<{ op: 'inspect' | 'configure'; bucket: string; create?: boolean; settings?: JsonObject }> = [];
  failConfigure: RegopsError | undefined;
  async inspect(location: BucketLocation): Promise<JsonObject | undefined> {
    this.calls.push({ op: 'inspect', bucket: location.name });
    const found = this.buckets.get(location.name);
    return found === undefined ? undefined : copy(found);
  }
  async configure(location: BucketLocation, settings: JsonObject, create: boolean): Promise<void> {
    this.calls.push({ op: 'configure', bucket: location.name, create, settings: copy(settings) });
    if (this.failConfigure !== undefined) throw this.failConfigure;
    const current = this.buckets.get(location.name) ?? {};
    this.buckets.set(location.name, { ...current, ...copy(settings) });
  }
}

export class InMemoryReportStore implements ReportStore {
  readonly files = new Map<string, { body: string; contentType: string }>();
  async put(key: string, body: string, contentType: string): Promise<void> {
    this.files.set(key, { body, contentType });
  }
  async get(key: string): Promise<string | undefined> {
    return this.files.get(key)?.body;
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.files.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export class RecordingProgress implements ProgressSink {
  readonly events: ProgressEvent[] = [];
  emit(event: ProgressEvent): void {
    this.events.push(event);
  }
}
