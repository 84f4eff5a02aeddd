/**
 * Apply one cluster: read live and plan, dry-run every write (a rejection stops the cluster before
 * anything is written), then in plan order provision the bucket, write secrets/configmaps, image.config,
 * the Config and the pruner as merge patches carrying only the changed owned fields, with a
 * resourceVersion precondition and the owned-fields/applied-commit annotations in the same write,
 * then the health gate. A cluster with nothing left to write passes the same gate before it counts
 * as done (a rerun after a crash or a retried step finds the writes landed while the operator may
 * still be Progressing: DESIGN.md "Fleet safety"). A conflict (or the operator's write race, docs/registry-operator-facts.md §4) means:
 * re-read, re-plan, retry with backoff, and report what the other writer changed. Planning again
 * after a successful apply is the verification; a plan with no changes writes nothing.
 */
import type { ClusterEntry, ClusterRollout, ConditionSummary, DesiredCluster, FieldChange, JsonObject, OutsideChange, PlanEntry, PlanSummary, ReconcileStep, ResourceRef } from '../core/model.ts';
import { RegopsError, toError } from '../core/errors.ts';
import type { ClusterClient, ProgressEvent } from './ports.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { DryRunRejectedError, HealthGateError, NotConvergedError } from './errors.ts';
import { defaultHealthGate, waitUntilHealthy } from './health-gate.ts';
import type { HealthGateResult } from './health-gate.ts';
import { diffOutsideChanges } from './outside-changes.ts';
import { planLiveCluster } from './plan-live-cluster.ts';
import type { LivePlan } from './plan-live-cluster.ts';
import { describeRef, formatRefKey, registryRefs } from '../core/resource-ref.ts';
import { computeDelay, defaultRetryPolicy, errorCode, withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';

export interface ReconcileOptions {
  commit: string;
  wave?: string;
  healthGate?: { timeoutMs: number; pollMs: number };
  /** Plan/apply rounds allowed (conflicts, write races) before giving up. */
  maxAttempts?: number;
  retry?: RetryPolicy;
  /** An already connected client (the drift scan reuses its own). */
  client?: ClusterClient;
}

/** What every write of one reconcile round shares: the client, the retry policy and the plan being applied. */
interface WriteContext {
  client: ClusterClient;
  clock: ClusterPorts['clock'];
  retry: RetryPolicy;
  onRetry: (error: RegopsError, attempt: number, delay: number) => void;
  planned: LivePlan;
}

class StepFailure extends Error {
  constructor(readonly step: ReconcileStep, readonly error: Error, readonly ref?: ResourceRef) {
    super(error.message, { cause: error });
  }
}

const emptySummary: PlanSummary = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 };

function hasWrites(entry: PlanEntry): boolean {
  return entry.action === 'create' || entry.action === 'update' || entry.action === 'prune';
}

function stepOf(entry: PlanEntry): ReconcileStep {
  if (entry.target.type === 'bucket') return 'provision-bucket';
  if (entry.target.type === 'health-gate') return 'health-gate';
  return entry.target.ref.kind === 'Secret' ? 'write-secret' : 'apply';
}

/** A plan change (live → Git) seen as what the other writer did (Git → live). */
function invertChange(change: FieldChange): FieldChange {
  const out: FieldChange = { path: change.path, op: change.op === 'add' ? 'remove' : change.op === 'remove' ? 'add' : 'change' };
  if (change.after !== undefined) out.before = change.after;
  if (change.before !== undefined) out.after = change.before;
  return out;
}

