/**
 * Step `Scan fleet` of the drift workflow (handlers/drift-scan.ts): the fleet's drift scan
 * (scan-released-drift.ts, as `regops drift`) over every cluster of the run's snapshot, published to
 * the reports store; answers the history key that `Publish drift` reads back.
 */
import type { DriftReport, WavePlan } from '../../core/model.ts';
import { RegopsError } from '../../core/errors.ts';
import { buildReportKeys } from '../../core/report-keys.ts';
import type { ClusterPorts } from '../engine-ports.ts';
import { publishReport } from '../publish-report.ts';
import { scanReleasedDrift } from '../scan-released-drift.ts';
import { loadRun, readJson, runKeys, type StepPorts } from './run-store.ts';

export interface PublishedDriftScan {
  report: DriftReport;
  /** The dated history entry: later scans overwrite `latest/`, never this. */
  reportKey: string;
}

export async function driftScanStep(ports: StepPorts & ClusterPorts, input: { commit: string }, options: { concurrency: number; healthGateMs?: number }): Promise<PublishedDriftScan> {
  const run = await loadRun(ports, input.commit);
  const clusters = [...run.fleet.values()];
  if (clusters.length === 0) throw new RegopsError('drift.no-clusters', `config ${input.commit}: fleet.yaml lists no clusters`, { commit: input.commit });
  const plan = await readJson<WavePlan>(ports.reports, runKeys.wavePlan('drift', input.commit));
  const report = await scanReleasedDrift({ ...ports, holder: 'stepfunctions-drift' }, {
    commit: input.commit,
    clusters,
    ...(plan === undefined ? {} : { plan }),
    ...(run.windows === undefined ? {} : { windows: run.windows }),
    concurrency: options.concurrency,
    // a correction (policy enforce) waits for its health gate inside this one invocation (15 minutes
    // at most), so the gate gets less time than a rollout's polled gate
    reconcile: { healthGate: { timeoutMs: options.healthGateMs ?? 300_000, pollMs: 5_000 } },
    leaseTtlMs: 15 * 60_000,
  });
  await publishReport(ports.reports, report);
  return { report, reportKey: buildReportKeys(report).history };
}
