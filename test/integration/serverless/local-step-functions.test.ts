/**
 * The shims of test/support/local-step-functions.ts around aws-local-stepfunctions: Map fields the
 * interpreter would silently ignore are refused, no Map iteration starts after one failed (as in
 * AWS), and a Task's thrown error reaches Retry/Catch as Lambda reports it (Error = errorType,
 * Cause = the JSON error document). The interpreter itself does the rest.
 */
import { describe, expect, it } from 'vitest';
import { runStateMachine, type Asl } from '../../support/local-step-functions.ts';

const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:work';

function mapMachine(extra: Record<string, unknown>, retry: unknown[] = []): Asl {
  return {
    StartAt: 'Fan out',
    States: {
      'Fan out': {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, ResultPath: '$.results', ...extra,
        ItemSelector: { 'cluster.$': '$$.Map.Item.Value' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: arn, End: true, ...(retry.length === 0 ? {} : { Retry: retry }) } } },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Halted' }],
        Next: 'Done',
      },
      'Halted': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('local step functions', () => {
  it('no Map iteration starts after one failed; the failure keeps the Lambda error shape', async () => {
    const seen: string[] = [];
    const result = await runStateMachine(mapMachine({}), { items: ['a', 'b', 'c'] }, {
      invoke: (_resource, input) => {
        const cluster = (input as { cluster: string }).cluster;
        seen.push(cluster);
        if (cluster === 'a') return Promise.reject(Object.assign(new Error('cluster a: down'), { name: 'ClusterError' }));
        return Promise.resolve(cluster);
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(result).toMatchObject({ status: 'FAILED', error: 'ClusterError' });
    expect(JSON.parse(result.cause ?? '{}')).toMatchObject({ errorType: 'ClusterError', errorMessage: 'cluster a: down' });
    expect(seen).toEqual(['a']);
  });

  it('a Retry on the thrown name runs the Task again; another name is not retried', async () => {
    const retry = [{ ErrorEquals: ['TransientStepError'], MaxAttempts: 2 }];
    let calls = 0;
    const flaky = await runStateMachine(mapMachine({}, retry), { items: ['a'] }, {
      invoke: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(Object.assign(new Error('s3 500'), { name: 'TransientStepError' })) : Promise.resolve('ok');
      },
    });
    expect(flaky).toMatchObject({ status: 'SUCCEEDED', retried: ['Work'] });
    const invalid = await runStateMachine(mapMachine({}, retry), { items: ['a'] }, { invoke: () => Promise.reject(Object.assign(new Error('bad config'), { name: 'ValidationFailedError' })) });
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'ValidationFailedError', retried: [] });
  });

  it.each([
    ['ToleratedFailureCount', { ToleratedFailureCount: 1 }],
    ['ItemReader', { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } } }],
    ['ResultWriter', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } }],
  ])('a Map with %s is refused, not run inline as if the field were absent', async (_field, extra) => {
    await expect(runStateMachine(mapMachine(extra), { items: ['a'] }, { invoke: () => Promise.resolve('ok') })).rejects.toThrow(/extend the shim/);
  });
});
