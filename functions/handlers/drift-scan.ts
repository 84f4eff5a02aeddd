/**
 * Step `Scan cluster` of the drift workflow (EventBridge Scheduler → state machine → one child
 * execution per cluster): scan the cluster, correct it where the policy is enforce, store its result
 * in the reports bucket for Publish drift (engine/steps/drift-scan-step.ts). Output {cluster, state}.
 */
import { driftScanStep, type DriftScanStepInput, type DriftScanStepOutput } from '../engine/steps/drift-scan-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { parseStepInput } from './wiring/parse-step-input.ts';
import { driftScanInputSchema } from './wiring/step-input-schemas.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createAwsClusterAccess } from './wiring/cluster-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export function createDriftScanHandler(runtime: StepRuntime): (input: DriftScanStepInput, context?: Context) => Promise<DriftScanStepOutput> {
  return asStep(async (input) => {
    const output = await driftScanStep(await runtime.ports(), input);
    runtime.logger.child({ commit: input.commit, cluster: input.cluster }).info(`scanned: ${output.state}`, { scan: input.scan, ...(input.wave === null ? {} : { wave: input.wave }) });
    return output;
  }, runtime.logger, (event) => parseStepInput('drift-scan', driftScanInputSchema, event));
}

const handle = once(() => createDriftScanHandler(buildAwsStepRuntime(process.env, 'drift-scan', {}, { cluster: createAwsClusterAccess })));
export const handler = (input: DriftScanStepInput, context?: Context): Promise<DriftScanStepOutput> => handle()(input, context);
