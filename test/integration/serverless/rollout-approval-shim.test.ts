/**
 * The waitForTaskToken shim of test/support/local-step-functions.ts on small definitions: the token
 * a Task gets, the wait until SendTaskSuccess / SendTaskFailure or the timeout, and what it refuses.
 * aws-local-stepfunctions 3.0.0 has no task tokens: without the shim a token Task would take its
 * function's answer as its result and never wait.
 */
import { describe, expect, it } from 'vitest';
import { createLocalTaskTokens, runStateMachine, type Asl } from '../../support/local-step-functions.ts';

const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:ask';

function tokenMachine(extra: Record<string, unknown> = {}, parameters: Record<string, unknown> = { 'FunctionName': fn, 'Payload': { 'token.$': '$$.Task.Token', 'wave': 'prod' } }): Asl {
  return {
    StartAt: 'Ask',
    States: {
      Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: parameters, TimeoutSeconds: 3600, ResultPath: '$.answer', Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.failure', Next: 'Refused' }], End: true, ...extra },
      Refused: { Type: 'Pass', End: true },
    },
  };
}

describe('local-step-functions: waitForTaskToken', () => {
  it('hands the function a fresh token in $$.Task.Token and waits for SendTaskSuccess; its output is the Task result', async () => {
    const tokens = createLocalTaskTokens();
    let asked: { token: string; wave: string } | undefined;
    const run = runStateMachine(tokenMachine(), { commit: 'c' }, { invoke: (_resource, input) => {
      asked = input as { token: string; wave: string };
      return Promise.resolve({ ignored: 'a token Task does not take the function answer' });
    }, taskTokens: tokens });
    while (asked === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked.wave).toBe('prod');
    expect(asked.token).toMatch(/^local-task-token-[0-9a-f-]{36}$/);
    expect(tokens.succeed('local-task-token-not-issued', '{}')).toBe('InvalidToken');
    expect(tokens.succeed(asked.token, JSON.stringify({ approvedBy: 'alice' }))).toBe('sent');
    const result = await run;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ commit: 'c', answer: { approvedBy: 'alice' } });
    // answered once: a second answer finds no task waiting
    expect(tokens.succeed(asked.token, '{}')).toBe('TaskTimedOut');
  });

  it('SendTaskFailure fails the Task with its error and cause (caught by name)', async () => {
    const tokens = createLocalTaskTokens();
    const run = runStateMachine(tokenMachine(), {}, { invoke: () => Promise.resolve(null), taskTokens: tokens });
    while (tokens.issued.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tokens.fail(tokens.issued[0] ?? '', 'Rejected', 'not today')).toBe('sent');
    const result = await run;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ failure: { Error: 'Rejected', Cause: 'not today' } });
  });

  it('no answer within the timeout: States.Timeout, and a late answer finds the task gone', async () => {
    const tokens = createLocalTaskTokens();
    const result = await runStateMachine(tokenMachine(), {}, { invoke: () => Promise.resolve(null), taskTokens: tokens, taskTokenTimeoutMs: 50 });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Timeout');
    expect(tokens.succeed(tokens.issued[0] ?? '', '{}')).toBe('TaskTimedOut');
  });

  it('a failing function fails the Task as Lambda reports it, without waiting', async () => {
    const tokens = createLocalTaskTokens();
    const result = await runStateMachine(tokenMachine(), {}, { invoke: () => Promise.reject(Object.assign(new Error('GitHub down'), { name: 'TransientStepError' })), taskTokens: tokens });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TransientStepError' });
  });

  const refused: Array<[string, () => Asl, RegExp]> = [
    ['HeartbeatSeconds', () => tokenMachine({ HeartbeatSeconds: 60 }), /Task Ask: HeartbeatSeconds is not run by this shim/],
    ['TimeoutSecondsPath', () => tokenMachine({ TimeoutSeconds: undefined, TimeoutSecondsPath: '$.t' }), /TimeoutSecondsPath is not run by this shim/],
    ['another service', () => tokenMachine({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken' }), /Resource arn:aws:states:::sqs:sendMessage.waitForTaskToken is not run/],
    ['other Parameters', () => tokenMachine({}, { FunctionName: fn, Payload: {}, InvocationType: 'Event' }), /Parameters FunctionName,InvocationType,Payload/],
  ];
  it.each(refused)('refuses %s', async (_name, build, message) => {
    await expect(runStateMachine(build(), {}, { invoke: () => Promise.resolve(null), taskTokens: createLocalTaskTokens() })).rejects.toThrow(message);
  });

  it('refuses $$.Task.Token in a Task that does not wait for it (AWS has none there)', async () => {
    const machine: Asl = { StartAt: 'Plain', States: { Plain: { Type: 'Task', Resource: fn, Parameters: { 'token.$': '$$.Task.Token' }, End: true } } };
    const result = await runStateMachine(machine, {}, { invoke: () => Promise.resolve(null) });
    expect(result.status).toBe('FAILED');
    expect(result.cause).toContain('$$.Task.Token outside a .waitForTaskToken Task');
  });
});
