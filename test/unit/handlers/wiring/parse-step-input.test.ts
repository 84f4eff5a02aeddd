/**
 * The step input schemas through Powertools Parser (parse-step-input.ts): a well-formed event comes
 * back as it was (fields another step reads included), a malformed one is a StepInputError with code
 * step.invalid-input naming the function and the field, and that error is not one the state machines retry.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { retriedStepErrorNames, toStepFailure } from '../../../../functions/engine/errors.ts';
import { parseStepInput } from '../../../../functions/handlers/wiring/parse-step-input.ts';
import { StepInputError } from '../../../../functions/handlers/wiring/step-input-error.ts';
import { approvalEventSchema, driftScanInputSchema, planWavesInputSchema, publishInputSchema, reconcileInputSchema, waveWindowInputSchema } from '../../../../functions/handlers/wiring/step-input-schemas.ts';

const commit = 'c0ffee'.repeat(6) + 'abcd';

describe('parseStepInput', () => {
  it.each([
    ['reconcile-cluster', reconcileInputSchema, { phase: 'apply', kind: 'rollout', commit, cluster: 'prod-eu-1', wave: 'prod', round: 1, deadline: '2026-12-04T10:10:00Z', mapped: 'by another step' }],
    ['drift-scan', driftScanInputSchema, { commit, scan: '20261204T100000000Z', cluster: 'lab-1', wave: null }],
    ['plan-waves', planWavesInputSchema, { kind: 'drift', expectedWaves: ['canary', 'main'], execution: { fork: true, headRepository: 'someone/fleet' } }],
    ['plan-waves', waveWindowInputSchema, { gate: 'window', commit, wave: 'main', startedAt: '2026-12-04T10:00:00Z', executionTimeoutSeconds: 86400 }],
    ['publish-report', publishInputSchema, { kind: 'rollout', commit, startedAt: '2026-12-04T10:00:00Z', status: 'failed', halted: { wave: 'canary', error: 'States.ExceedToleratedFailureThreshold', cause: '…' } }],
    ['publish-report', publishInputSchema, { kind: 'wave', commit, wave: 'main', results: { Bucket: 'reports', Key: 'runs/map-results/x/manifest.json' } }],
    ['publish-report', approvalEventSchema, { approval: 'granted', commit, wave: 'prod', approvedBy: 'octocat', at: '2026-12-04T10:00:00Z' }],
    ['publish-report', approvalEventSchema, { approval: 'expired', commit, wave: 'prod' }],
  ] as const)('%s accepts a well-formed event and returns it as it came', (step, schema, event) => {
    expect(parseStepInput(step, schema as StandardSchemaV1<unknown, unknown>, event)).toEqual(event);
  });

  it.each([
    { step: 'reconcile-cluster', schema: reconcileInputSchema, event: { phase: 'apply', kind: 'rollout', commit: 42, cluster: 'a' }, path: 'commit' },
    { step: 'reconcile-cluster', schema: reconcileInputSchema, event: { phase: 'deploy', kind: 'rollout', commit, cluster: 'a' }, path: 'phase' },
    { step: 'reconcile-cluster', schema: reconcileInputSchema, event: { phase: 'poll', kind: 'rollout', commit, cluster: 'a', round: 1.5 }, path: 'round' },
    { step: 'drift-scan', schema: driftScanInputSchema, event: { commit, scan: 's', cluster: '' , wave: null }, path: 'cluster' },
    { step: 'plan-waves', schema: planWavesInputSchema, event: { kind: 'rollout', expectedWaves: ['canary', 7] }, path: 'expectedWaves[1]' },
    { step: 'plan-waves', schema: planWavesInputSchema, event: { kind: 'rollout', expectedWaves: [], execution: { fromWave: 3 } }, path: 'execution.fromWave' },
    { step: 'publish-report', schema: publishInputSchema, event: { kind: 'plan', commit, startedAt: 't', pullRequest: '5' }, path: 'pullRequest' },
    { step: 'publish-report', schema: publishInputSchema, event: { kind: 'wave', commit, wave: 'main', results: { Bucket: 'reports' } }, path: 'results.Key' },
    { step: 'publish-report', schema: publishInputSchema, event: { kind: 'report', commit }, path: 'kind' },
    { step: 'publish-report', schema: approvalEventSchema, event: { approval: 'request', commit, wave: 'prod', token: 'secret-token-value', timeoutSeconds: -1 }, path: 'timeoutSeconds' },
    { step: 'drift-scan', schema: driftScanInputSchema, event: 'not an object', path: '(input)' },
  ])('$step refuses $path: StepInputError step.invalid-input naming the field', ({ step, schema, event, path }) => {
    let thrown: unknown;
    try {
      parseStepInput(step, schema as StandardSchemaV1<unknown, unknown>, event);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StepInputError);
    expect(thrown).toMatchObject({ name: 'StepInputError', code: 'step.invalid-input', context: { step, path } });
    expect((thrown as Error).message.startsWith(`${step} input: ${path}: `)).toBe(true);
    // a value from the event is never quoted (the approval token is a credential)
    expect((thrown as Error).message).not.toContain('secret-token-value');
  });

  it('a StepInputError reaches Step Functions under its own name, which no Retry lists', () => {
    const failure = toStepFailure(new StepInputError('step.invalid-input', 'drift-scan input: cluster: too small', { step: 'drift-scan', path: 'cluster' }));
    expect(failure.name).toBe('StepInputError');
    expect(retriedStepErrorNames).not.toContain(failure.name);
  });
});
