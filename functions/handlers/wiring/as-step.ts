/**
 * Wraps a step handler so that what it throws reaches Step Functions under a name the state
 * machine's Retry can match: transient adapter failures as TransientStepError (engine/errors.ts),
 * everything else unchanged (Catch sees ValidationFailedError, HealthGateError, … by name).
 */
import { toStepFailure } from '../../engine/errors.ts';

export function asStep<I, O>(run: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return async (input) => {
    try {
      return await run(input);
    } catch (thrown) {
      throw toStepFailure(thrown);
    }
  };
}
