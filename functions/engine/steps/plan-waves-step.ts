/**
 * Step `Plan waves` of every workflow: reads the config once for the run, keeps the snapshot in the
 * run store (run-store.ts), validates and plans the waves the Map states run over.
 */
import type { ConfigSnapshot, Diagnostic, WavePlan } from '../../core/model.ts';
import { planWaves } from '../../core/waves.ts';
import type { EnginePorts } from '../engine-ports.ts';
import { WorkflowError } from '../errors.ts';
import { validateFleet } from '../load-fleet.ts';
import { decidePullRequestTrust, formatTrustKey, type PullRequestSource } from '../pull-request-trust.ts';
import { nameDriftScan, takeDriftWorkflowLease, takeWorkflowLease } from '../workflow-lease.ts';
import { runKeys, type StepPorts, type WorkflowKind } from './run-store.ts';

export interface PlanWavesInput {
  kind: WorkflowKind;
  /** The commit to plan; absent for the drift scan (the branch head is read). */
  commit?: string;
  /** Wave names the state machine was synthesized with, in order. */
  expectedWaves: string[];
  /**
   * The execution's input, for options started by hand: `{"commit": "…", "fromWave": "prod"}` resumes
   * there; for a pull request the webhook's `fork`, `headRepository`, `baseRef` (pull-request-trust.ts);
   * for a push the pusher's login, `pushedBy` (kept with the wave plan for `approvers:
   * different-from-pusher`, approval-request-step.ts).
   */
  execution?: { fromWave?: string; pushedBy?: string } & PullRequestSource;
  /** The execution's start time: the rollout's order and its name in the fleet lease (workflow-lease.ts). */
  startedAt?: string;
}

/**
 * A wave as the state machine sees it: its settings and where its clusters are, never the list
 * itself, so the state between steps stays small whatever the fleet's size (issue 14 item 5: 256 KB).
 */
export interface PlannedWave extends Omit<WavePlan['waves'][number], 'clusters'> {
  /** Clusters the wave's Map runs over (0: a wave a resumed run skips). */
  clusterCount: number;
  /** Run-store key of the wave's cluster names, a JSON array: the wave's Distributed Map reads it (ItemReader). */
  itemsKey: string;
}

/** What a drift scan's Map reads per cluster (runKeys.clusterItems for kind drift); wave null: no wave selects it. */
export interface DriftItem {
  cluster: string;
  wave: string | null;
}

export interface PlanWavesOutput {
  commit: string;
  /** false: the config has errors; nothing is planned (plan kind only; rollout and drift throw). */
  valid: boolean;
  errors: number;
  warnings: number;
  waves: PlannedWave[];
  /** How many selected clusters no wave matches (listed in the stored wave plan). */
  unassigned: number;
  /** How many clusters the run covers. */
  clusterCount: number;
  /**
   * Run-store key of every cluster the run covers, name order, a JSON array the plan (names) and
   * drift (DriftItem) workflows' Distributed Maps read.
   */
  clustersKey: string;
  /**
   * The execution's start time, echoed: each Map item carries it from `$.plan` (a Distributed Map's
   * child has its own $$.Execution), naming the run a rollback's kept values belong to (rollback-previous.ts).
   */
  startedAt?: string;
  /** Drift only: this scan's name in the run store (runKeys.driftResult) and the fleet lease. */
  scan?: string;
}

function fixedSource(snapshot: ConfigSnapshot): EnginePorts['config'] {
  return { load: () => Promise.resolve(snapshot) };
}

