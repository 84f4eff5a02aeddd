/**
 * A Step Functions run's working files in the report store, under `runs/` (the bucket expires them
 * after 30 days): the config snapshot read once per run, the wave plan, one outcome per cluster.
 * State between invocations lives there and in the state input, so a wave's Map can fan out to
 * thousands of clusters without GitHub being read a thousand times.
 */
import type { ChangeWindow, ClusterEntry, ConfigSnapshot, DesiredCluster } from '../../core/model.ts';
import { renderFleet } from '../../core/render.ts';
import type { ReportStore } from '../ports.ts';
import type { EnginePorts } from '../engine-ports.ts';
import { WorkflowError } from '../errors.ts';

export type WorkflowKind = 'rollout' | 'plan' | 'drift';

/** Keys of a run's working files in the report store (the bucket expires runs/ after 30 days). */
export const runKeys = {
  snapshot: (commit: string): string => `runs/snapshots/${commit}.json`,
  wavePlan: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/wave-plan.json`,
  diagnostics: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/diagnostics.json`,
  clusterPrefix: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/clusters/`,
  cluster: (kind: WorkflowKind, commit: string, cluster: string): string => `runs/${kind}/${commit}/clusters/${cluster}.json`,
  /** A JSON array of the wave's cluster names: the wave's Distributed Map reads its items there (ItemReader). */
  waveItems: (kind: WorkflowKind, commit: string, index: number): string => `runs/${kind}/${commit}/waves/${index}.json`,
  /** A JSON array of every cluster the run covers: the plan and drift workflows' Maps read it. */
  clusterItems: (kind: WorkflowKind, commit: string): string => `runs/${kind}/${commit}/clusters.json`,
  /** Why Check window halted a wave (wave-window-step.ts), for the report (assemble-rollout-report.ts); keyed by the execution's start. */
  windowHold: (commit: string, wave: string): string => `runs/rollout/${commit}/holds/${wave}.json`,
  /** A restore's own progress between its polls (rollback-previous.ts; the rollout's record stays the wave's). */
  rollback: (commit: string, cluster: string): string => `runs/rollout/${commit}/rollbacks/${cluster}.json`,
  /** One drift scan's result for one cluster, stored by its child execution as soon as it is scanned. */
  driftResult: (commit: string, scan: string, cluster: string): string => `runs/drift/${commit}/scans/${scan}/${cluster}.json`,
};

export interface RenderedRun {
  fleet: Map<string, { entry: ClusterEntry; desired: DesiredCluster }>;
  windows?: ChangeWindow[];
}

/**
 * Rendered snapshots by commit. Whoever builds the ports keeps one (aws-runtime.ts: one per Lambda
 * container), so the invocations of a run in one container render its snapshot once.
 */
export type RenderedRuns = Map<string, Promise<RenderedRun>>;

export type StepPorts = EnginePorts & { reports: ReportStore; renderedRuns?: RenderedRuns };

async function renderRun(reports: ReportStore, commit: string): Promise<RenderedRun> {
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
}

/** The run's snapshot, rendered; from `ports.renderedRuns` when this container rendered it already. */
export async function loadRun(ports: Pick<StepPorts, 'reports' | 'renderedRuns'>, commit: string): Promise<RenderedRun> {
  const cache = ports.renderedRuns;
  if (cache === undefined) return renderRun(ports.reports, commit);
  let run = cache.get(commit);
  if (run === undefined) {
    run = renderRun(ports.reports, commit);
    run.catch(() => cache.delete(commit));
    if (cache.size > 8) cache.delete(cache.keys().next().value as string);
    cache.set(commit, run);
  }
  return run;
}

export async function readJson<T>(reports: ReportStore, key: string): Promise<T | undefined> {
  const text = await reports.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (thrown) {
    // run state is written by the steps themselves: unreadable JSON means someone edited or truncated it
    throw new WorkflowError('run.bad-state', `run state ${key}: not JSON; start the run again (its steps rewrite it)`, { key }, { cause: thrown });
  }
}
