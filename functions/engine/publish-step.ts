/**
 * The last step of every workflow (handlers/publish-report.ts): write the report to the reports
 * bucket and tell GitHub. Rollout: commit status + check run; plan: check run + the PR comment;
 * drift: commit status + check run + one issue per drifted cluster (closed when back in sync);
 * refused (the rollout could not start): a failed status saying why.
 */
import type { CommitPublisher } from '../adapters/ports.ts';
import { buildPlanReport } from '../core/build-plan-report.ts';
import type { DriftReport } from '../core/model.ts';
import { publishReport } from './publish-report.ts';
import { publishDriftToGitHub, publishPlanToGitHub, publishRefusedRolloutToGitHub, publishRolloutToGitHub } from './publish-to-github.ts';
import { formatTrustKey, type PullRequestTrust } from './pull-request-trust.ts';
import { WorkflowError } from './errors.ts';
import { assembleRolloutReport } from './steps/assemble-rollout-report.ts';
import { collectPlans } from './steps/collect-plans.ts';
import { runKeys, type StepPorts } from './steps/run-store.ts';
import { finishWorkflowRollout, giveBackWorkflowLease } from './workflow-lease.ts';

/** What the state machines pass to the publish step, one shape per kind of run. */
export type PublishStepInput =
  | { kind: 'rollout'; commit: string; startedAt: string; status: 'succeeded' | 'failed'; halted?: { wave: string; error?: string; cause?: string } }
  | { kind: 'plan'; commit: string; startedAt: string; pullRequest: number }
  | { kind: 'drift'; commit: string; reportKey: string }
  | { kind: 'refused'; commit: string; error: string; cause: string; startedAt?: string };

export interface PublishStepOutput {
  kind: PublishStepInput['kind'];
  /** Report keys written (or, for drift, the one read). */
  keys: string[];
  /** What was published, for the log line. */
  details: Record<string, unknown>;
}

async function readDriftReport(ports: Pick<StepPorts, 'reports'>, commit: string, key: string): Promise<DriftReport> {
  const text = await ports.reports.get(key);
  if (text === undefined) throw new WorkflowError('run.no-report', `drift report ${key}: not in the reports bucket; the Scan fleet step writes it first`, { commit, key });
  try {
    return JSON.parse(text) as DriftReport;
  } catch (thrown) {
    throw new WorkflowError('run.bad-report', `drift report ${key}: not JSON; run the drift workflow again to rewrite it`, { commit, key }, { cause: thrown });
  }
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

/** Publishes one run's outcome; GitHub and S3 failures are thrown (the state machine retries the step). */
export async function publishStep(ports: Pick<StepPorts, 'reports' | 'clock' | 'state'>, publisher: CommitPublisher, input: PublishStepInput): Promise<PublishStepOutput> {
  switch (input.kind) {
    case 'refused':
      await giveBackWorkflowLease(ports, input.commit, input.startedAt);
      await publishRefusedRolloutToGitHub(publisher, input.commit, input.error, input.cause);
      return { kind: input.kind, keys: [], details: { error: input.error } };
    case 'drift': {
      const issues = await publishDriftToGitHub(publisher, await readDriftReport(ports, input.commit, input.reportKey));
      return { kind: input.kind, keys: [input.reportKey], details: { ...issues } };
    }
    case 'rollout': {
      const report = await assembleRolloutReport(ports, input);
      // recorded (when no wave halted) and the lease given back before GitHub, which may be down
      await finishWorkflowRollout(ports, report, input.startedAt, runKeys.snapshot(input.commit));
      const { keys } = await publishReport(ports.reports, report);
      await publishRolloutToGitHub(publisher, report);
      return { kind: input.kind, keys, details: { status: report.status, halted: report.halted } };
    }
    case 'plan': {
      const { plans, diagnostics } = await collectPlans(ports.reports, input.commit);
      const trust = await readTrust(ports, input.commit);
      // an invalid config has no cluster plans to report: the check run carries the diagnostics
      const invalid = diagnostics.some((d) => d.severity === 'error');
      const report = invalid ? undefined : buildPlanReport(input.commit, ports.clock.now().toISOString(), plans);
      const keys = report === undefined ? [] : (await publishReport(ports.reports, report)).keys;
      await publishPlanToGitHub(publisher, { commit: input.commit, pullRequest: input.pullRequest, diagnostics, ...(report === undefined ? {} : { report }), ...(trust === undefined ? {} : { trust }) });
      return { kind: input.kind, keys, details: { pullRequest: input.pullRequest, invalid, trust: trust?.mode ?? 'unknown' } };
    }
  }
}