/** Plans and applies one cluster; never throws: failures come back in the outcome with their step. */
export async function reconcileCluster(ports: ClusterPorts, desired: DesiredCluster, entry: ClusterEntry, options: ReconcileOptions): Promise<ClusterRollout> {
  const { clock } = ports;
  const emit = (phase: ProgressEvent['phase'], message?: string): void => {
    const event: ProgressEvent = { cluster: entry.name, phase };
    if (message !== undefined) event.message = message;
    if (options.wave !== undefined) event.wave = options.wave;
    ports.progress?.emit(event);
  };
  const retry = options.retry ?? defaultRetryPolicy;
  const onRetry = (error: RegopsError, attempt: number, delay: number): void => emit('retrying', `${error.code} (attempt ${attempt}, next in ${delay} ms)`);
  const startedAt = clock.now().toISOString();
  const outsideChanges: OutsideChange[] = [];
  let conditions: ConditionSummary[] = [];
  /** How long the last health gate waited, once one passed. */
  let gatedMs: number | undefined;
  let firstSummary: PlanSummary = emptySummary;
  let wrote = false;
  /** Some write landed in a round a conflict cut short. */
  let partial = false;
  const finish = (outcome: ClusterRollout['outcome'], failure?: StepFailure): ClusterRollout => {
    const result: ClusterRollout = { cluster: entry.name, outcome, changes: firstSummary, conditions, startedAt, finishedAt: clock.now().toISOString() };
    if (failure !== undefined) {
      result.step = failure.step;
      result.error = { code: errorCode(failure.error), message: failure.error.message, step: failure.step };
      if (failure.error instanceof HealthGateError) result.conditions = failure.error.conditions;
    }
    if (outsideChanges.length > 0) result.outsideChanges = outsideChanges;
    if (gatedMs !== undefined && failure === undefined) result.healthGate = { waitedMs: gatedMs };
    emit(outcome === 'failed' ? 'failed' : outcome === 'unchanged' ? 'unchanged' : 'healthy', failure?.error.message);
    return result;
  };

  let client: ClusterClient;
  try {
    emit('connecting');
    client = options.client ?? (await withRetry(clock, () => ports.connector.connect(entry), onRetry, retry));
  } catch (thrown) {
    return finish('failed', new StepFailure('connect', toError(thrown)));
  }

  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    let planned: LivePlan;
    try {
      emit('planning');
      planned = await planLiveCluster(ports, client, desired, { commit: options.commit, retry, onRetry });
    } catch (thrown) {
      return finish('failed', new StepFailure('plan', toError(thrown)));
    }
    if (attempt === 1) firstSummary = planned.plan.summary;
    const blocking = planned.plan.diagnostics.filter((d) => d.severity === 'error');
    if (blocking.length > 0) {
      const message = `cluster ${entry.name}: plan refused: ${blocking.map((d) => `${d.code}: ${d.message}`).join('; ')}`;
      return finish('failed', new StepFailure('plan', new RegopsError('plan.refused', message, { cluster: entry.name })));
    }
    const writes = planned.plan.entries.filter(hasWrites);
    if (writes.length === 0 && !wrote) {
      // Nothing to write, yet the cluster is not done until the operator shows it took the owned
      // state: an earlier run (killed at the gate, a retried Step Functions step, or a conflict that
      // cut this run's apply short after some writes landed) may have written it moments ago. When
      // the registry is already healthy this costs one read: the Config was just read by planning.
      try {
        const gate = await gateCluster(client, ports, options, emit, planned.live.get(formatRefKey(registryRefs.config)));
        conditions = gate.conditions;
        gatedMs = gate.waitedMs;
      } catch (thrown) {
        return finish('failed', thrown instanceof StepFailure ? thrown : new StepFailure('health-gate', toError(thrown)));
      }
      return finish(partial ? 'succeeded' : 'unchanged');
    }
    if (writes.length === 0) return finish('succeeded');
    if (wrote) {
      // Applied and healthy, yet owned fields differ again: someone (often the operator writing its
      // own copy of the spec, docs/registry-operator-facts.md §4) reverted them. Show it, then apply again.
      for (const entry of writes) {
        if (entry.target.type === 'object') outsideChanges.push({ resource: describeRef(entry.target.ref), changes: entry.changes.map(invertChange) });
      }
      emit('retrying', `owned fields changed after the apply (${writes.length} object(s)); applying again`);
    }

    try {
      const context: WriteContext = { client, clock, retry, onRetry, planned };
      await dryRun(context, emit);
      const applied = await applyEntries(context, ports, desired, options, emit, () => { partial = true; });
      wrote = true;
      conditions = applied.conditions;
      gatedMs = applied.gatedMs;
      if (applied.pendingGate) {
        const gate = await gateCluster(client, ports, options, emit);
        conditions = gate.conditions;
        gatedMs = gate.waitedMs;
      }
    } catch (thrown) {
      const error = thrown instanceof StepFailure ? thrown : new StepFailure('apply', toError(thrown));
      if (errorCode(error.error) !== 'cluster.conflict') return finish('failed', error);
      const seen = error.ref === undefined ? [] : await readOutsideChanges(client, planned, error.ref, clock, retry);
      outsideChanges.push(...seen);
      const detail = seen.map((c) => `${c.resource}: ${c.changes.map((f) => f.path).join(', ')}`).join('; ');
      const delay = computeDelay(error.error, attempt, retry, clock);
      const what = detail === '' ? `${error.ref === undefined ? 'an object' : describeRef(error.ref)} changed (status or metadata only)` : `another writer changed ${detail}`;
      emit('retrying', `conflict: ${what}; re-reading and re-planning in ${delay} ms`);
      await clock.sleep(delay);
      continue;
    }
    // Planning again is the verification that owned fields are still as applied (the operator may
    // have written its own copy over ours, docs/registry-operator-facts.md §4): a clean plan ends the loop.
    emit('verifying', 'checking the owned fields are still as applied');
  }
  const message = `cluster ${entry.name}: did not converge after ${maxAttempts} plan/apply rounds (conflicts or the operator reverting owned fields)`;
  return finish('failed', new StepFailure('apply', new NotConvergedError('cluster.not-converged', message, { cluster: entry.name })));
}

