/**
 * The last step of every workflow (handlers/publish-report.ts): write the report to the reports
 * bucket and tell GitHub. Rollout: commit status + check run; plan: check run + the PR comment;
 * drift: commit status + check run + one issue per drifted cluster (closed when back in sync);
 * refused (the rollout could not start): a failed status saying why.
 */
import type { ApprovalRecords, CommitPublisher } from './ports.ts';
import { buildPlanReport } from '../core/build-plan-report.ts';
import type { DriftReport, PlanReport, RolloutReport } from '../core/model.ts';
import { publishReport, readRunReport } from './publish-report.ts';
import { publishRollbackIssue } from './publish-rollback-issue.ts';
import { publishDriftToGitHub, publishPlanToGitHub, publishRefusedRolloutToGitHub, publishRolloutToGitHub } from './publish-to-github.ts';
import { formatTrustKey, type PullRequestTrust } from './pull-request-trust.ts';
import { WorkflowError } from './errors.ts';
import { assembleDriftReport, type DriftAssembly } from './steps/assemble-drift-report.ts';
import { assembleRolloutReport } from './steps/assemble-rollout-report.ts';
import { collectPlans } from './steps/collect-plans.ts';
import { runKeys, type StepPorts } from './steps/run-store.ts';
import { summarizeWave, type WaveResultsInput } from './steps/summarize-wave.ts';
import { finishWorkflowRollout, giveBackWorkflowLease } from './workflow-lease.ts';

/** What the state machines pass to the publish step, one shape per kind of run. */
export type PublishStepInput =
  | { kind: 'rollout'; commit: string; startedAt: string; status: 'succeeded' | 'failed'; halted?: { wave: string; error?: string; cause?: string } }
  | { kind: 'plan'; commit: string; startedAt: string; pullRequest: number }
  | ({ kind: 'drift' } & DriftAssembly)
  | { kind: 'refused'; commit: string; error: string; cause: string; startedAt?: string }
  | WaveResultsInput;

export interface PublishStepOutput {
  kind: PublishStepInput['kind'];
  /** Report keys written (or, for drift, the one read). */
  keys: string[];
  /** What was published, for the log line. */
  details: Record<string, unknown>;
  /** Kind `wave` only: whether the wave changed a cluster (the rollout's Bake? choice reads it). */
  changed?: boolean;
  /** Kind `drift` only: what the drift metrics count. */
  drift?: { summary: DriftReport['summary']; durationMs: number; failedCorrections: number };
}

/** The plan run's trust decision (PlanWaves wrote it, pull-request-trust.ts); undefined when there is none. */
async function readTrust(ports: Pick<StepPorts, 'reports'>, commit: string): Promise<PullRequestTrust | undefined> {
  const text = await ports.reports.get(formatTrustKey(commit));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as PullRequestTrust;
  } catch (thrown) {
    throw new WorkflowError('run.bad-state', `run state ${formatTrustKey(commit)}: not JSON; start the run again (its steps rewrite it)`, { commit }, { cause: thrown });
  }
}

/**
 * Publishes one run's outcome; GitHub and S3 failures are thrown (the state machine retries the
 * step). Every write is idempotent for that retry: the history entry is keyed by the run
 * (readRunReport), the check run found by name and commit, the PR comment and drift issues by their
 * markers, a closing comment by its marker (publish-to-github.ts, adapters/github/github-publisher.ts).
 */
export async function publishStep(ports: Pick<StepPorts, 'reports' | 'clock' | 'state'> & { approvals: Pick<ApprovalRecords, 'get'> }, publisher: CommitPublisher, input: PublishStepInput): Promise<PublishStepOutput> {
  switch (input.kind) {
    case 'wave': {
      // between two waves: nothing is published yet, the wave's outcomes are only counted
      const summary = await summarizeWave(ports, input);
      return { kind: input.kind, keys: [], details: { wave: input.wave, ...summary }, changed: summary.changed };
    }
    case 'refused':
      await giveBackWorkflowLease(ports, input.commit, input.startedAt);
      await publishRefusedRolloutToGitHub(publisher, input.commit, input.error, input.cause);
      return { kind: input.kind, keys: [], details: { error: input.error } };
    case 'drift': {
      // a retried step publishes the report its first attempt stored, the same on S3 and GitHub
      const run = input.startedAt === undefined ? undefined : { startedAt: input.startedAt };
      const report = (run === undefined ? undefined : await readRunReport<DriftReport>(ports.reports, { kind: 'DriftReport', commit: input.commit }, run)) ?? await assembleDriftReport(ports, input);
      const { keys } = await publishReport(ports.reports, report, run === undefined ? {} : { run });
      // given back before GitHub, which may be down (the step is retried; giving back twice is harmless)
      await giveBackWorkflowLease(ports, input.commit, input.startedAt);
      const issues = await publishDriftToGitHub(publisher, report);
      const failedCorrections = report.clusters.filter((c) => c.corrected?.outcome === 'failed').length;
      return { kind: input.kind, keys, details: { summary: report.summary, ...(input.stopped === undefined ? {} : { stopped: input.stopped }), ...issues }, drift: { summary: report.summary, durationMs: report.durationMs, failedCorrections } };
    }
    case 'rollout': {
      const run = { startedAt: input.startedAt };
      const report = (await readRunReport<RolloutReport>(ports.reports, { kind: 'RolloutReport', commit: input.commit }, run)) ?? await assembleRolloutReport(ports, input);
      // recorded (when no wave halted) and the lease given back before GitHub, which may be down
      await finishWorkflowRollout(ports, report, input.startedAt, runKeys.snapshot(input.commit));
      const { keys } = await publishReport(ports.reports, report, { run });
      await publishRolloutToGitHub(publisher, report);
      // a rollback that failed leaves clusters at the halted commit: an issue asks a person to act
      const rollbackIssue = await publishRollbackIssue(publisher, report);
      return { kind: input.kind, keys, details: { status: report.status, halted: report.halted, ...(rollbackIssue === undefined ? {} : { rollbackIssue }) } };
    }
    case 'plan': {
      const { plans, diagnostics } = await collectPlans(ports.reports, input.commit);
      const trust = await readTrust(ports, input.commit);
      // an invalid config has no cluster plans to report: the check run carries the diagnostics
      const invalid = diagnostics.some((d) => d.severity === 'error');
      const run = { startedAt: input.startedAt };
      const report = invalid ? undefined : (await readRunReport<PlanReport>(ports.reports, { kind: 'PlanReport', commit: input.commit }, run)) ?? buildPlanReport(input.commit, ports.clock.now().toISOString(), plans);
      const keys = report === undefined ? [] : (await publishReport(ports.reports, report, { run })).keys;
      await publishPlanToGitHub(publisher, { commit: input.commit, pullRequest: input.pullRequest, diagnostics, ...(report === undefined ? {} : { report }), ...(trust === undefined ? {} : { trust }) });
      return { kind: input.kind, keys, details: { pullRequest: input.pullRequest, invalid, trust: trust?.mode ?? 'unknown' } };
    }
  }
}
