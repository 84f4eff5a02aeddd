/**
 * Engine errors: what went wrong while changing or reading a cluster, with the step it happened at.
 * Adapter errors (cluster.conflict, cluster.unreachable, …) pass through as causes.
 */
import { RegopsError, toError } from '../core/errors.ts';
import type { ErrorContext } from '../core/errors.ts';
import type { ConditionSummary, Diagnostic } from '../core/model.ts';

export class EngineError extends RegopsError {}

/** The config repository has validation errors: nothing is planned or applied. */
export class ValidationFailedError extends EngineError {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[]) {
    super('config.invalid', message);
    this.diagnostics = diagnostics;
  }
}

/** `--cluster`/`--selector`/`--from-wave` named nothing that exists. */
export class SelectionError extends EngineError {
  constructor(message: string, context: ErrorContext = {}) {
    super('selection.invalid', message, context);
  }
}

/** The server refused a dry-run write: the cluster stops before anything is written. */
export class DryRunRejectedError extends EngineError {}

/** The operator did not take the change: Degraded, Progressing=True with reason Error, or timeout. */
export class HealthGateError extends EngineError {
  /** What the operator said last (ClusterOperator and Config conditions). */
  readonly conditions: ConditionSummary[];
  constructor(code: string, message: string, context: ErrorContext, conditions: ConditionSummary[]) {
    super(code, message, context);
    this.conditions = conditions;
  }
}

/** Conflicts or operator write races kept the cluster from converging within the attempts allowed. */
export class NotConvergedError extends EngineError {}

/** `regops import`: one or more clusters could not be read, so nothing is written (engine/import-fleet.ts). */
export class ImportFailedError extends EngineError {}

/** Another run holds the fleet lease (engine/fleet-lease.ts): a rollout and a drift scan never run on one fleet at once. */
export class LeaseHeldError extends EngineError {}

/** The fleet lease this run held was taken over (it expired) or removed while the run went on. */
export class LeaseLostError extends EngineError {}

/** A rollout older than the one released or in progress: a newer commit supersedes it (engine/release-record.ts). */
export class RolloutSupersededError extends EngineError {}

/**
 * A step failed for a reason that may pass on a second try: a server error, throttling, a lost
 * connection. The state machines retry a Task that throws it, with backoff and jitter
 * (infra/constructs/state-machines.ts); `cause` is the original adapter error, `code` its code.
 */
export class TransientStepError extends EngineError {}

/**
 * Adapter error codes that mean "try again later" (adapters/s3/to-storage-error.ts,
 * adapters/github/to-source-error.ts, adapters/secrets/to-secret-error.ts). Validation, health-gate,
 * not-found, forbidden and invalid-input codes are deliberately absent: a retry cannot fix them.
 */
export const transientErrorCodes: readonly string[] = [
  'storage.unreachable', 'storage.throttled', 'storage.server-error',
  'source.unreachable', 'source.throttled', 'source.server-error',
  'secret.unreachable', 'secret.throttled', 'secret.server-error',
];

/**
 * The error names a workflow Task retries (the one list infra/constructs/state-machines.ts reads):
 * Lambda throttling, which halted a wave before, and TransientStepError from our own steps.
 */
export const retriedStepErrorNames = ['Lambda.TooManyRequestsException', 'TransientStepError'] as const;

/** A GitHub answer worth retrying: no answer at all, 429, or a 5xx (a 502 from the API is common). */
function isTransientGitHubFailure(error: RegopsError): boolean {
  if (error.code !== 'github.publish-failed') return false;
  const status = error.context['status'];
  return status === undefined || status === 429 || (typeof status === 'number' && status >= 500);
}

/**
 * What a step handler throws to Step Functions: a transient adapter failure becomes
 * TransientStepError (same code, context and message; the original as cause), anything else is
 * thrown as it is, so Retry matches on the error's name and never retries a validation failure.
 */
export function toStepFailure(thrown: unknown): Error {
  const error = toError(thrown);
  if (!(error instanceof RegopsError) || error instanceof TransientStepError) return error;
  if (!transientErrorCodes.includes(error.code) && !isTransientGitHubFailure(error)) return error;
  return new TransientStepError(error.code, error.message, error.context, { cause: error });
}

/** A run the deployed state machine cannot carry out as planned (engine/steps/). */
export class WorkflowError extends EngineError {}
