/**
 * Step `Reconcile` of a wave's Map (and `Plan cluster` for pull requests): one cluster per
 * invocation. Input {phase: 'apply'|'poll'|'plan', kind, commit, cluster, wave, round?, deadline?};
 * output the same with phase 'poll' (+ waitSeconds: the state machine waits, then calls again) or
 * 'done' (+ outcome, error). A failed cluster is an outcome, not a Lambda error.
 */
import { regopsMetricNames } from '../adapters/observability/emf-metrics.ts';
import { reconcileStep, type ReconcileStepInput, type ReconcileStepOutput } from '../engine/steps/reconcile-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { parseStepInput } from './wiring/parse-step-input.ts';
import { reconcileInputSchema } from './wiring/step-input-schemas.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createAwsClusterAccess } from './wiring/cluster-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export function createReconcileClusterHandler(runtime: StepRuntime): (input: ReconcileStepInput, context?: Context) => Promise<ReconcileStepOutput> {
  return asStep(async (input) => {
    const log = runtime.logger.child({ commit: input.commit, cluster: input.cluster });
    const output = await reconcileStep(await runtime.ports(), input, runtime.settings.reconcile);
    log.info(`${input.phase} → ${output.phase}${output.outcome === undefined ? '' : ` ${output.outcome}`}`, { wave: input.wave, round: output.round, ...(output.error === undefined ? {} : { error: output.error }) });
    if (output.phase === 'done' && input.kind === 'rollout') {
      runtime.metrics([
        { name: regopsMetricNames.applyFailures, value: output.outcome === 'failed' ? 1 : 0, unit: 'Count' },
        { name: regopsMetricNames.appliedClusters, value: output.outcome === 'succeeded' ? 1 : 0, unit: 'Count' },
      ], { commit: input.commit, cluster: input.cluster });
    }
    return output;
  }, runtime.logger, (event) => parseStepInput('reconcile-cluster', reconcileInputSchema, event));
}

const handle = once(() => createReconcileClusterHandler(buildAwsStepRuntime(process.env, 'reconcile-cluster', {}, { cluster: createAwsClusterAccess })));
export const handler = (input: ReconcileStepInput, context?: Context): Promise<ReconcileStepOutput> => handle()(input, context);
