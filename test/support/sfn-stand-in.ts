/**
 * A local stand-in for the Step Functions API's StartExecution (AWS JSON 1.0 protocol, what
 * @aws-sdk/client-sfn sends), because no Step Functions service runs here. It keeps execution names
 * unique per state machine as the service does, answering `ExecutionAlreadyExists`, records every
 * start, and hands each new execution to `onStart` (the e2e test runs it with the local runner).
 * With `taskTokens` it also serves SendTaskSuccess and SendTaskFailure, answering the waiting Task
 * of the local runner (test/support/local-step-functions.ts) or the API's TaskTimedOut / InvalidToken.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalTaskTokens } from './local-step-functions.ts';

export interface StartedExecution {
  stateMachineArn: string;
  name: string;
  input: unknown;
  executionArn: string;
}

export interface SfnStandIn {
  endpoint: string;
  /** Every StartExecution call, including the rejected duplicates. */
  calls: Array<{ stateMachineArn: string; name: string }>;
  executions: StartedExecution[];
  stop(): Promise<void>;
}

export async function startSfnStandIn(onStart: (execution: StartedExecution) => void = () => undefined, taskTokens?: LocalTaskTokens): Promise<SfnStandIn> {
  const calls: SfnStandIn['calls'] = [];
  const executions: StartedExecution[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown, type?: string): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...(type === undefined ? {} : { 'x-amzn-errortype': type }) });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target']);
      if (taskTokens !== undefined && (target === 'AWSStepFunctions.SendTaskSuccess' || target === 'AWSStepFunctions.SendTaskFailure')) {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { taskToken: string; output?: string; error?: string; cause?: string };
        const result = target.endsWith('Success') ? taskTokens.succeed(request.taskToken, request.output ?? 'null') : taskTokens.fail(request.taskToken, request.error ?? '', request.cause ?? '');
        if (result === 'sent') answer(200, {});
        else answer(400, { __type: result, message: result === 'TaskTimedOut' ? 'Task Timed Out' : 'Invalid Token' }, result);
        return;
      }
      if (target !== 'AWSStepFunctions.StartExecution') {
        answer(400, { __type: 'UnknownOperationException', message: `not served: ${String(req.headers['x-amz-target'])}` }, 'UnknownOperationException');
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stateMachineArn: string; name: string; input?: string };
      calls.push({ stateMachineArn: request.stateMachineArn, name: request.name });
      if (executions.some((e) => e.stateMachineArn === request.stateMachineArn && e.name === request.name)) {
        answer(400, { __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${request.name}'` }, 'ExecutionAlreadyExists');
        return;
      }
      const execution: StartedExecution = {
        stateMachineArn: request.stateMachineArn,
        name: request.name,
        input: request.input === undefined ? {} : JSON.parse(request.input),
        executionArn: `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`,
      };
      executions.push(execution);
      answer(200, { executionArn: execution.executionArn, startDate: Date.now() / 1000 });
      onStart(execution);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    executions,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
