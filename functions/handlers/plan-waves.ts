/**
 * Step `Plan waves` of every workflow: read the config at the commit (the branch head for a drift
 * scan) once, keep the snapshot for the run, validate, and answer core's WavePlan for the Map states.
 * The same function answers the rollout's `Check window` before each wave (it already holds the
 * run's config; engine/steps/wave-window-step.ts): an input with `gate: 'window'`.
 */
import { planWavesStep, type PlanWavesInput, type PlanWavesOutput } from '../engine/steps/plan-waves-step.ts';
import { checkWaveWindowStep, type WaveWindowInput, type WaveWindowOutput } from '../engine/steps/wave-window-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { parseStepInput } from './wiring/parse-step-input.ts';
import { planWavesInputSchema, waveWindowInputSchema } from './wiring/step-input-schemas.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createGitHubAccess } from './wiring/github-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export type PlanWavesEvent = PlanWavesInput | WaveWindowInput;

/** One function, two steps: the answer's type follows the input's. */
export interface PlanWavesHandler {
  (input: PlanWavesInput, context?: Context): Promise<PlanWavesOutput>;
  (input: WaveWindowInput, context?: Context): Promise<WaveWindowOutput>;
  (input: PlanWavesEvent, context?: Context): Promise<PlanWavesOutput | WaveWindowOutput>;
}

export function createPlanWavesHandler(runtime: StepRuntime): PlanWavesHandler {
  return asStep(async (input: PlanWavesEvent): Promise<PlanWavesOutput | WaveWindowOutput> => {
    const ports = await runtime.ports();
    if ('gate' in input) {
      const verdict = await checkWaveWindowStep(ports, input);
      runtime.logger.child({ commit: input.commit }).info(`window ${verdict.open ? 'open' : 'held'}`, { wave: input.wave, ...(verdict.nextOpen === undefined ? {} : { nextOpen: verdict.nextOpen, reason: verdict.reason }) });
      return verdict;
    }
    const output = await planWavesStep(ports, input, { maxClusters: runtime.settings.maxClusters });
    runtime.logger.child({ commit: output.commit }).info(`planned ${input.kind}`, {
      valid: output.valid, errors: output.errors, warnings: output.warnings, waves: output.waves.map((w) => `${w.name}:${w.clusterCount}`), unassigned: output.unassigned,
    });
    return output;
  }, runtime.logger, parsePlanWavesEvent) as PlanWavesHandler;
}

/** `Check window N` sends `gate`; `Plan waves` sends `kind`. */
function parsePlanWavesEvent(event: unknown): PlanWavesEvent {
  const gated = typeof event === 'object' && event !== null && 'gate' in event;
  return gated ? parseStepInput('plan-waves', waveWindowInputSchema, event) : parseStepInput('plan-waves', planWavesInputSchema, event);
}

const handle = once(() => createPlanWavesHandler(buildAwsStepRuntime(process.env, 'plan-waves', {}, { github: createGitHubAccess })));
export const handler = (input: PlanWavesEvent, context?: Context): Promise<PlanWavesOutput | WaveWindowOutput> => handle()(input, context);
