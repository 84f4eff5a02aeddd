/**
 * Every Lambda Task of every synthesized workflow retries throttling and our transient errors
 * (functions/engine/errors.ts retriedStepErrorNames) with backoff and full jitter, and no retrier
 * matches a validation or health failure (nor States.ALL / States.TaskFailed, which would).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { retriedStepErrorNames } from '../../functions/engine/errors.ts';
import { extractStateMachines } from '../support/local-step-functions.ts';
import { buildFixtureStack } from './stack-fixture.ts';

process.env['CDK_VALIDATION'] = 'false';

interface Retrier { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number; JitterStrategy?: string }
interface State { Type: string; Retry?: Retrier[]; ItemProcessor?: Definition }
interface Definition { States: Record<string, State> }

function tasksOf(definition: Definition, prefix = ''): Array<[string, State]> {
  return Object.entries(definition.States).flatMap(([name, state]): Array<[string, State]> => [
    ...(state.Type === 'Task' ? [[`${prefix}${name}`, state] as [string, State]] : []),
    ...(state.ItemProcessor === undefined ? [] : tasksOf(state.ItemProcessor, `${prefix}${name} / `)),
  ]);
}

let machines: Record<string, Definition>;

beforeAll(() => {
  const { stack } = buildFixtureStack();
  machines = extractStateMachines(Template.fromStack(stack).toJSON() as Parameters<typeof extractStateMachines>[0]) as unknown as Record<string, Definition>;
});

describe('workflow retries', () => {
  it('every Task retries Lambda throttling and TransientStepError with exponential backoff and full jitter', () => {
    const all = Object.values(machines).flatMap((definition) => tasksOf(definition));
    // rollout: plan, reconcile ×3 waves, publish ×(refused, 3 halted, done); plan: 3; drift: 3
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const [name, task] of all) {
      const retrier = task.Retry?.find((r) => r.ErrorEquals.includes('TransientStepError'));
      expect(retrier, name).toEqual({
        ErrorEquals: [...retriedStepErrorNames],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 30,
        JitterStrategy: 'FULL',
      });
      expect(retrier?.ErrorEquals, name).toContain('Lambda.TooManyRequestsException');
    }
  });

  it('no retrier matches validation, health-gate or catch-all errors', () => {
    const never = ['States.ALL', 'States.TaskFailed', 'ValidationFailedError', 'HealthGateError', 'WorkflowError', 'SelectionError'];
    for (const definition of Object.values(machines)) {
      for (const [name, task] of tasksOf(definition)) {
        for (const retrier of task.Retry ?? []) expect(retrier.ErrorEquals.filter((e) => never.includes(e)), name).toEqual([]);
      }
    }
  });
});
