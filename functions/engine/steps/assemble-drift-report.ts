/**
 * Step `Publish drift`, first half: the DriftReport assembled from what the drift workflow's child
 * executions stored, one result per cluster (drift-scan-step.ts). Every cluster the scan was to
 * cover is in the report: one whose child failed or timed out, or that a stopped Map never reached,
 * is an `error` saying so, never left out.
 */
import { buildDriftReport } from '../../core/build-drift-report.ts';
import type { ClusterDrift, DriftReport } from '../../core/model.ts';
import { WorkflowError } from '../errors.ts';
import { runBounded } from '../run-bounded.ts';
import type { DriftItem } from './plan-waves-step.ts';
import { loadRun, readJson, runKeys, type StepPorts } from './run-store.ts';

export interface DriftAssembly {
  commit: string;
  scan: string;
  startedAt?: string;
  /** Set by the state machine when the scan's Map failed as a whole (Error and Cause of the failure). */
  stopped?: { error?: string; cause?: string };
}

/** Reads each cluster's stored result (32 at a time) and builds the report. */
export async function assembleDriftReport(ports: Pick<StepPorts, 'reports' | 'clock' | 'renderedRuns'>, input: DriftAssembly): Promise<DriftReport> {
  const itemsKey = runKeys.clusterItems('drift', input.commit);
  const items = await readJson<DriftItem[]>(ports.reports, itemsKey);
  if (items === undefined) throw new WorkflowError('run.no-plan', `drift ${input.commit}: no clusters stored at ${itemsKey}; the run must start with Load branch head`, { commit: input.commit, key: itemsKey });
  const stored = await runBounded(items, 32, (item) => readJson<ClusterDrift>(ports.reports, runKeys.driftResult(input.commit, input.scan, item.cluster)));
  const missing = items.filter((_item, index) => stored[index] === undefined);
  const run = missing.length === 0 ? undefined : await loadRun(ports, input.commit);
  const why = input.stopped === undefined ? '' : `; the scan stopped: ${input.stopped.error ?? 'failed'} ${(input.stopped.cause ?? '').slice(0, 300)}`.trimEnd();
  const lost = missing.map((item): ClusterDrift => {
    const found = run?.fleet.get(item.cluster);
    return {
      cluster: item.cluster,
      labels: found?.entry.labels ?? {},
      ...(item.wave === null ? {} : { wave: item.wave }),
      policy: found?.desired.policy ?? 'inform',
      state: 'error',
      resources: [],
      conditions: [],
      error: { code: 'drift.no-result', message: `cluster ${item.cluster}: this scan stored no result for it (its child execution failed or timed out, or never started)${why}; the next scan covers it again` },
    };
  });
  const now = ports.clock.now();
  const started = input.startedAt === undefined ? now : new Date(input.startedAt);
  return buildDriftReport(input.commit, [...stored.filter((c): c is ClusterDrift => c !== undefined), ...lost], Number.isNaN(started.getTime()) ? now : started, now);
}
