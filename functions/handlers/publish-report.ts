/**
 * Last step of every workflow: the engine's publishStep writes the report (JSON, Markdown, page,
 * history) to the reports bucket and tells GitHub (commit status, check run, PR comment, drift issues).
 */
import { publishStep, type PublishStepInput } from '../engine/publish-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createGitHubAccess } from './wiring/github-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export type PublishInput = PublishStepInput;

export function createPublishReportHandler(runtime: StepRuntime): (input: PublishInput, context?: Context) => Promise<{ kind: string; keys: string[] }> {
  return asStep(async (input) => {
    const published = await publishStep(await runtime.ports(), await runtime.publisher(), input);
    const log = runtime.logger.child({ commit: input.commit });
    // a refused rollout is the one outcome someone must act on
    if (input.kind === 'refused') log.warn('rollout refused', published.details);
    else log.info(`${input.kind} published`, { keys: published.keys, ...published.details });
    return { kind: published.kind, keys: published.keys };
  }, runtime.logger);
}

const handle = once(() => createPublishReportHandler(buildAwsStepRuntime(process.env, 'publish-report', {}, { github: createGitHubAccess })));
export const handler = (input: PublishInput, context?: Context): Promise<{ kind: string; keys: string[] }> => handle()(input, context);
