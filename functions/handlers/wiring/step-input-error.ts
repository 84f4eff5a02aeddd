/**
 * A Lambda step's input event that does not have the shape the step reads (parse-step-input.ts): a
 * state machine sending other Parameters than the function expects, or an execution started by hand
 * with a wrong input. Code `step.invalid-input`, context `{step, path}` (the field, `waves[2].name`).
 * Never retried: the name is not in engine/errors.ts retriedStepErrorNames, and another try would
 * get the same payload.
 */
import { RegopsError } from '../../core/errors.ts';

export class StepInputError extends RegopsError {}
