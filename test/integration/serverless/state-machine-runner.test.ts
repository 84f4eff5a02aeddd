/**
 * The local ASL runner the e2e test relies on, checked against the States Language rules it
 * implements (states-language.net): Map failure tolerance inline vs distributed, MaxConcurrency,
 * Catch/ResultPath, Choice, Wait, `.$` parameters and the `$$.Map.Item` context.
 */
import { describe, expect, it } from 'vitest';
import { runStateMachine, type Asl } from '../../support/state-machine-runner.ts';

function mapMachine(mode: 'INLINE' | 'DISTRIBUTED', tolerated: number | undefined, maxConcurrency: number): Asl {
  return {
    StartAt: 'Fan out',
    States: {
      'Fan out': {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: maxConcurrency, ResultPath: '$.results',
        ...(tolerated === undefined ? {} : { ToleratedFailureCount: tolerated }),
        ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'tag.$': '$.tag' },
        ItemProcessor: { ProcessorConfig: { Mode: mode }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:local:work', End: true } } },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Halted' }],
        Next: 'Done',
      },
      'Halted': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
      'Done': { Type: 'Succeed' },
    },
  };
}

async function run(asl: Asl, failing: Set<number>, items = [1, 2, 3, 4, 5]) {
  let inFlight = 0;
  let peak = 0;
  const seen: unknown[] = [];
  const result = await runStateMachine(asl, { items, tag: 't' }, {
    invoke: async (_resource, input) => {
      seen.push(input);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      const value = (input as { value: number }).value;
      if (failing.has(value)) throw Object.assign(new Error(`item ${value} failed`), { name: 'ItemError' });
      return value * 10;
    },
  });
  return { result, peak, seen };
}

describe('state-machine-runner: Map', () => {
  it.each([
    { name: 'inline, no failure', mode: 'INLINE' as const, tolerated: undefined, failing: [], status: 'SUCCEEDED', error: undefined },
    { name: 'inline fails on its first failed item', mode: 'INLINE' as const, tolerated: undefined, failing: [3], status: 'FAILED', error: 'ItemError' },
    { name: 'distributed tolerates up to ToleratedFailureCount', mode: 'DISTRIBUTED' as const, tolerated: 2, failing: [2, 4], status: 'SUCCEEDED', error: undefined },
    { name: 'distributed fails once failures exceed it', mode: 'DISTRIBUTED' as const, tolerated: 1, failing: [2, 4], status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
    { name: 'distributed without the field tolerates none', mode: 'DISTRIBUTED' as const, tolerated: undefined, failing: [5], status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  ])('$name', async ({ mode, tolerated, failing, status, error }) => {
    const { result } = await run(mapMachine(mode, tolerated, 1), new Set(failing));
    expect(result.status).toBe(status);
    expect(result.error).toBe(error);
    if (status === 'SUCCEEDED') expect(result.history.at(-1)).toBe('Done');
  });

  it('keeps at most MaxConcurrency items in flight and builds each item from ItemSelector', async () => {
    const { result, peak, seen } = await run(mapMachine('INLINE', undefined, 2), new Set());
    expect(peak).toBe(2);
    expect(seen).toContainEqual({ value: 3, index: 2, tag: 't' });
    expect(result.output).toMatchObject({ results: [10, 20, 30, 40, 50] });
  });

  it('a failed iteration surfaces the Lambda error type and message as Error and Cause', async () => {
    const { result } = await run(mapMachine('INLINE', undefined, 1), new Set([1]));
    expect(result).toMatchObject({ status: 'FAILED', error: 'ItemError' });
    expect(JSON.parse(result.cause ?? '{}')).toEqual({ errorType: 'ItemError', errorMessage: 'item 1 failed' });
  });
});

describe('state-machine-runner: Choice, Wait, paths', () => {
  const loop: Asl = {
    StartAt: 'Step',
    States: {
      Step: { Type: 'Task', Resource: 'arn:local:step', Next: 'Settled?' },
      'Settled?': { Type: 'Choice', Choices: [{ Variable: '$.phase', StringEquals: 'poll', Next: 'Pause' }, { Variable: '$.outcome', StringEquals: 'failed', Next: 'Broken' }], Default: 'Fine' },
      Pause: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Step' },
      Broken: { Type: 'Fail', ErrorPath: '$.error.code', CausePath: '$.error.message' },
      Fine: { Type: 'Succeed' },
    },
  };

  it.each([
    { name: 'polls until done', answers: [{ phase: 'poll', waitSeconds: 15 }, { phase: 'poll', waitSeconds: 15 }, { phase: 'done', outcome: 'succeeded' }], status: 'SUCCEEDED', waits: [15, 15] },
    { name: 'ends in Fail with the error of the answer', answers: [{ phase: 'done', outcome: 'failed', error: { code: 'cluster.degraded', message: 'Degraded' } }], status: 'FAILED', waits: [] },
  ])('$name', async ({ answers, status, waits }) => {
    const queue = [...answers];
    const waited: number[] = [];
    const result = await runStateMachine(loop, {}, { invoke: () => Promise.resolve(queue.shift()), wait: (seconds) => { waited.push(seconds); return Promise.resolve(); } });
    expect(result.status).toBe(status);
    expect(waited).toEqual(waits);
    if (status === 'FAILED') expect([result.error, result.cause]).toEqual(['cluster.degraded', 'Degraded']);
  });

  it('a path that is not in the input is States.Runtime', async () => {
    const asl: Asl = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:local:x', Parameters: { 'commit.$': '$.plan.commit' }, End: true } } };
    const result = await runStateMachine(asl, {}, { invoke: () => Promise.resolve({}) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it.each([
    { results: ['unchanged', 'succeeded'], changed: true },
    { results: ['unchanged'], changed: false },
    { results: [], changed: false },
  ])('States.ArrayContains($.lastWave, \'succeeded\') of $results is $changed', async ({ results, changed }) => {
    const asl: Asl = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'changed.$': "States.ArrayContains($.lastWave, 'succeeded')" }, ResultPath: '$.c', End: true } } };
    const result = await runStateMachine(asl, { lastWave: results }, { invoke: () => Promise.resolve(undefined) });
    expect(result.output).toEqual({ lastWave: results, c: { changed } });
  });

  it('ResultPath null keeps the input; a nested ResultPath adds to it', async () => {
    const asl: Asl = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'r', ResultPath: null, Next: 'B' }, B: { Type: 'Task', Resource: 'r', ResultPath: '$.x.y', End: true } } };
    const result = await runStateMachine(asl, { keep: 1 }, { invoke: () => Promise.resolve('out') });
    expect(result.output).toEqual({ keep: 1, x: { y: 'out' } });
  });
});
