/**
 * Read-only drift scan with bounded concurrency: per cluster in-sync, drifted (fields, Git value,
 * live value), unreachable, unmanaged (Config managementState Unmanaged: the operator touches
 * nothing, docs/registry-operator-facts.md §2), degraded (the ClusterOperator says so, with its reason) or
 * error (its plan has errors, so Git cannot be applied there: never in sync, never corrected).
 * GETs per cluster: one per object planLiveCluster reads (the Config first, then what Git renders and
 * what the Config's inventory names; without an inventory, images.config, the Config and the pruner
 * too, and the CA ConfigMap / storage Secret on evidence regops wrote them: plan-live-cluster.ts) plus
 * the ClusterOperator. Zero writes for a cluster in sync.
 * Where the policy is enforce, drifted clusters are corrected through reconcileCluster (same dry
 * run, same health gate).
 */
import type { ClusterDrift, ClusterEntry, ConditionSummary, DesiredCluster, Diagnostic, DriftReport, DriftedResource, JsonObject, PrunerEffect } from '../core/model.ts';
import { APPLIED_COMMIT_ANNOTATION } from '../core/model.ts';
import { buildDriftReport } from '../core/build-drift-report.ts';
import { describePrunerEffect, pickPrunerLive } from '../core/describe-pruner-effect.ts';
import { toError } from '../core/errors.ts';
import type { RegopsError } from '../core/errors.ts';
import type { ClusterClient } from './ports.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { findCondition, readConditions } from './conditions.ts';
import { planLiveCluster } from './plan-live-cluster.ts';
import { reconcileCluster } from './reconcile-cluster.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { formatRefKey, registryRefs } from '../core/resource-ref.ts';
import { defaultRetryPolicy, describeRetry, errorCode, withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { runBounded } from './run-bounded.ts';

export interface DriftTarget {
  desired: DesiredCluster;
  entry: ClusterEntry;
  wave?: string;
  /** The commit `desired` was rendered at, when not the scan's (the cluster's released commit, resolve-released-targets.ts). */
  commit?: string;
  /** Why policy enforce must not correct this cluster (nothing released to restore); it is still scanned. */
  hold?: string;
}

export interface DriftScanInput {
  commit: string;
  clusters: readonly DriftTarget[];
  /** Clusters scanned at once (default 50). */
  concurrency?: number;
  /** false: report only, even where the policy is enforce (`regops drift --no-enforce`). */
  enforce?: boolean;
  retry?: RetryPolicy;
  reconcile?: Omit<ReconcileOptions, 'commit' | 'wave' | 'client'>;
}

// Failures that mean the cluster's API could not be reached (functions/adapters/kubernetes/to-cluster-error.ts);
// any other failure while reading and planning (a secret that does not resolve, a refused read) is `error`.
const unreachableCodes = new Set(['cluster.unreachable', 'cluster.timeout', 'cluster.unavailable', 'cluster.server-error', 'cluster.throttled', 'cluster.tls']);

/** `cluster X: plan has 2 errors, nothing of it would be applied: code: message; …` */
function describePlanErrors(cluster: string, errors: readonly Diagnostic[]): string {
  const what = errors.map((d) => `${d.code}: ${d.message}`).join('; ');
  return `cluster ${cluster}: plan has ${errors.length} error${errors.length === 1 ? '' : 's'}, nothing of it would be applied (regops plan shows them with FILE:LINE:COL): ${what}`;
}

/** Scans every target and corrects where the policy says enforce; never throws for one cluster. */
export async function scanDrift(ports: ClusterPorts, input: DriftScanInput): Promise<DriftReport> {
  const started = ports.clock.now();
  const results = await runBounded(input.clusters, input.concurrency ?? 50, (target) => scanCluster(ports, input, target));
  return buildDriftReport(input.commit, results.filter((r): r is ClusterDrift => r !== undefined), started, ports.clock.now());
}

/** What a progress line adds to the scan's state: how many fields, the operator's reason, the correction to come. */
function describeScan(result: ClusterDrift, correcting: boolean): string | undefined {
  if (result.state === 'drifted') {
    const fields = result.resources.reduce((sum, r) => sum + r.changes.length, 0);
    return `${fields} field${fields === 1 ? '' : 's'}${correcting ? '; correcting (policy enforce)' : ''}`;
  }
  if (result.state === 'degraded') {
    const degraded = findCondition(result.conditions, 'Degraded');
    return degraded === undefined ? undefined : `${degraded.reason}: ${degraded.message}`;
  }
  if (result.state === 'unmanaged') return 'Config managementState Unmanaged: the operator changes nothing';
  return undefined;
}

async function scanCluster(ports: ClusterPorts, input: DriftScanInput, target: DriftTarget): Promise<ClusterDrift> {
  const { desired, entry } = target;
  const retry = input.retry ?? defaultRetryPolicy;
  const base: ClusterDrift = { cluster: entry.name, labels: entry.labels, policy: desired.policy, state: 'in-sync', resources: [], conditions: [] };
  if (target.wave !== undefined) base.wave = target.wave;
  ports.progress?.emit({ cluster: entry.name, phase: 'connecting' });
  const onRetry = (error: RegopsError, attempt: number, delayMs: number): void => ports.progress?.emit({ cluster: entry.name, phase: 'retrying', message: describeRetry(error, attempt, delayMs, retry) });
  let client: ClusterClient;
  let resources: DriftedResource[];
  let config: JsonObject | undefined;
  let conditions: ConditionSummary[];
  let planErrors: Diagnostic[];
  let pruner: PrunerEffect;
  try {
    client = await withRetry(ports.clock, () => ports.connector.connect(entry), onRetry, retry);
    ports.progress?.emit({ cluster: entry.name, phase: 'planning' });
    const planned = await planLiveCluster(ports, client, desired, { commit: target.commit ?? input.commit, retry, onRetry });
    planErrors = planned.plan.diagnostics.filter((d) => d.severity === 'error');
    // a plan with errors has its writes marked skipped (core/plan.ts): what differs is still listed
    resources = planned.plan.entries
      // an update with no changes only records the inventory (core/plan.ts): bookkeeping, not drift
      .filter((e) => e.target.type !== 'health-gate' && (e.action === 'create' || (e.action === 'update' && e.changes.length > 0) || e.action === 'prune' || (planErrors.length > 0 && e.action === 'skipped' && e.changes.length > 0)))
      .map((e) => ({ target: e.target, changes: e.changes }));
    // planning read the Config first (it holds the inventory, plan-live-cluster.ts)
    config = planned.live.get(formatRefKey(registryRefs.config));
    // whether the pruner frees registry storage with Git applied, from the objects planning read (no extra GET)
    pruner = describePrunerEffect(desired, pickPrunerLive(planned.live));
    const operator = await withRetry(ports.clock, () => client.get(registryRefs.operator), onRetry, retry);
    conditions = readConditions(operator, 'ClusterOperator/image-registry');
  } catch (thrown) {
    const error = toError(thrown);
    const state = unreachableCodes.has(errorCode(error)) ? 'unreachable' : 'error';
    ports.progress?.emit({ cluster: entry.name, phase: state === 'unreachable' ? 'unreachable' : 'failed', message: error.message });
    return { ...base, state, error: { code: errorCode(error), message: error.message } };
  }
  const applied = (config?.['metadata'] as JsonObject | undefined)?.['annotations'] as JsonObject | undefined;
  const appliedCommit = applied?.[APPLIED_COMMIT_ANNOTATION];
  const result: ClusterDrift = { ...base, resources, conditions, pruner };
  if (typeof appliedCommit === 'string') result.appliedCommit = appliedCommit;
  const spec = config?.['spec'] as JsonObject | undefined;
  const degraded = findCondition(conditions, 'Degraded');
  if (planErrors.length > 0) {
    // never in sync, never corrected: Git cannot be applied here as it stands (issue #10 item 10)
    result.state = 'error';
    result.error = { code: 'plan.refused', message: describePlanErrors(entry.name, planErrors), step: 'plan' };
    ports.progress?.emit({ cluster: entry.name, phase: 'failed', message: `plan has ${planErrors.length} error${planErrors.length === 1 ? '' : 's'}: ${planErrors.map((d) => d.code).join(', ')}` });
    return result;
  }
  if (spec?.['managementState'] === 'Unmanaged') result.state = 'unmanaged';
  else if (degraded?.status === 'True') result.state = 'degraded';
  else if (resources.length > 0) result.state = 'drifted';
  const wanted = result.state === 'drifted' && desired.policy === 'enforce' && input.enforce !== false;
  const correcting = wanted && target.hold === undefined;
  const described = describeScan(result, correcting);
  const message = wanted && target.hold !== undefined ? `${described ?? ''}; not corrected: ${target.hold}` : described;
  ports.progress?.emit({ cluster: entry.name, phase: result.state === 'error' ? 'failed' : result.state, ...(message === undefined ? {} : { message }) });
  if (!correcting) return result;
  const outcome = await reconcileCluster(ports, desired, entry, { ...input.reconcile, commit: target.commit ?? input.commit, client });
  result.corrected = outcome.outcome === 'failed' && outcome.error !== undefined ? { outcome: 'failed', error: outcome.error } : { outcome: outcome.outcome === 'failed' ? 'failed' : 'succeeded' };
  return result;
}
