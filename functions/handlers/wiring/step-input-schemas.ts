/**
 * The input events of the Lambda steps, as Standard Schemas (zod/mini: the functions' bundles carry
 * only the validators used) checked by Powertools Parser (parse-step-input.ts) before a step runs.
 * Each schema is bound to the engine's input type (`ZodMiniType<T>`), so the compiler keeps them in
 * step. Objects are loose: a field this function does not read passes through untouched (the state
 * machines are shaped in infra/constructs/state-machines.ts, and a field added there for another
 * step must not fail this one); every field a step reads is checked: type, enum, non-empty.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { DriftScanStepInput } from '../../engine/steps/drift-scan-step.ts';
import type { PlanWavesInput } from '../../engine/steps/plan-waves-step.ts';
import type { ReconcileStepInput } from '../../engine/steps/reconcile-step.ts';
import type { WaveWindowInput } from '../../engine/steps/wave-window-step.ts';
import type { PublishStepInput } from '../../engine/publish-step.ts';

// zod/mini ships no messages of its own ("Invalid input"); English ones name what was expected.
// Imported alone: z.locales would bundle every language (260 KB).
z.config(en());

const name = z.string().check(z.minLength(1));
const count = z.int().check(z.nonnegative());
const optional = <T extends z.core.SomeType>(schema: T) => z.exactOptional(schema);

/** reconcile-cluster: one cluster of a wave's Map (or of the plan workflow's Map). */
export const reconcileInputSchema: z.ZodMiniType<ReconcileStepInput> = z.looseObject({
  phase: z.enum(['plan', 'apply', 'poll']),
  kind: z.enum(['rollout', 'plan']),
  commit: name,
  cluster: name,
  wave: optional(z.string()),
  round: optional(count),
  deadline: optional(name),
  startedAt: optional(name),
  restore: optional(z.boolean()),
});

/** drift-scan: one cluster of the drift Map. */
export const driftScanInputSchema: z.ZodMiniType<DriftScanStepInput> = z.looseObject({
  commit: name,
  scan: name,
  cluster: name,
  wave: z.nullable(z.string()),
});

/** plan-waves, `Plan waves` (kind) and `Check window N` (gate). */
export const planWavesInputSchema: z.ZodMiniType<PlanWavesInput> = z.looseObject({
  kind: z.enum(['rollout', 'plan', 'drift']),
  commit: optional(name),
  expectedWaves: z.array(name),
  execution: optional(z.looseObject({
    fromWave: optional(name),
    // the webhook's push sender (route-delivery.ts), for approvers: different-from-pusher
    pushedBy: optional(name),
    fork: optional(z.boolean()),
    headRepository: optional(z.string()),
    baseRef: optional(z.string()),
  })),
  startedAt: optional(name),
});

export const waveWindowInputSchema: z.ZodMiniType<WaveWindowInput> = z.looseObject({
  gate: z.literal('window'),
  commit: name,
  wave: name,
  startedAt: name,
  executionTimeoutSeconds: z.number().check(z.positive()),
});

const failure = z.looseObject({ error: optional(z.string()), cause: optional(z.string()) });

/** publish-report's workflow kinds (the approval events are checked by their own schemas). */
export const publishInputSchema: z.ZodMiniType<PublishStepInput> = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('rollout'), commit: name, startedAt: name, status: z.enum(['succeeded', 'failed']), halted: optional(z.looseObject({ wave: name, error: optional(z.string()), cause: optional(z.string()) })) }),
  z.looseObject({ kind: z.literal('plan'), commit: name, startedAt: name, pullRequest: z.int().check(z.positive()) }),
  z.looseObject({ kind: z.literal('drift'), commit: name, scan: name, startedAt: optional(name), stopped: optional(failure) }),
  z.looseObject({ kind: z.literal('refused'), commit: name, error: z.string(), cause: z.string(), startedAt: optional(name) }),
  z.looseObject({ kind: z.literal('wave'), commit: name, wave: name, results: z.looseObject({ Bucket: name, Key: name }) }),
]);

/**
 * github-webhook: the Function URL event, the fields the handler reads (Powertools' own
 * LambdaFunctionUrlSchema is classic zod: 456 KB more in the webhook's entry module).
 */
export const functionUrlEventSchema = z.looseObject({
  headers: z.record(z.string(), z.string()),
  body: z.optional(z.string()),
  isBase64Encoded: z.boolean(),
});

/** publish-report's approval events (engine/steps/approval-request-step.ts); the token is still a plain string here. */
export const approvalEventSchema = z.discriminatedUnion('approval', [
  z.looseObject({ approval: z.literal('request'), commit: name, wave: name, token: name, timeoutSeconds: z.number().check(z.positive()) }),
  z.looseObject({ approval: z.literal('granted'), commit: name, wave: name, approvedBy: name, at: name }),
  z.looseObject({ approval: z.literal('expired'), commit: name, wave: name }),
]);
