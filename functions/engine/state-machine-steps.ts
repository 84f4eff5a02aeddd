/**
 * The steps the Step Functions workflows run, one Lambda invocation each, on the same engine the
 * CLI uses. State between invocations lives in the state input and in the report store under
 * `runs/` (the config snapshot read once per run, the wave plan, one outcome per cluster), so a
 * wave's Map can fan out to thousands of clusters without GitHub being read a thousand times and
 * the publish step can tell which cluster failed, at which step and why, even after a halt.
 * The health gate is polled across invocations: reconcile answers {phase: 'poll', waitSeconds} and
 * the state machine's Wait state does the waiting (no Lambda sleeps through a rollout).
 */
import { holdOutsideWindows } from './hold-outside-windows.ts';
import type { ChangeWindow, ClusterEntry, ClusterPlan, ClusterRollout, ConfigSnapshot, DesiredCluster, Diagnostic, DriftReport, RolloutReport, WavePlan, WaveRollout } from '../core/model.ts';
import { API_VERSION } from '../core/model.ts';
import { RegopsError, toError } from '../core/errors.ts';
import { renderFleet } from '../core/render.ts';
import { planWaves } from '../core/waves.ts';
import type { ReportStore } from '../adapters/ports.ts';
import type { ClusterPorts, EnginePorts } from './engine-ports.ts';
import { EngineError } from './errors.ts';
import { judgeHealth } from './health-gate.ts';
import { validateFleet } from './load-fleet.ts';
import { planLiveCluster } from './plan-live-cluster.ts';
import { decidePullRequestTrust, formatTrustKey, type PullRequestSource, type PullRequestTrust } from './pull-request-trust.ts';
import { reconcileCluster } from './reconcile-cluster.ts';
import { registryConfigRef, registryOperatorRef } from './registry-refs.ts';
import { defaultRetryPolicy, errorCode, withRetry } from './retry.ts';
import { nameLeaseHolder, withFleetLease } from './fleet-lease.ts';
import { resolveReleasedTargets } from './resolve-released-targets.ts';
import { scanDrift, type DriftTarget } from './scan-drift.ts';
import { takeWorkflowLease } from './workflow-lease.ts';

export type WorkflowKind = 'rollout' | 'plan' | 'drift';

