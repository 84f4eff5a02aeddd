/**
 * TaskTokens (engine/ports.ts) on Step Functions: SendTaskSuccess with the waiting Task's token. A
 * token whose task is gone (timed out, answered already, execution ended) or that is not one is
 * `expired`, an answer for the caller to show; anything else (throttling, access) is thrown.
 */
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { revealSecretValue } from '../../adapters/secrets/secret-value.ts';
import type { TaskTokens } from '../../engine/ports.ts';

// the SendTaskSuccess errors that mean "no task waits for this token" (Step Functions API reference)
const gone = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient) {}

  async succeed(token: Parameters<TaskTokens['succeed']>[0], output: Parameters<TaskTokens['succeed']>[1]): Promise<'sent' | 'expired'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: revealSecretValue(token), output: JSON.stringify(output) }));
      return 'sent';
    } catch (thrown) {
      if (thrown instanceof Error && gone.has(thrown.name)) return 'expired';
      throw thrown;
    }
  }
}
