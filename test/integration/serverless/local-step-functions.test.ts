/**
 * The shims of test/support/local-step-functions.ts around aws-local-stepfunctions: Map fields the
 * interpreter would silently ignore are refused, no Map iteration starts after one failed (as in
 * AWS), and a Task's thrown error reaches Retry/Catch as Lambda reports it (Error = errorType,
 * Cause = the JSON error document). The interpreter itself does the rest.
 */
import { describe, expect, it } from 'vitest';
import { runStateMachine, type Asl, type LocalObjectStore } from '../../support/local-step-functions.ts';

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
  ])('an inline Map with %s is refused, not run as if the field were absent', async (_field, extra) => {
    await expect(runStateMachine(mapMachine(extra), { items: ['a'] }, { invoke: () => Promise.resolve('ok') })).rejects.toThrow(/is not run by this shim/);
  });
});

/** A bucket in memory, standing in for S3 where the Distributed Map's ItemReader and ResultWriter reach it. */
function memoryS3(): LocalObjectStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    get: (bucket, key) => Promise.resolve(objects.get(`${bucket}/${key}`)),
    put: (bucket, key, body) => {
      objects.set(`${bucket}/${key}`, body);
      return Promise.resolve();
    },
  };
}

function distributedMachine(extra: Record<string, unknown>, processorConfig: Record<string, unknown> = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }): Asl {
  return {
    StartAt: 'Fan out',
    States: {
      'Fan out': {
        Type: 'Map', MaxConcurrency: 2, ResultPath: '$.results',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket': 'runs', 'Key.$': '$.itemsKey' } },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'runs', Prefix: 'results' } },
        ItemSelector: { 'cluster.$': '$$.Map.Item.Value', 'commit.$': '$.commit' },
        ItemProcessor: { ProcessorConfig: processorConfig, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: arn, Next: 'Settled?' }, 'Settled?': { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'failed', Next: 'Failed' }], Default: 'Done' }, 'Failed': { Type: 'Fail', Error: 'ClusterFailed' }, 'Done': { Type: 'Succeed' } } },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Halted' }],
        Next: 'Finished',
        ...extra,
      },
      'Halted': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
      'Finished': { Type: 'Succeed' },
    },
  };
}

describe('local step functions: Distributed Map', () => {
  const work = (failing: string[]) => (_resource: string, input: unknown): Promise<unknown> => {
    const { cluster, commit } = input as { cluster: string; commit: string };
    return Promise.resolve(failing.includes(cluster) ? 'failed' : `${commit}:${cluster}`);
  };

  it('reads its items from S3, runs one child execution per item and writes the results and manifest to S3', async () => {
    const s3 = memoryS3();
    s3.objects.set('runs/items/wave-1.json', JSON.stringify(['a', 'b', 'c']));
    const result = await runStateMachine(distributedMachine({}), { itemsKey: 'items/wave-1.json', commit: 'c0ffee' }, { invoke: work([]), s3 });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    // the parent's history holds the Map state only; each child its own states
    expect(result.history).toEqual(['Fan out', 'Finished']);
    expect(result.children.map((c) => c.history)).toEqual([['Work', 'Settled?', 'Done'], ['Work', 'Settled?', 'Done'], ['Work', 'Settled?', 'Done']]);
    const written = (result.output as { results: { ResultWriterDetails: { Bucket: string; Key: string } } }).results.ResultWriterDetails;
    expect(written.Bucket).toBe('runs');
    expect(written.Key).toMatch(/^results\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = JSON.parse(s3.objects.get(`runs/${written.Key}`) ?? '{}') as { ResultFiles: { SUCCEEDED: Array<{ Key: string }>; FAILED: unknown[] } };
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const succeeded = JSON.parse(s3.objects.get(`runs/${manifest.ResultFiles.SUCCEEDED[0]?.Key ?? ''}`) ?? '[]') as Array<{ Input: string; Output: string; Status: string }>;
    expect(succeeded.map((e) => [JSON.parse(e.Input), JSON.parse(e.Output), e.Status]).sort()).toEqual([
      [{ cluster: 'a', commit: 'c0ffee' }, 'c0ffee:a', 'SUCCEEDED'],
      [{ cluster: 'b', commit: 'c0ffee' }, 'c0ffee:b', 'SUCCEEDED'],
      [{ cluster: 'c', commit: 'c0ffee' }, 'c0ffee:c', 'SUCCEEDED'],
    ]);
    // ExecutionStarted, Map entered + MapRunStarted + MapRunSucceeded + exited, Succeed entered + exited, ExecutionSucceeded
    expect(result.events).toBe(8);
    // per child: 2 + Task (entered, scheduled, started, succeeded, exited) + Choice 2 + Succeed 2
    expect(result.children.map((c) => c.events)).toEqual([11, 11, 11]);
  });

  it('tolerates ToleratedFailureCount failed children; one more fails the Map with States.ExceedToleratedFailureThreshold and starts no further child', async () => {
    const s3 = memoryS3();
    s3.objects.set('runs/items.json', JSON.stringify(['a', 'b', 'c', 'd', 'e']));
    const tolerated = await runStateMachine(distributedMachine({ ToleratedFailureCount: 1, MaxConcurrency: 1 }), { itemsKey: 'items.json', commit: 'c' }, { invoke: work(['b']), s3 });
    expect(tolerated.status, tolerated.cause).toBe('SUCCEEDED');
    const key = (tolerated.output as { results: { ResultWriterDetails: { Key: string } } }).results.ResultWriterDetails.Key;
    const manifest = JSON.parse(s3.objects.get(`runs/${key}`) ?? '{}') as { ResultFiles: { FAILED: Array<{ Key: string }> } };
    const failed = JSON.parse(s3.objects.get(`runs/${manifest.ResultFiles.FAILED[0]?.Key ?? ''}`) ?? '[]') as Array<{ Error: string; Input: string }>;
    expect(failed.map((f) => [f.Error, JSON.parse(f.Input)])).toEqual([['ClusterFailed', { cluster: 'b', commit: 'c' }]]);

    const halted = await runStateMachine(distributedMachine({ ToleratedFailureCount: 1, MaxConcurrency: 1 }), { itemsKey: 'items.json', commit: 'c' }, { invoke: work(['b', 'c']), s3 });
    expect(halted).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(halted.history).toEqual(['Fan out', 'Halted']);
    // a, b, c ran; d and e were never started
    expect(halted.children).toHaveLength(3);
  });

  it.each([
    ['ItemBatcher', distributedMachine({ ItemBatcher: { MaxItemsPerBatch: 10 } })],
    ['a CSV ItemReader', distributedMachine({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'runs', Key: 'k' } } })],
    ['a ResultWriter WriterConfig', distributedMachine({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', WriterConfig: { OutputType: 'JSONL' }, Parameters: { Bucket: 'runs' } } })],
    ['EXPRESS child executions', distributedMachine({}, { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' })],
    ['ToleratedFailureCountPath', distributedMachine({ ToleratedFailureCountPath: '$.tolerated' })],
  ])('a Distributed Map with %s is refused by name, never run as if it were absent', async (_what, machine) => {
    const s3 = memoryS3();
    s3.objects.set('runs/k', '[]');
    await expect(runStateMachine(machine, { itemsKey: 'k', commit: 'c' }, { invoke: work([]), s3 })).rejects.toThrow(/is not run by this shim/);
  });
});