/** Keys of a run's working files in the report store (the bucket expires runs/ after 30 days). */
export const runKeys = {
  snapshot: (commit: string): string => `runs/snapshots/${commit}.json`,
  wavePlan: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/wave-plan.json`,
  diagnostics: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/diagnostics.json`,
  clusterPrefix: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/clusters/`,
  cluster: (kind: WorkflowKind, commit: string, cluster: string): string => `runs/${kind}/${commit}/clusters/${cluster}.json`,
};

export type StepPorts = EnginePorts & { reports: ReportStore };

// ---------------------------------------------------------------------------------------------
// PlanWaves

export interface PlanWavesInput {
  kind: WorkflowKind;
  /** The commit to plan; absent for the drift scan (the branch head is read). */
  commit?: string;
  /** Wave names the state machine was synthesized with, in order. */
  expectedWaves: string[];
  /**
   * The execution's input, for options started by hand: `{"commit": "…", "fromWave": "prod"}` resumes
   * there; for a pull request the webhook's `fork`, `headRepository`, `baseRef` (pull-request-trust.ts).
   */
  execution?: { fromWave?: string } & PullRequestSource;
  /** The execution's start time: the rollout's order and its name in the fleet lease (workflow-lease.ts). */
  startedAt?: string;
}

export interface PlanWavesOutput {
  commit: string;
  /** false: the config has errors; nothing is planned (plan kind only; rollout and drift throw). */
  valid: boolean;
  errors: number;
  warnings: number;
  waves: WavePlan['waves'];
  unassigned: string[];
  /** Every cluster of the fleet, name order (the plan workflow's Map runs over these). */
  clusters: string[];
}

/** A run the deployed state machine cannot carry out as planned. */
export class WorkflowError extends EngineError {}

function fixedSource(snapshot: ConfigSnapshot): EnginePorts['config'] {
  return { load: () => Promise.resolve(snapshot) };
}

/** Reads the config once for the run, stores the snapshot, validates and plans the waves. */
export async function planWavesStep(ports: Pick<StepPorts, 'config' | 'reports' | 'clock' | 'state'>, input: PlanWavesInput, limits: { maxClusters: number }): Promise<PlanWavesOutput> {
  // a fork's pull request: decided from the base branch before anything of the fork is read
  const trust = input.kind === 'plan' ? await decidePullRequestTrust(ports.config, input.execution) : undefined;
  if (trust?.mode === 'refused' && input.commit !== undefined) {
    await ports.reports.put(formatTrustKey(input.commit), JSON.stringify(trust), 'application/json');
    return { commit: input.commit, valid: true, errors: 0, warnings: 0, waves: [], unassigned: [], clusters: [] };
  }
  const snapshot = await ports.config.load(input.commit);
  if (trust !== undefined) await ports.reports.put(formatTrustKey(snapshot.commit), JSON.stringify(trust), 'application/json');
  await ports.reports.put(runKeys.snapshot(snapshot.commit), JSON.stringify(snapshot), 'application/json');
  const result = await validateFleet({ config: fixedSource(snapshot), clock: ports.clock });
  const base = { commit: result.commit, errors: result.errors, warnings: result.warnings };
  await ports.reports.put(runKeys.diagnostics(input.kind, result.commit), JSON.stringify(result.diagnostics), 'application/json');
  if (result.errors > 0) {
    if (input.kind !== 'plan') {
      throw new WorkflowError('config.invalid', `config ${result.commit}: ${result.errors} validation error(s), first: ${describeDiagnostic(result.diagnostics.find((d) => d.severity === 'error'))}`, { commit: result.commit });
    }
    return { ...base, valid: false, waves: [], unassigned: [], clusters: [] };
  }
  if (result.fleet.clusters.length > limits.maxClusters) {
    throw new WorkflowError('fleet.too-large', `config ${result.commit}: ${result.fleet.clusters.length} clusters exceed the stack's maxClusters ${limits.maxClusters}; raise regops:maxClusters and redeploy`, { commit: result.commit });
  }
  // restricted (a fork's PR): only clusters the base branch's fleet.yaml lists
  const baseNames = trust?.mode === 'restricted' ? new Set(trust.clusters.map((c) => c.name)) : undefined;
  const names = result.fleet.clusters.map((c) => c.name).filter((name) => baseNames?.has(name) ?? true).sort();
  const plan = planWaves(result.fleet, names);
  const actual = plan.waves.map((w) => w.name);
  // The Map states are shaped per wave at synth time (MaxConcurrency, ToleratedFailureCount), so a
  // rollout whose fleet.yaml changed the waves must wait for the stack to be redeployed.
  if (input.kind === 'rollout' && actual.join('\n') !== input.expectedWaves.join('\n')) {
    throw new WorkflowError('rollout.waves-changed', `config ${result.commit}: fleet.yaml waves [${actual.join(', ')}] differ from the deployed state machine's [${input.expectedWaves.join(', ')}]; redeploy the stack (npx cdk deploy) and start the rollout again`, { commit: result.commit });
  }
  const fromWave = input.execution?.fromWave;
  const first = fromWave === undefined ? 0 : plan.waves.findIndex((w) => w.name === fromWave);
  if (first < 0) {
    throw new WorkflowError('select.unknown-wave', `wave ${fromWave ?? ''}: not in fleet.yaml at ${result.commit}; waves are: ${actual.join(', ')}`, { commit: result.commit });
  }
  // approval gates and change windows hold waves in `regops rollout`; the workflow cannot wait for
  // them yet, so it refuses rather than run a gated wave unasked (config/README.md "windows")
  if (input.kind === 'rollout') {
    const gated = plan.waves.slice(first).filter((w) => w.approval === 'required').map((w) => w.name);
    const windows = result.fleet.windows ?? [];
    if (gated.length > 0 || windows.length > 0) {
      const what = [gated.length > 0 ? `approval: required on wave ${gated.join(', ')}` : '', windows.length > 0 ? `${windows.length} change window${windows.length === 1 ? '' : 's'}` : ''].filter((s) => s !== '').join(' and ');
      throw new WorkflowError('rollout.gates-unsupported', `config ${result.commit}: fleet.yaml sets ${what}, which the Step Functions rollout cannot honour yet; nothing was changed: roll out with the CLI (regops rollout, --approve WAVE)`, { commit: result.commit });
    }
  }
  // a rollout holds the fleet lease from here to its publish step, and never follows a newer one
  if (input.kind === 'rollout') await takeWorkflowLease(ports, result.commit, input.startedAt);
  await ports.reports.put(runKeys.wavePlan(input.kind, result.commit), JSON.stringify({ ...plan, ...(first > 0 ? { fromWave } : {}) }), 'application/json');
  // resuming: the Map states of earlier waves get no clusters and their bake no time
  const waves = plan.waves.map((w, i) => (i < first ? { ...w, clusters: [], bakeSeconds: 0 } : w));
  return { ...base, valid: true, waves, unassigned: plan.unassigned, clusters: names };
}

