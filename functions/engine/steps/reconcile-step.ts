/**
 * Step `Reconcile` of a wave's Map (and `Plan cluster` for pull requests): one cluster per
 * invocation, on the same engine the CLI uses. The health gate is polled across invocations:
 * reconcile answers {phase: 'poll', waitSeconds} and the state machine's Wait state does the waiting
 * (no Lambda sleeps through a rollout). Each cluster's outcome is kept in the run store
 * (run-store.ts), so the publish step can tell which cluster failed, at which step and why.
 */
import { idleCluster } from '../../core/build-rollout-report.ts';
import type { ClusterEntry, ClusterPlan, ClusterRollout, DesiredCluster } from '../../core/model.ts';
import { toError } from '../../core/errors.ts';
import { HealthGateError, WorkflowError } from '../errors.ts';
import { decideHealthGate, readHealth } from '../health-gate.ts';
import { planLiveCluster } from '../plan-live-cluster.ts';
import { formatTrustKey, type PullRequestTrust } from '../pull-request-trust.ts';
import { reconcileCluster } from '../reconcile-cluster.ts';
import { defaultRetryPolicy, errorCode, withRetry } from '../retry.ts';
import { keepPreviousForRollback, readRollbackTarget, recordRollback } from './rollback-previous.ts';
import { loadRun, readJson, runKeys, type StepPorts } from './run-store.ts';

export interface ReconcileStepInput {
  phase: 'plan' | 'apply' | 'poll';
  kind: 'rollout' | 'plan';
  commit: string;
  cluster: string;
  wave?: string;
  /** Plan/apply rounds so far (a poll that ends healthy re-plans to verify: a new round). */
  round?: number;
  /** ISO time after which the health gate gives up. */
  deadline?: string;
  /** The execution's start time: the run the values kept for a rollback belong to (rollback-previous.ts). */
  startedAt?: string;
  /** A wave's `Roll back` Map: give the cluster back what this run kept before writing it (apply and poll as usual). */
  restore?: boolean;
}

export interface ReconcileStepOutput extends Omit<ReconcileStepInput, 'phase'> {
  phase: 'poll' | 'done';
  /** Set when done. `planned` for the plan workflow. */
  outcome?: ClusterRollout['outcome'] | 'planned';
  /** Set when polling: the Wait state's seconds. */
  waitSeconds?: number;
  error?: { code: string; message: string; step?: string };
}

export interface ReconcileSettings {
  /** How long the apply invocation itself waits on the health gate before handing over to polls. */
  firstLookMs: number;
  /** The per-cluster health-gate timeout across polls. */
  gateTimeoutMs: number;
  pollSeconds: number;
  /** Plan/apply rounds allowed across invocations. */
  maxRounds: number;
}

export const defaultReconcileSettings: ReconcileSettings = { firstLookMs: 20_000, gateTimeoutMs: 600_000, pollSeconds: 15, maxRounds: 5 };
function countWrites(changes: ClusterRollout['changes']): number {
  return changes.create + changes.update + changes.prune;
}

function done(input: ReconcileStepInput, outcome: NonNullable<ReconcileStepOutput['outcome']>, error?: ReconcileStepOutput['error']): ReconcileStepOutput {
  const { deadline: _deadline, ...rest } = input;
  return { ...rest, phase: 'done', outcome, ...(error === undefined ? {} : { error }) };
}