/** Reads the config once for the run, stores the snapshot, validates and plans the waves. */
export async function planWavesStep(ports: Pick<StepPorts, 'config' | 'reports' | 'clock' | 'state'>, input: PlanWavesInput, limits: { maxClusters: number }): Promise<PlanWavesOutput> {
  // a fork's pull request: decided from the base branch before anything of the fork is read
  const trust = input.kind === 'plan' ? await decidePullRequestTrust(ports.config, input.execution) : undefined;
  if (trust?.mode === 'refused' && input.commit !== undefined) {
    await ports.reports.put(formatTrustKey(input.commit), JSON.stringify(trust), 'application/json');
    return { commit: input.commit, valid: true, errors: 0, warnings: 0, waves: [], unassigned: 0, ...await storeClusterItems(ports, input.kind, input.commit, []) };
  }
  const snapshot = await ports.config.load(input.commit);
  if (trust !== undefined) await ports.reports.put(formatTrustKey(snapshot.commit), JSON.stringify(trust), 'application/json');
  await ports.reports.put(runKeys.snapshot(snapshot.commit), JSON.stringify(snapshot), 'application/json');
  const result = await validateFleet({ config: fixedSource(snapshot), clock: ports.clock });
  const base = { commit: result.commit, errors: result.errors, warnings: result.warnings, ...(input.startedAt === undefined ? {} : { startedAt: input.startedAt }) };
  await ports.reports.put(runKeys.diagnostics(input.kind, result.commit), JSON.stringify(result.diagnostics), 'application/json');
  if (result.errors > 0) {
    if (input.kind !== 'plan') {
      throw new WorkflowError('config.invalid', `config ${result.commit}: ${result.errors} validation error(s), first: ${describeDiagnostic(result.diagnostics.find((d) => d.severity === 'error'))}`, { commit: result.commit });
    }
    return { ...base, valid: false, waves: [], unassigned: 0, ...await storeClusterItems(ports, input.kind, result.commit, []) };
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
  // change windows and approval gates are the state machine's, before each wave: Check window
  // (wave-window-step.ts) and, for `approval: required`, Approve (approval-request-step.ts)
  // a rollout holds the fleet lease from here to its publish step, and never follows a newer one
  if (input.kind === 'rollout') await takeWorkflowLease(ports, result.commit, input.startedAt);
  const pushedBy = input.execution?.pushedBy;
  await ports.reports.put(runKeys.wavePlan(input.kind, result.commit), JSON.stringify({ ...plan, ...(first > 0 ? { fromWave } : {}), ...(pushedBy === undefined ? {} : { pushedBy }) }), 'application/json');
  // what the Map states run over goes to the run store, read there by their ItemReader; resuming,
  // the Map states of earlier waves get no clusters and their bake no time
  const waves = await Promise.all(plan.waves.map(async ({ clusters, ...wave }, i): Promise<PlannedWave> => {
    const items = i < first ? [] : clusters;
    const itemsKey = runKeys.waveItems(input.kind, result.commit, i);
    await ports.reports.put(itemsKey, JSON.stringify(items), 'application/json');
    return { ...wave, ...(i < first ? { bakeSeconds: 0 } : {}), clusterCount: items.length, itemsKey };
  }));
  if (input.kind !== 'drift') return { ...base, valid: true, waves, unassigned: plan.unassigned.length, ...await storeClusterItems(ports, input.kind, result.commit, names) };
  if (names.length === 0) throw new WorkflowError('drift.no-clusters', `config ${result.commit}: fleet.yaml lists no clusters`, { commit: result.commit });
  const waveOf = new Map(plan.waves.flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
  const items = names.map((cluster): DriftItem => ({ cluster, wave: waveOf.get(cluster) ?? null }));
  const stored = await storeClusterItems(ports, input.kind, result.commit, items);
  // the scan holds the fleet lease from here to its publish step, as a rollout does (workflow-lease.ts)
  await takeDriftWorkflowLease(ports, result.commit, input.startedAt);
  return { ...base, valid: true, waves, unassigned: plan.unassigned.length, ...stored, scan: nameDriftScan(input.startedAt, ports.clock) };
}

async function storeClusterItems(ports: Pick<StepPorts, 'reports'>, kind: WorkflowKind, commit: string, items: readonly unknown[]): Promise<{ clusterCount: number; clustersKey: string }> {
  const clustersKey = runKeys.clusterItems(kind, commit);
  await ports.reports.put(clustersKey, JSON.stringify(items), 'application/json');
  return { clusterCount: items.length, clustersKey };
}

function describeDiagnostic(d: Diagnostic | undefined): string {
  return d === undefined ? 'none' : `${d.file}:${d.line}:${d.col} ${d.code}: ${d.message}`;
}

