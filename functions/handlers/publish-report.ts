/**
 * Last step of every workflow: the engine's publishStep writes the report (JSON, Markdown, page,
 * history) to the reports bucket and tells GitHub (commit status, check run, PR comment, drift issues).
 * Between two rollout waves it also answers `Did wave change` (kind `wave`): it reads the wave's Map
 * results from the reports bucket (engine/steps/summarize-wave.ts). For a drift scan it assembles the
 * report from the clusters' stored results first and emits the drift metrics.
 * Before a wave with `approval: required` it asks for the approval (input `approval: 'request'`, the
 * Task waiting on its token) and, once approved, records who approved (`approval: 'granted'`):
 * engine/steps/approval-request-step.ts; it already holds GitHub and the run store.
 */
import { regopsMetricNames } from '../adapters/observability/emf-metrics.ts';
import { createSecretValue } from '../adapters/secrets/secret-value.ts';
import { StoredApprovalRecords } from '../adapters/secrets/stored-approval-records.ts';
import { publishStep, type PublishStepInput } from '../engine/publish-step.ts';
import { expireApprovalStep, recordApprovalStep, requestApprovalStep, type ApprovalExpiredInput, type ApprovalGrantedInput, type ApprovalRequestInput } from '../engine/steps/approval-request-step.ts';
import type { Context } from 'aws-lambda';
import { asStep } from './wiring/as-step.ts';
import { parseStepInput } from './wiring/parse-step-input.ts';
import { approvalEventSchema, publishInputSchema } from './wiring/step-input-schemas.ts';
import { buildAwsStepRuntime } from './wiring/aws-runtime.ts';
import { createGitHubAccess } from './wiring/github-access.ts';
import { once } from './wiring/settings.ts';
import type { StepRuntime } from './wiring/step-runtime.ts';

/** The approval request as the Task sends it: the token is a plain string until the handler wraps it. */
export type ApprovalStepEvent = (Omit<ApprovalRequestInput, 'token'> & { token: string }) | ApprovalGrantedInput | ApprovalExpiredInput;

export type PublishInput = PublishStepInput | ApprovalStepEvent;

/** `changed`: kind `wave` only, read by the rollout's Bake? choice. */
export type PublishOutput = { kind: string; keys: string[]; changed?: boolean };

export function createPublishReportHandler(runtime: StepRuntime): (input: PublishInput, context?: Context) => Promise<PublishOutput> {
  return asStep(async (input): Promise<PublishOutput> => {
    if ('approval' in input) return answerApproval(runtime, input);
    const ports = await runtime.ports();
    // the rollout report reads who approved a wave through the port the approval steps write it with
    const published = await publishStep({ ...ports, approvals: new StoredApprovalRecords(ports.reports) }, await runtime.publisher(), input);
    const log = runtime.logger.child({ commit: input.commit });
    // the drift metrics describe the whole scan: emitted once, where its report is assembled
    if (published.drift !== undefined) {
      const { summary, durationMs, failedCorrections } = published.drift;
      runtime.metrics([
        { name: regopsMetricNames.driftedClusters, value: summary.drifted, unit: 'Count' },
        { name: regopsMetricNames.driftedFields, value: summary.driftedFields, unit: 'Count' },
        { name: regopsMetricNames.scanDuration, value: durationMs, unit: 'Milliseconds' },
        { name: regopsMetricNames.applyFailures, value: failedCorrections, unit: 'Count' },
        { name: regopsMetricNames.unreachableClusters, value: summary.unreachable, unit: 'Count' },
      ], { commit: input.commit });
    }
    // a refused rollout is the one outcome someone must act on
    if (input.kind === 'refused') log.warn('rollout refused', published.details);
    else log.info(`${input.kind} published`, { keys: published.keys, ...published.details });
    return { kind: published.kind, keys: published.keys, ...(published.changed === undefined ? {} : { changed: published.changed }) };
  }, runtime.logger, parsePublishEvent);
}

/** The approval Tasks send `approval`; every other publish Task sends `kind`. */
function parsePublishEvent(event: unknown): PublishInput {
  const approval = typeof event === 'object' && event !== null && 'approval' in event;
  // approvalEventSchema knows every approval event the rollout sends (request, granted, expired)
  return approval ? parseStepInput('publish-report', approvalEventSchema, event) as PublishInput : parseStepInput('publish-report', publishInputSchema, event);
}

async function answerApproval(runtime: StepRuntime, input: ApprovalStepEvent): Promise<PublishOutput> {
  const ports = await runtime.ports();
  const approvals = new StoredApprovalRecords(ports.reports);
  const log = runtime.logger.child({ commit: input.commit });
  if (input.approval === 'granted') {
    await recordApprovalStep({ approvals }, input);
    log.info('approval recorded', { wave: input.wave, approvedBy: input.approvedBy, at: input.at });
    return { kind: 'approval', keys: [] };
  }
  if (runtime.approvalChecks === undefined) throw new Error(`publish-report: no GitHub access for the approval of wave ${input.wave}`);
  if (input.approval === 'expired') {
    const { expired } = await expireApprovalStep({ approvals, checks: await runtime.approvalChecks() }, input);
    log.warn('approval expired', { wave: input.wave, expired });
    return { kind: 'approval', keys: [] };
  }
  // the token is wrapped at once: logged or serialized, it shows only its digest
  const requested = await requestApprovalStep({ ...ports, approvals, checks: await runtime.approvalChecks() }, { ...input, token: createSecretValue(input.token) });
  log.info('approval requested', { wave: input.wave, checkRun: requested.checkRunId, expiresAt: requested.expiresAt });
  return { kind: 'approval', keys: [] };
}

const handle = once(() => createPublishReportHandler(buildAwsStepRuntime(process.env, 'publish-report', {}, { github: createGitHubAccess })));
export const handler = (input: PublishInput, context?: Context): Promise<PublishOutput> => handle()(input, context);