function describeDiagnostic(d: Diagnostic | undefined): string {
  return d === undefined ? 'none' : `${d.file}:${d.line}:${d.col} ${d.code}: ${d.message}`;
}

// ---------------------------------------------------------------------------------------------
// Reconcile one cluster

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

interface RenderedRun {
  fleet: Map<string, { entry: ClusterEntry; desired: DesiredCluster }>;
  windows?: ChangeWindow[];
}

// Per container: every invocation of a run reads the same snapshot; render it once.
const renderedRuns = new Map<string, Promise<RenderedRun>>();

async function loadRun(ports: Pick<StepPorts, 'reports'>, commit: string): Promise<RenderedRun> {
  const { reports } = ports;
  let run = renderedRuns.get(commit);
  if (run === undefined) {
    run = (async () => {
      const snapshot = await readJson<ConfigSnapshot>(reports, runKeys.snapshot(commit));
      if (snapshot === undefined) throw new WorkflowError('run.no-snapshot', `config ${commit}: no snapshot at ${runKeys.snapshot(commit)}; the run must start with PlanWaves`, { commit });
      // validated once by PlanWaves for the whole run; each cluster step only renders it again
      const result = renderFleet(snapshot);
      const desired = new Map(result.clusters.map((c) => [c.cluster, c]));
      const fleet = new Map<string, { entry: ClusterEntry; desired: DesiredCluster }>();
      for (const entry of result.fleet.clusters) {
        const found = desired.get(entry.name);
        if (found !== undefined) fleet.set(entry.name, { entry, desired: found });
      }
      return { fleet, ...(result.fleet.windows === undefined ? {} : { windows: result.fleet.windows }) };
    })();
    run.catch(() => renderedRuns.delete(commit));
    if (renderedRuns.size > 8) renderedRuns.delete(renderedRuns.keys().next().value as string);
    renderedRuns.set(commit, run);
  }
  return run;
}

