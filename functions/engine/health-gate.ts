/**
 * The health gate after a write (docs/registry-operator-facts.md §6.3): wait until the operator has observed
 * the new generation and the image-registry ClusterOperator is Available=True, Progressing=False,
 * Degraded=False; for Managed also readyReplicas == replicas (a scale-only change keeps Progressing
 * False, §6.1); for Removed the Config's Removed condition. Degraded fails at once with the
 * operator's reason and message; Progressing=True with reason Error is never escalated by the
 * operator (§6.3 item 5), so it fails when the per-cluster timeout runs out. And for Managed, the
 * registry Deployment rolled out: measured on the testbed (the real operator on a real kube-apiserver),
 * the operator writes the new observedGeneration with Progressing=False in the same sync in which it
 * updates the Deployment, judged on the Deployment's old status; a change whose pods can never be
 * scheduled passed the gate (test/integration/cli/wave-rollback.test.ts on the testbed).
 */
import type { ConditionSummary, JsonObject } from '../core/model.ts';
import type { RegopsError } from '../core/errors.ts';
import type { ClusterClient, Clock } from './ports.ts';
import { HealthGateError } from './errors.ts';
import { findCondition, readConditions, readNumber, readString } from './conditions.ts';
import { describeRef, registryRefs } from '../core/resource-ref.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

export interface HealthGateOptions {
  /** Give up after this long (per cluster). */
  timeoutMs: number;
  /** Longest poll interval (polling starts at 250 ms and doubles up to this). */
  pollMs: number;
  /** The Config generation the write produced; the operator must observe at least this. */
  generation?: number;
  /** Called on each poll that is still progressing (for progress lines). */
  onProgress?: (message: string) => void;
  /**
   * The Config as planning read it a moment ago: the first poll judges it instead of reading it
   * again, so passing the gate of a cluster that is already healthy costs one read (the ClusterOperator).
   */
  config?: JsonObject;
  /** How each read retries a transient failure: the reconcile's own policy, so the gate is as patient as the writes. */
  retry?: RetryPolicy;
  onRetry?: (error: RegopsError, attempt: number, delayMs: number) => void;
}

export const defaultHealthGate = { timeoutMs: 600_000, pollMs: 2_000 };

/** What the gate saw last, for the report. */
export interface HealthGateResult {
  conditions: ConditionSummary[];
  waitedMs: number;
}

type Verdict = { state: 'healthy' } | { state: 'waiting'; why: string } | { state: 'failed'; code: string; why: string };

/** The Deployment the operator runs the registry as (a cluster that serves none, as the sandbox, has no say). */
const registryDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'image-registry', namespace: 'openshift-image-registry' };

/** Waiting while the Deployment controller has not rolled the latest template out to every replica; undefined when it has. */
function judgeDeployment(deployment: JsonObject | undefined): string | undefined {
  if (deployment === undefined) return undefined;
  const generation = readNumber(deployment, 'metadata', 'generation') ?? 0;
  const observed = readNumber(deployment, 'status', 'observedGeneration') ?? 0;
  if (observed < generation) return `registry Deployment: observed generation ${observed} of ${generation}`;
  const replicas = readNumber(deployment, 'spec', 'replicas') ?? 1;
  const updated = readNumber(deployment, 'status', 'updatedReplicas') ?? 0;
  const available = readNumber(deployment, 'status', 'availableReplicas') ?? 0;
  const total = readNumber(deployment, 'status', 'replicas') ?? 0;
  if (updated < replicas || available < replicas || total > replicas) return `registry Deployment: ${updated} of ${replicas} updated, ${available} available, ${total} in all`;
  return undefined;
}

