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

export function asStep<I extends StepKeys, O>(run: (input: I) => Promise<O>, logger?: Logger): (input: I, context?: Context) => Promise<O> {
  return async (input, context) => {
    if (logger !== undefined) {
      if (context !== undefined) logger.addLambdaContext(context);
      logger.resetKeys();
      logger.appendKeys({ ...(input.commit === undefined ? {} : { commit: input.commit }), ...(input.cluster === undefined ? {} : { cluster: input.cluster }) });
    }
    try {
      return await run(input);
    } catch (thrown) {
      throw toStepFailure(thrown);
    }
  };
}
