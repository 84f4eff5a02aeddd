/**
 * Step `Plan waves` of every workflow: read the config at the commit (the branch head for a drift
 * scan) once, keep the snapshot for the run, validate, and answer core's WavePlan for the Map states.
 */
import { planWavesStep, type PlanWavesInput, type PlanWavesOutput } from '../engine/steps/plan-waves-step.ts';
import { asStep } from './wiring/as-step.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createGitHubAccess } from './wiring/github-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export function createPlanWavesHandler(runtime: StepRuntime): (input: PlanWavesInput) => Promise<PlanWavesOutput> {
  return asStep(async (input) => {
    const ports = await runtime.ports();
    const output = await planWavesStep(ports, input, { maxClusters: runtime.settings.maxClusters });
    runtime.logger.child({ commit: output.commit }).info(`planned ${input.kind}`, {
      valid: output.valid, errors: output.errors, warnings: output.warnings, waves: output.waves.map((w) => `${w.name}:${w.clusters.length}`), unassigned: output.unassigned.length,
    });
    return output;
  });
}

const handle = once(() => createPlanWavesHandler(buildAwsStepRuntime(process.env, 'plan-waves', {}, { github: createGitHubAccess })));
export const handler = (input: PlanWavesInput): Promise<PlanWavesOutput> => handle()(input);
