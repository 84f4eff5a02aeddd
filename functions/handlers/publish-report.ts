/**
 * Last step of every workflow: write the report (JSON, Markdown, page, history) to the reports
 * bucket and tell GitHub — rollout: commit status + check run; plan: check run + the PR comment;
 * drift: commit status + check run + one issue per drifted cluster (closed when back in sync);
 * refused (the rollout could not start): a failed status saying why.
 */
import type { DriftReport } from '../core/model.ts';
import { buildPlanReport } from '../core/build-plan-report.ts';
import { publishReport } from '../engine/publish-report.ts';
import { publishDriftToGitHub, publishPlanToGitHub, publishRefusedRolloutToGitHub, publishRolloutToGitHub } from '../engine/publish-to-github.ts';
import { assembleRolloutReport, collectPlans, WorkflowError } from '../engine/state-machine-steps.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createGitHubAccess } from './wiring/github-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

export type PublishInput =
  | { kind: 'rollout'; commit: string; startedAt: string; status: 'succeeded' | 'failed'; halted?: { wave: string; error?: string; cause?: string } }
  | { kind: 'plan'; commit: string; startedAt: string; pullRequest: number }
  | { kind: 'drift'; commit: string; reportKey: string }
  | { kind: 'refused'; commit: string; error: string; cause: string };

export function createPublishReportHandler(runtime: StepRuntime): (input: PublishInput) => Promise<{ kind: string; keys: string[] }> {
  return async (input) => {
    const ports = await runtime.ports();
    const publisher = await runtime.publisher();
    const log = runtime.logger.child({ commit: input.commit });
    if (input.kind === 'refused') {
      await publishRefusedRolloutToGitHub(publisher, input.commit, input.error, input.cause);
      log.warn('rollout refused', { error: input.error });
      return { kind: input.kind, keys: [] };
    }
    if (input.kind === 'drift') {
      const text = await ports.reports.get(input.reportKey);
      if (text === undefined) throw new WorkflowError('run.no-report', `drift report ${input.reportKey}: not in the reports bucket; the Scan fleet step writes it first`, { commit: input.commit, key: input.reportKey });
      const issues = await publishDriftToGitHub(publisher, JSON.parse(text) as DriftReport);
      log.info('drift published to GitHub', { ...issues });
      return { kind: input.kind, keys: [input.reportKey] };
    }
    if (input.kind === 'rollout') {
      const report = await assembleRolloutReport(ports, input);
      const { keys } = await publishReport(ports.reports, report);
      await publishRolloutToGitHub(publisher, report);
      log.info(`rollout ${report.status} published`, { keys, halted: report.halted });
      return { kind: input.kind, keys };
    }
    const { plans, diagnostics } = await collectPlans(ports.reports, input.commit);
    const invalid = diagnostics.some((d) => d.severity === 'error');
    const report = invalid ? undefined : buildPlanReport(input.commit, ports.clock.now().toISOString(), plans);
    const keys = report === undefined ? [] : (await publishReport(ports.reports, report)).keys;
    await publishPlanToGitHub(publisher, { commit: input.commit, pullRequest: input.pullRequest, diagnostics, ...(report === undefined ? {} : { report }) });
    log.info('plan published', { pullRequest: input.pullRequest, invalid, keys });
    return { kind: input.kind, keys };
  };
}

const handle = once(() => createPublishReportHandler(buildAwsStepRuntime(process.env, 'publish-report', {}, { github: createGitHubAccess })));
export const handler = (input: PublishInput): Promise<{ kind: string; keys: string[] }> => handle()(input);