async function dryRun(context: WriteContext, emit: (phase: ProgressEvent['phase'], message?: string) => void): Promise<void> {
  emit('dry-run');
  for (const entry of context.planned.plan.entries) {
    if (!hasWrites(entry) || entry.target.type !== 'object') continue;
    const ref = entry.target.ref;
    try {
      await writeEntry(context, entry, ref, true);
    } catch (thrown) {
      const error = toError(thrown);
      if (errorCode(error) === 'cluster.conflict') throw new StepFailure('dry-run', error, ref);
      const message = `cluster ${context.client.cluster}: ${describeRef(ref)}: dry run rejected, nothing written: ${error.message}`;
      throw new StepFailure('dry-run', new DryRunRejectedError('cluster.dry-run-rejected', message, { cluster: context.client.cluster, resource: describeRef(ref) }, { cause: error }));
    }
  }
}

async function applyEntries(
  context: WriteContext,
  ports: ClusterPorts,
  desired: DesiredCluster,
  options: ReconcileOptions,
  emit: (phase: ProgressEvent['phase'], message?: string) => void,
  onWritten: () => void,
): Promise<{ pendingGate: boolean; conditions: ConditionSummary[]; gatedMs?: number }> {
  const { client, clock, retry, onRetry, planned } = context;
  let conditions: ConditionSummary[] = [];
  let gatedMs: number | undefined;
  const entries = [...planned.plan.entries].sort((a, b) => a.step - b.step);
  let pendingGate = false;
  for (const entry of entries) {
    const step = stepOf(entry);
    try {
      if (entry.target.type === 'health-gate') {
        if (!pendingGate) continue;
        const gate = await gateCluster(client, ports, options, emit);
        conditions = gate.conditions;
        gatedMs = gate.waitedMs;
        pendingGate = false;
        continue;
      }
      if (!hasWrites(entry)) continue;
      if (entry.target.type === 'bucket') {
        const bucket = desired.bucket;
        const location = { name: entry.target.name, region: entry.target.region, ...(bucket?.endpoint === undefined ? {} : { endpoint: bucket.endpoint }) };
        emit('provisioning', `bucket ${entry.target.name} (${entry.target.region})`);
        await withRetry(clock, () => ports.buckets.configure(location, entry.patch ?? {}, entry.action === 'create'), onRetry, retry);
        continue;
      }
      const ref = entry.target.ref;
      emit('applying', `${entry.action} ${describeRef(ref)}`);
      await writeEntry(context, entry, ref, false);
      onWritten();
      pendingGate = true;
    } catch (thrown) {
      throw thrown instanceof StepFailure ? thrown : new StepFailure(step, toError(thrown), entry.target.type === 'object' ? entry.target.ref : undefined);
    }
  }
  return { pendingGate, conditions, ...(gatedMs === undefined ? {} : { gatedMs }) };
}

