/**
 * Wraps a step handler so that what it throws reaches Step Functions under a name the state
 * machine's Retry can match: transient adapter failures as TransientStepError (engine/errors.ts),
 * everything else unchanged (Catch sees ValidationFailedError, HealthGateError, … by name).
 * It also binds the invocation to the function's logger: the Lambda context (request id, cold start)
 * and the commit and cluster of the input, so every line of the invocation, the engine's progress
 * lines included (step-runtime.ts createLogProgress), carries them. Keys are reset when an
 * invocation starts, not when it ends: Lambda runs one invocation at a time per environment, and
 * in-process tests that run a Map's iterations at once on one runtime share the execution's commit.
 */
import type { Context } from 'aws-lambda';
import type { Logger } from '../../adapters/observability/json-logger.ts';
import { toStepFailure } from '../../engine/errors.ts';

/** The keys a step input may carry. */
export interface StepKeys {
  commit?: string;
  cluster?: string;
}

/**
 * `parseInput` validates the event first (parse-step-input.ts: Powertools Parser and the schemas
 * of step-input-schemas.ts); what it throws, StepInputError, reaches Step Functions by that name and
 * is never retried.
 */
export function asStep<I extends StepKeys, O>(run: (input: I) => Promise<O>, logger?: Logger, parseInput?: (event: unknown) => I): (input: I, context?: Context) => Promise<O> {
  return async (event, context) => {
    if (logger !== undefined) {
      if (context !== undefined) logger.addLambdaContext(context);
      logger.resetKeys();
      // the keys of the raw event: a line about an input that fails to parse still names its commit
      const keys = (typeof event === 'object' && event !== null ? event : {}) as StepKeys;
      logger.appendKeys({ ...(typeof keys.commit === 'string' ? { commit: keys.commit } : {}), ...(typeof keys.cluster === 'string' ? { cluster: keys.cluster } : {}) });
    }
    try {
      return await run(parseInput === undefined ? event : parseInput(event));
    } catch (thrown) {
      throw toStepFailure(thrown);
    }
  };
}