async function readJson<T>(reports: ReportStore, key: string): Promise<T | undefined> {
  const text = await reports.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (thrown) {
    // run state is written by the steps themselves: unreadable JSON means someone edited or truncated it
    throw new WorkflowError('run.bad-state', `run state ${key}: not JSON; start the run again (its steps rewrite it)`, { key }, { cause: thrown });
  }
}

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
  const key = runKeys.cluster('rollout', input.commit, input.cluster);
  const applyRound = async (round: number): Promise<ReconcileStepOutput> => {
    const result = await reconcileCluster(ports, target.desired, target.entry, {
      commit: input.commit,
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
    await ports.reports.put(key, JSON.stringify({ ...merged, wave: input.wave }), 'application/json');
    return done(input, merged.outcome, merged.error);
  };
  const round = input.round ?? 1;
  if (input.phase === 'apply') return applyRound(round);

  // poll: one reading of the Config and the ClusterOperator, judged as the engine's gate does; a
  // cluster that stops answering (after the retries) fails at the health gate, as a value
  let verdict: ReturnType<typeof judgeHealth>;
  try {
    const client = await withRetry(ports.clock, () => ports.connector.connect(target.entry));
    const config = await withRetry(ports.clock, () => client.get(registryConfigRef));
    const operator = await withRetry(ports.clock, () => client.get(registryOperatorRef));
    verdict = judgeHealth(config, operator, undefined);
  } catch (thrown) {
    const error = toError(thrown);
    verdict = { state: 'failed', code: errorCode(error), why: error.message };
  }
  if (verdict.state === 'healthy') {
    // healthy: plan again to verify the owned fields survived the operator's own writes
    // (registry-operator.md §4); a plan that writes again starts a new round
    const verified = await applyRound(round + 1);
    return verified;
  }
  const failure = verdict.state === 'failed'
    ? { code: verdict.code, message: `cluster ${input.cluster}: health gate: ${verdict.why}`, step: 'health-gate' }
    : ports.clock.now().getTime() >= Date.parse(input.deadline ?? '')
      ? { code: 'cluster.health-timeout', message: `cluster ${input.cluster}: health gate: not healthy by ${input.deadline ?? '?'}: ${verdict.why}`, step: 'health-gate' }
      : undefined;
  if (failure === undefined) return { ...input, phase: 'poll', waitSeconds: settings.pollSeconds };
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
  await ports.reports.put(key, JSON.stringify({ ...failed, wave: input.wave }), 'application/json');
  return done(input, 'failed', failure);
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

// ---------------------------------------------------------------------------------------------
// Assemble the rollout report from the per-cluster outcomes

export interface RolloutAssembly {
  commit: string;
  startedAt: string;
  /** Set by the state machine when a wave's Map failed. */
  halted?: { wave: string; error?: string; cause?: string };
}

/** Builds the RolloutReport (same shape as the CLI's runRollout) from what the cluster steps stored. */
export async function assembleRolloutReport(ports: Pick<StepPorts, 'reports' | 'clock'>, input: RolloutAssembly): Promise<RolloutReport> {
  const plan = await readJson<WavePlan & { fromWave?: string }>(ports.reports, runKeys.wavePlan('rollout', input.commit));
  if (plan === undefined) throw new WorkflowError('run.no-plan', `rollout ${input.commit}: no wave plan stored; the run must start with PlanWaves`, { commit: input.commit });
  const waves: WaveRollout[] = [];
  let halted: RolloutReport['halted'];
  const first = plan.fromWave === undefined ? 0 : Math.max(0, plan.waves.findIndex((w) => w.name === plan.fromWave));
  for (const [index, wave] of plan.waves.entries()) {
    const base = { name: wave.name, maxConcurrency: wave.maxConcurrency, maxFailures: wave.maxFailures };
    if (index < first) {
      waves.push({ ...base, status: 'skipped', clusters: wave.clusters.map((cluster) => ({ cluster, outcome: 'skipped', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] })) });
      continue;
    }
    const clusters = await Promise.all(wave.clusters.map(async (cluster): Promise<ClusterRollout> => {
      const stored = await readJson<ClusterRollout & { wave?: string }>(ports.reports, runKeys.cluster('rollout', input.commit, cluster));
      if (stored === undefined) return { cluster, outcome: 'not-started', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] };
      const { wave: _wave, ...rollout } = stored;
      return rollout;
    }));
    if (halted !== undefined) {
      waves.push({ ...base, status: 'not-started', clusters });
      continue;
    }
    const failures = clusters.filter((c) => c.outcome === 'failed');
    if (input.halted?.wave === wave.name) {
      const first = failures[0];
      const why = first === undefined ? `: ${input.halted.error ?? 'failed'} ${input.halted.cause ?? ''}`.trimEnd() : `: ${first.cluster} failed at ${first.step ?? 'apply'}: ${first.error?.message ?? ''}`;
      halted = { wave: wave.name, reason: `${failures.length} of ${wave.clusters.length} clusters failed (maxFailures ${wave.maxFailures})${why}` };
      waves.push({ ...base, status: 'failed', clusters });
      continue;
    }
    // a failure the wave's ToleratedFailureCount let through is still a failed cluster (rollout.ts)
    waves.push({ ...base, status: failures.length > 0 ? 'failed' : 'succeeded', clusters });
  }
  if (plan.unassigned.length > 0) {
    waves.push({ name: '(no wave)', status: 'skipped', maxConcurrency: 0, maxFailures: 0, clusters: plan.unassigned.map((cluster) => ({ cluster, outcome: 'skipped', changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] })) });
  }
  const now = ports.clock.now();
  const report: RolloutReport = {
    apiVersion: API_VERSION,
    kind: 'RolloutReport',
    commit: input.commit,
    generatedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - Date.parse(input.startedAt)),
    status: halted === undefined && !waves.some((w) => w.status === 'failed') ? 'succeeded' : 'failed',
    waves,
  };
  if (halted !== undefined) report.halted = halted;
  return report;
}