/** One reconcile-cluster invocation: plan (for a PR), apply (dry run, patches, first look at health) or poll. */
export async function reconcileStep(ports: StepPorts, input: ReconcileStepInput, settings: ReconcileSettings = defaultReconcileSettings): Promise<ReconcileStepOutput> {
  const run = await loadRun(ports, input.commit);
  const target = run.fleet.get(input.cluster);
  if (target === undefined) {
    throw new WorkflowError('run.unknown-cluster', `cluster ${input.cluster}: not in fleet.yaml at ${input.commit}`, { cluster: input.cluster, commit: input.commit });
  }
  if (input.phase === 'plan') return planStep(ports, input, target);
  // a restore (rollback: automatic) runs this same loop on the values kept before the wave wrote
  const restore = input.restore === true ? await readRollbackTarget(ports, input, target) : undefined;
  if (input.restore === true && restore === undefined) return done(input, 'skipped');
  const key = restore === undefined ? runKeys.cluster('rollout', input.commit, input.cluster) : runKeys.rollback(input.commit, input.cluster);
  /** Stores a finished cluster; a restore also says so on the cluster's rollout record (rolledBack). */
  const finish = async (record: ClusterRollout): Promise<ReconcileStepOutput> => {
    await ports.reports.put(key, JSON.stringify({ ...record, wave: input.wave }), 'application/json');
    if (restore !== undefined) await recordRollback(ports, input, restore.commit, record);
    return done(input, record.outcome, record.error);
  };
  const applyRound = async (round: number): Promise<ReconcileStepOutput> => {
    if (restore === undefined && input.phase === 'apply' && round === 1) {
      // no write before the values a rollback restores are kept: a cluster that cannot be read is not changed
      try {
        await keepPreviousForRollback(ports, input, target);
      } catch (thrown) {
        const error = toError(thrown);
        return finish({ ...idleCluster(input.cluster, 'not-started'), outcome: 'failed', step: 'connect', error: { code: errorCode(error), message: error.message, step: 'connect' }, finishedAt: ports.clock.now().toISOString() });
      }
    }
    const result = await reconcileCluster(ports, restore?.desired ?? target.desired, target.entry, {
      commit: restore?.commit ?? input.commit,
      ...(input.wave === undefined ? {} : { wave: input.wave }),
      healthGate: { timeoutMs: settings.firstLookMs, pollMs: Math.min(2_000, Math.max(1, settings.firstLookMs)) },
    });
    // reconcileCluster gates a cluster even when nothing is left to write, so a retried apply step
    // (the invocation that wrote timed out or crashed) waits for the operator like the first one did;
    // the record that invocation left pending at the gate ('not-started') still holds what it changed
    const stored = await readJson<ClusterRollout>(ports.reports, key);
    const earlier = round > 1 || stored?.outcome === 'not-started' ? stored : undefined;
    const merged: ClusterRollout = earlier === undefined ? result : {
      ...result,
      // a verifying round that wrote nothing completes the earlier round's change
      outcome: result.outcome === 'unchanged' && countWrites(earlier.changes) > 0 ? 'succeeded' : result.outcome,
      changes: earlier.changes,
      ...(earlier.startedAt === undefined ? {} : { startedAt: earlier.startedAt }),
    };
    // A health gate still waiting when the first look ends is not a failure: poll from the state machine.
    if (merged.outcome === 'failed' && merged.error?.code === 'cluster.health-timeout' && round < settings.maxRounds) {
      const { error: _error, step: _step, finishedAt: _finished, ...pending } = merged;
      await ports.reports.put(key, JSON.stringify({ ...pending, outcome: 'not-started', wave: input.wave }), 'application/json');
      const deadline = new Date(ports.clock.now().getTime() + settings.gateTimeoutMs).toISOString();
      return { ...input, phase: 'poll', round, deadline, waitSeconds: settings.pollSeconds };
    }
    return finish(merged);
  };
  const round = input.round ?? 1;
  if (input.phase === 'apply') return applyRound(round);

  // poll: one reading of the Config and the ClusterOperator, decided by the engine's own gate
  // (health-gate.ts decideHealthGate); a cluster that stops answering (after the retries) fails at
  // the health gate, as a value
  let failure: ReconcileStepOutput['error'];
  try {
    const client = await withRetry(ports.clock, () => ports.connector.connect(target.entry));
    // the gate's time runs from the first poll: the deadline is that moment plus gateTimeoutMs
    const waitedMs = settings.gateTimeoutMs - (Date.parse(input.deadline ?? '') - ports.clock.now().getTime());
    const decision = decideHealthGate(input.cluster, await readHealth(client, ports.clock), waitedMs, settings.gateTimeoutMs);
    if (decision.state === 'waiting') return { ...input, phase: 'poll', waitSeconds: settings.pollSeconds };
  } catch (thrown) {
    const error = toError(thrown);
    const message = error instanceof HealthGateError ? error.message : `cluster ${input.cluster}: health gate: ${error.message}`;
    failure = { code: errorCode(error), message, step: 'health-gate' };
  }
  // healthy: plan again to verify the owned fields survived the operator's own writes
  // (docs/registry-operator-facts.md §4); a plan that writes again starts a new round
  if (failure === undefined) return applyRound(round + 1);
  const pending = await readJson<ClusterRollout>(ports.reports, key);
  const failed: ClusterRollout = {
    cluster: input.cluster,
    changes: pending?.changes ?? { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 },
    conditions: pending?.conditions ?? [],
    ...(pending?.startedAt === undefined ? {} : { startedAt: pending.startedAt }),
    outcome: 'failed',
    step: 'health-gate',
    error: failure,
    finishedAt: ports.clock.now().toISOString(),
  };
  return finish(failed);
}

async function planStep(ports: StepPorts, input: ReconcileStepInput, target: { entry: ClusterEntry; desired: DesiredCluster }): Promise<ReconcileStepOutput> {
  let plan: ClusterPlan;
  try {
    // fail closed: a plan run without the trust PlanWaves recorded is not planned
    const trust = await readJson<PullRequestTrust>(ports.reports, formatTrustKey(input.commit));
    if (trust === undefined || trust.mode === 'refused') {
      throw new WorkflowError('run.untrusted', `cluster ${input.cluster}: ${trust?.reason ?? `no trust decision at ${formatTrustKey(input.commit)}; the run must start with PlanWaves`}`, { cluster: input.cluster, commit: input.commit });
    }
    // restricted: the connection comes from the base branch's fleet.yaml, never the fork's
    const entry = trust.mode === 'restricted' ? trust.clusters.find((c) => c.name === input.cluster) : target.entry;
    if (entry === undefined) throw new WorkflowError('run.untrusted', `cluster ${input.cluster}: not in the base branch's fleet.yaml; a fork's pull request plans only those clusters`, { cluster: input.cluster, commit: input.commit });
    const client = await withRetry(ports.clock, () => ports.connector.connect(entry));
    const withheld = trust.mode === 'restricted' ? { withheld: trust.reason } : {};
    plan = (await planLiveCluster(ports, client, target.desired, { commit: input.commit, retry: defaultRetryPolicy, ...withheld })).plan;
  } catch (thrown) {
    const error = toError(thrown);
    plan = { cluster: input.cluster, entries: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, diagnostics: [], error: { code: errorCode(error), message: error.message, step: 'plan' } };
  }
  await ports.reports.put(runKeys.cluster('plan', input.commit, input.cluster), JSON.stringify(plan), 'application/json');
  return done(input, 'planned', plan.error);
}