/** Judges one reading of the Config and the ClusterOperator. Pure, so it is tested on its own. */
export function judgeHealth(config: JsonObject | undefined, operator: JsonObject | undefined, generation: number | undefined, deployment?: JsonObject): Verdict {
  if (config === undefined) return { state: 'waiting', why: 'the registry Config does not exist yet' };
  const observed = readNumber(config, 'status', 'observedGeneration') ?? 0;
  const wanted = generation ?? readNumber(config, 'metadata', 'generation') ?? 0;
  if (observed < wanted) return { state: 'waiting', why: `operator has observed generation ${observed} of ${wanted}` };
  const configConditions = readConditions(config, describeRef(registryRefs.config));
  const operatorConditions = readConditions(operator, describeRef(registryRefs.operator));
  const conditions = operatorConditions.length > 0 ? operatorConditions : configConditions;
  const degraded = findCondition(conditions, 'Degraded') ?? findCondition(configConditions, 'Degraded');
  if (degraded?.status === 'True') {
    return { state: 'failed', code: 'cluster.degraded', why: `Degraded=True ${degraded.reason}: ${degraded.message}`.trim() };
  }
  const available = findCondition(conditions, 'Available');
  const progressing = findCondition(conditions, 'Progressing');
  if (progressing?.status === 'True' && progressing.reason === 'Error') {
    // the operator never escalates this to Degraded while an old Deployment serves (§6.3 item 5)
    return { state: 'waiting', why: `Progressing=True Error: ${progressing.message}` };
  }
  if (available?.status !== 'True') return { state: 'waiting', why: `Available=${available?.status ?? 'Unknown'} ${available?.reason ?? ''}`.trim() };
  if (progressing?.status !== 'False') {
    return { state: 'waiting', why: `Progressing=${progressing?.status ?? 'Unknown'} ${progressing?.reason ?? ''}${progressing?.message ? `: ${progressing.message}` : ''}`.trim() };
  }
  const managementState = readString(config, 'spec', 'managementState');
  if (managementState === 'Removed') {
    const removed = findCondition(configConditions, 'Removed');
    if (removed !== undefined && removed.status !== 'True') return { state: 'waiting', why: 'registry not removed yet' };
    return { state: 'healthy' };
  }
  if (managementState === 'Managed' || managementState === undefined) {
    const replicas = readNumber(config, 'spec', 'replicas');
    const ready = readNumber(config, 'status', 'readyReplicas');
    if (replicas !== undefined && ready !== undefined && ready !== replicas) return { state: 'waiting', why: `readyReplicas ${ready} of ${replicas}` };
    const rollout = judgeDeployment(deployment);
    if (rollout !== undefined) return { state: 'waiting', why: rollout };
  }
  return { state: 'healthy' };
}

/** One look at the operator: the Config and the ClusterOperator as read, judged. */
export interface HealthReading {
  verdict: Verdict;
  conditions: ConditionSummary[];
}

/** Reads the Config (unless the caller has a fresh one) and the ClusterOperator, each with retries, and judges them. */
export async function readHealth(client: ClusterClient, clock: Clock, options: Pick<HealthGateOptions, 'generation' | 'config' | 'retry' | 'onRetry'> = {}): Promise<HealthReading> {
  const config = options.config ?? (await withRetry(clock, () => client.get(registryRefs.config), options.onRetry, options.retry));
  const operator = await withRetry(clock, () => client.get(registryRefs.operator), options.onRetry, options.retry);
  const managementState = config === undefined ? undefined : readString(config, 'spec', 'managementState');
  const deployment = managementState === 'Removed' || config === undefined ? undefined : await withRetry(clock, () => client.get(registryDeployment), options.onRetry, options.retry);
  const conditions = [...readConditions(operator, describeRef(registryRefs.operator)), ...readConditions(config, describeRef(registryRefs.config))];
  return { verdict: judgeHealth(config, operator, options.generation, deployment), conditions };
}

/**
 * The gate's decision on one reading after waitedMs of its timeoutMs: healthy, or still waiting (and
 * why); throws HealthGateError (`cluster.degraded`, `cluster.health-timeout`). The one decision for
 * the in-process loop below and the Step Functions poll across invocations (engine/steps/reconcile-step.ts).
 */
export function decideHealthGate(cluster: string, reading: HealthReading, waitedMs: number, timeoutMs: number): { state: 'healthy' } | { state: 'waiting'; why: string } {
  const { verdict, conditions } = reading;
  if (verdict.state === 'healthy') return verdict;
  const subject = `cluster ${cluster}: health gate`;
  if (verdict.state === 'failed') {
    throw new HealthGateError(verdict.code, `${subject}: ${verdict.why}`, { cluster, step: 'health-gate' }, conditions);
  }
  if (waitedMs >= timeoutMs) {
    throw new HealthGateError('cluster.health-timeout', `${subject}: not healthy after ${Math.round(waitedMs / 1000)}s: ${verdict.why}`, { cluster, step: 'health-gate' }, conditions);
  }
  return verdict;
}

/** Polls until healthy; throws HealthGateError (`cluster.degraded`, `cluster.health-timeout`). */
export async function waitUntilHealthy(client: ClusterClient, clock: Clock, options: HealthGateOptions): Promise<HealthGateResult> {
  const started = clock.now().getTime();
  // start polling quickly and back off to pollMs: a small change is often taken within a second
  let interval = Math.min(options.pollMs, 250);
  const { config: planned, ...reads } = options;
  let fresh = planned;
  for (;;) {
    const reading = await readHealth(client, clock, fresh === undefined ? reads : { ...reads, config: fresh });
    fresh = undefined;
    const waitedMs = clock.now().getTime() - started;
    const decision = decideHealthGate(client.cluster, reading, waitedMs, options.timeoutMs);
    if (decision.state === 'healthy') return { conditions: reading.conditions, waitedMs };
    options.onProgress?.(decision.why);
    await clock.sleep(interval);
    interval = Math.min(options.pollMs, interval * 2);
  }
}
