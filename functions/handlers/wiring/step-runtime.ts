/**
 * What the step functions share: the engine ports, the GitHub publisher, a logger, the settings.
 * Built once per container (aws-runtime.ts from the environment; tests build it around the sandbox).
 */
import type { ApprovalChecks, CommitPublisher, ProgressSink } from '../../engine/ports.ts';
import type { Logger } from '../../adapters/observability/json-logger.ts';
import type { Metric } from '../../adapters/observability/emf-metrics.ts';
import type { ReconcileSettings } from '../../engine/steps/reconcile-step.ts';
import type { StepPorts } from '../../engine/steps/run-store.ts';

export interface StepSettings {
  maxClusters: number;
  reconcile: ReconcileSettings;
}

export interface StepRuntime {
  ports(): Promise<StepPorts>;
  publisher(): Promise<CommitPublisher>;
  /** The approval gates' check runs (publish-report asks for approvals: engine/steps/approval-request-step.ts). */
  approvalChecks?(): Promise<ApprovalChecks>;
  logger: Logger;
  settings: StepSettings;
  /** Writes EMF metrics (stdout in Lambda). */
  metrics(metrics: Metric[], properties: Record<string, string>): void;
}

/** Progress events as log lines, with the cluster on each (ProgressEvent carries it). */
export function createLogProgress(logger: Logger): ProgressSink {
  return { emit: (event) => logger.child({ cluster: event.cluster }).info(event.phase, { ...(event.wave === undefined ? {} : { wave: event.wave }), ...(event.message === undefined ? {} : { detail: event.message }) }) };
}