/** The cluster plans the plan workflow stored, in name order, and the validation diagnostics. */
export async function collectPlans(reports: ReportStore, commit: string): Promise<{ plans: ClusterPlan[]; diagnostics: Diagnostic[] }> {
  const keys = await reports.list(runKeys.clusterPrefix('plan', commit));
  const plans = (await Promise.all(keys.map((key) => readJson<ClusterPlan>(reports, key)))).filter((p): p is ClusterPlan => p !== undefined);
  const diagnostics = (await readJson<Diagnostic[]>(reports, runKeys.diagnostics('plan', commit))) ?? [];
  return { plans: plans.sort((a, b) => a.cluster.localeCompare(b.cluster)), diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Drift

/** Scans every cluster of the run's snapshot (bounded concurrency), enforcing where policy says. */
export async function driftScanStep(ports: StepPorts & ClusterPorts, input: { commit: string }, options: { concurrency: number; healthGateMs?: number }): Promise<DriftReport> {
  const run = await loadRun(ports, input.commit);
  const plan = await readJson<WavePlan>(ports.reports, runKeys.wavePlan('drift', input.commit));
  const waveOf = new Map((plan?.waves ?? []).flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
  const clusters = [...run.fleet.values()].map(({ entry, desired }) => {
    const wave = waveOf.get(entry.name);
    return { entry, desired, ...(wave === undefined ? {} : { wave }) };
  });
  if (clusters.length === 0) throw new RegopsError('drift.no-clusters', `config ${input.commit}: fleet.yaml lists no clusters`, { commit: input.commit });
  // a correction (policy enforce) waits for its health gate inside this one invocation (15 minutes
  // at most), so the gate gets less time than a rollout's polled gate
  const scan = (targets: DriftTarget[]): Promise<DriftReport> => scanDrift(ports, { commit: input.commit, clusters: targets, concurrency: options.concurrency, reconcile: { healthGate: { timeoutMs: options.healthGateMs ?? 300_000, pollMs: 5_000 } } });
  // enforce corrects only inside the cluster's change windows (as the CLI scan: hold-outside-windows.ts)
  const held = (targets: DriftTarget[]): DriftTarget[] => holdOutsideWindows(targets, run.windows, ports.clock.now());
  const { state } = ports;
  if (state === undefined) return scan(held(clusters));
  // never beside a rollout; each cluster compared with what its last completed rollout released
  const request = { holder: nameLeaseHolder('stepfunctions-drift', ports.clock), purpose: 'drift' as const, commit: input.commit, ttlMs: 15 * 60_000 };
  return withFleetLease({ state, clock: ports.clock }, request, async () => scan(held(await resolveReleasedTargets({ state }, input.commit, clusters))));
}
