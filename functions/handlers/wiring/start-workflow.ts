/** Starts a Step Functions execution by name; a name already used means the run exists already. */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

export type StartResult = 'started' | 'already-started';

export async function startWorkflow(client: SFNClient, stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<StartResult> {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (thrown) {
    // Step Functions keeps execution names unique per state machine (90 days): a redelivery lands here.
    if (thrown instanceof Error && thrown.name === 'ExecutionAlreadyExists') return 'already-started';
    throw thrown;
  }
}
