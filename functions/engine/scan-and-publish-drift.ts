/**
 * Step `Scan fleet` of the drift workflow (handlers/drift-scan.ts): scan the run's snapshot
 * (driftScanStep: bounded concurrency, enforce where the policy says), publish the DriftReport to
 * the reports store, and answer the history key that `Publish drift` reads back.
 */
import type { DriftReport } from '../core/model.ts';
import { buildReportKeys } from '../core/report-keys.ts';
import type { ClusterPorts } from './engine-ports.ts';
import { publishReport } from './publish-report.ts';
import { driftScanStep } from './steps/drift-scan-step.ts';
import type { StepPorts } from './steps/run-store.ts';

export interface PublishedDriftScan {
  report: DriftReport;
  /** The dated history entry: later scans overwrite `latest/`, never this. */
  reportKey: string;
}

export async function scanAndPublishDrift(ports: StepPorts & ClusterPorts, input: { commit: string }, options: { concurrency: number; healthGateMs?: number }): Promise<PublishedDriftScan> {
  const report = await driftScanStep(ports, input, options);
  await publishReport(ports.reports, report);
  return { report, reportKey: buildReportKeys(report).history };
}