async function gateCluster(
  client: ClusterClient,
  ports: ClusterPorts,
  options: ReconcileOptions,
  emit: (phase: ProgressEvent['phase'], message?: string) => void,
  config?: JsonObject,
): Promise<HealthGateResult> {
  // after a write the operator has work to do; with nothing written, say so only if it is not done
  if (config === undefined) emit('progressing', 'waiting for the operator');
  try {
    // the gate's reads retry as the reconcile's own reads do (options.retry), with a progress line each
    const retry = options.retry ?? defaultRetryPolicy;
    const onRetry = (error: RegopsError, attempt: number, delay: number): void => emit('retrying', `${error.code} (attempt ${attempt}, next in ${delay} ms)`);
    return await waitUntilHealthy(client, ports.clock, { ...(options.healthGate ?? defaultHealthGate), retry, onRetry, onProgress: (why) => emit('progressing', why), ...(config === undefined ? {} : { config }) });
  } catch (thrown) {
    throw new StepFailure('health-gate', toError(thrown));
  }
}

/** The object's spec/data changes since it was planned, ignoring status and regops' own bookkeeping. */
function listForeignChanges(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  return diffOutsideChanges(before, after).filter((c) => !c.path.startsWith('metadata.annotations["regops.io/') && !c.path.startsWith('metadata.managedFields'));
}

/**
 * One write: the body exactly as core built it (core/plan.ts: the changed owned fields, the
 * bookkeeping annotations and, for a patch, the metadata.resourceVersion precondition). A 409 whose
 * cause is only a status or bookkeeping update (the operator writes Config status after every change
 * it sees) is not someone else's change: re-read, confirm nothing owned or spec moved, and write
 * again with the fresh resourceVersion in the body (the one place the precondition changes). Any
 * real change goes back to the caller as a conflict (re-plan and report).
 */
async function writeEntry(context: WriteContext, entry: PlanEntry, ref: ResourceRef, dryRun: boolean): Promise<void> {
  const { client, clock, retry, onRetry, planned } = context;
  const write = { dryRun, secretValues: planned.secretValues };
  const planBody = entry.patch ?? {};
  let refreshed = planned.versions.get(formatRefKey(ref));
  for (let attempt = 1; ; attempt += 1) {
    const body = refreshed === undefined ? planBody : withResourceVersion(planBody, refreshed);
    try {
      await withRetry(clock, () => (entry.action === 'create' ? client.create(ref, body, write) : client.patch(ref, body, write)), onRetry, retry);
      return;
    } catch (thrown) {
      if (errorCode(thrown) !== 'cluster.conflict' || entry.action === 'create' || attempt >= 3) throw thrown;
      const fresh = await withRetry(clock, () => client.get(ref), onRetry, retry);
      const version = (fresh?.['metadata'] as JsonObject | undefined)?.['resourceVersion'];
      if (typeof version !== 'string' || listForeignChanges(planned.live.get(formatRefKey(ref)), fresh).length > 0) throw thrown;
      refreshed = version;
      planned.versions.set(formatRefKey(ref), version);
    }
  }
}

/** The body with its resourceVersion precondition replaced (a patch core built with one only). */
function withResourceVersion(body: JsonObject, resourceVersion: string): JsonObject {
  const metadata = (body['metadata'] ?? {}) as JsonObject;
  if (metadata['resourceVersion'] === undefined) return body;
  return { ...body, metadata: { ...metadata, resourceVersion } };
}

async function readOutsideChanges(client: ClusterClient, planned: LivePlan, ref: ResourceRef, clock: ClusterPorts['clock'], retry: RetryPolicy): Promise<OutsideChange[]> {
  const before = planned.live.get(formatRefKey(ref));
  if (before === undefined) return [];
  const after = await withRetry(clock, () => client.get(ref), undefined, retry);
  const changes = listForeignChanges(before, after);
  return changes.length > 0 ? [{ resource: describeRef(ref), changes }] : [];
}
