/**
 * Engine errors: what went wrong while changing or reading a cluster, with the step it happened at.
 * Adapter errors (cluster.conflict, cluster.unreachable, …) pass through as causes.
 */
import { RegopsError } from '../core/errors.ts';
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
