/**
 * Step `Scan fleet` of the drift workflow (EventBridge Scheduler → state machine): scan every
 * cluster with bounded concurrency, correct where the policy is enforce, publish the DriftReport
 * to the reports bucket and emit the drift metrics. Output {commit, reportKey, summary}.
 */
import type { DriftReport } from '../core/model.ts';
import { regopsMetricNames } from '../adapters/observability/emf-metrics.ts';
import { driftScanStep } from '../engine/steps/drift-scan-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createAwsClusterAccess } from './wiring/cluster-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export interface DriftScanOutput {
  commit: string;
  reportKey: string;
  summary: DriftReport['summary'];
}

export function createDriftScanHandler(runtime: StepRuntime): (input: { commit: string }, context?: Context) => Promise<DriftScanOutput> {
  return asStep(async (input) => {
    const { report, reportKey } = await driftScanStep(await runtime.ports(), input, { concurrency: runtime.settings.driftConcurrency });
    const failedCorrections = report.clusters.filter((c) => c.corrected?.outcome === 'failed').length;
    runtime.metrics([
      { name: regopsMetricNames.driftedClusters, value: report.summary.drifted, unit: 'Count' },
      { name: regopsMetricNames.driftedFields, value: report.summary.driftedFields, unit: 'Count' },
      { name: regopsMetricNames.scanDuration, value: report.durationMs, unit: 'Milliseconds' },
      { name: regopsMetricNames.applyFailures, value: failedCorrections, unit: 'Count' },
      { name: regopsMetricNames.unreachableClusters, value: report.summary.unreachable, unit: 'Count' },
    ], { commit: report.commit });
    runtime.logger.child({ commit: report.commit }).info('drift scan published', { reportKey, summary: report.summary });
    return { commit: report.commit, reportKey, summary: report.summary };
  }, runtime.logger);
}

const handle = once(() => createDriftScanHandler(buildAwsStepRuntime(process.env, 'drift-scan', {}, { cluster: createAwsClusterAccess })));
export const handler = (input: { commit: string }, context?: Context): Promise<DriftScanOutput> => handle()(input, context);
