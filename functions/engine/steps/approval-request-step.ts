/**
 * Step `Approve N <wave>` of the rollout workflow, before a wave with `approval: required`: the
 * state machine waits on a task token (lambda:invoke.waitForTaskToken, TimeoutSeconds = the wave's
 * approvalTimeout, infra/constructs/state-machines.ts) and this step, run by that Task's Lambda,
 * keeps the token in the run store (ApprovalRecords) and asks on GitHub: a check run
 * `regops approval: <wave>` on the commit with an "Approve wave" button and what the wave will
 * change. A press reaches the webhook (approval-grant-step.ts), which answers the token. Once the
 * Task succeeded, `recordApprovalStep` keeps who approved for the report and drops the token.
 */
import type { ClusterRollout, WavePlan } from '../../core/model.ts';
import { WorkflowError } from '../errors.ts';
import type { ApprovalChecks, ApprovalRecord, ApprovalRecords, SecretValue } from '../ports.ts';
import { APPROVAL_TIMEOUT, approvalCheck } from './approval-check.ts';
import { readJson, runKeys, type StepPorts } from './run-store.ts';

export interface ApprovalRequestInput {
  /** Routes the publish-report function to this step (handlers/publish-report.ts). */
  approval: 'request';
  commit: string;
  wave: string;
  /** The waiting Task's token ($$.Task.Token), wrapped by the handler: never logged, never in a report. */
  token: SecretValue;
  /** The Task's TimeoutSeconds: when the wait ends without an approval. */
  timeoutSeconds: number;
}

export interface ApprovalGrantedInput {
  approval: 'granted';
  commit: string;
  wave: string;
  /** What the webhook sent with SendTaskSuccess (approval-grant-step.ts). */
  approvedBy: string;
  at: string;
}

export interface ApprovalExpiredInput {
  approval: 'expired';
  commit: string;
  wave: string;
}

export type ApprovalPorts = Pick<StepPorts, 'reports' | 'clock'> & { approvals: ApprovalRecords; checks: ApprovalChecks };

const listed = 50;

/** Who may approve, as the check run says it (the rule: approval-grant-step.ts). */
function describeApprovers(separation: ApprovalRecord['separation']): string {
  const writers = 'a person with write, maintain or admin permission on this repository';
  if (separation === undefined) return `Who may approve: ${writers} (config/README.md "Approval gates").`;
  if (separation.pushedBy === undefined) {
    return `Who may approve: nobody yet. The wave says \`approvers: different-from-pusher\` and this rollout was not started by a push, so who pushed the commit is unknown; start it again with {"pushedBy": "<login>"} in its input (docs/run-in-aws.md).`;
  }
  return `Who may approve: ${writers}, other than **${separation.pushedBy}**, who pushed this commit (\`approvers: different-from-pusher\`, config/README.md "Approval gates").`;
}

/** Markdown: the wave's clusters and what this commit did on the waves before it (the same config, rolled out there). */
function summarize(commit: string, plan: WavePlan, index: number, earlier: ReadonlyArray<ClusterRollout & { wave: string }>, expiresAt: string, separation: ApprovalRecord['separation']): string {
  const wave = plan.waves[index];
  const clusters = wave?.clusters ?? [];
  const names = clusters.slice(0, listed).map((c) => `\`${c}\``).join(', ') + (clusters.length > listed ? ` and ${clusters.length - listed} more` : '');
  const lines = [
    `The rollout of \`${commit.slice(0, 12)}\` waits before wave **${wave?.name ?? ''}** (\`approval: required\` in fleet.yaml).`,
    '',
    `**Approve wave** starts it on ${clusters.length} cluster(s): ${names} (maxConcurrency ${wave?.maxConcurrency ?? 1}, maxFailures ${wave?.maxFailures ?? 0}).`,
    '',
  ];
  if (earlier.length === 0) {
    lines.push('No earlier wave of this rollout changed a cluster.');
  } else {
    lines.push('What this commit did on the earlier waves (the same config, rolled out there):', '', '| wave | cluster | outcome | created | updated | pruned |', '|---|---|---|---|---|---|');
    for (const c of earlier.slice(0, listed)) lines.push(`| ${c.wave} | ${c.cluster} | ${c.outcome} | ${c.changes.create} | ${c.changes.update} | ${c.changes.prune} |`);
  }
  lines.push('', `Without an approval by ${expiresAt} the rollout halts before this wave (\`rollout.approval-timeout\`) and changes nothing in it.`, describeApprovers(separation));
  return lines.join('\n');
}

/** Keeps the token and creates the check run with the button; the Task then waits for the webhook. */
export async function requestApprovalStep(ports: ApprovalPorts, input: ApprovalRequestInput): Promise<{ checkRunId: number; expiresAt: string }> {
  const context = { commit: input.commit, wave: input.wave };
  // the wave plan this execution's Plan waves stored, with the pusher from the execution input (plan-waves-step.ts)
  const plan = await readJson<WavePlan & { fromWave?: string; pushedBy?: string }>(ports.reports, runKeys.wavePlan('rollout', input.commit));
  const index = plan?.waves.findIndex((w) => w.name === input.wave) ?? -1;
  if (plan === undefined || index < 0) throw new WorkflowError('run.no-wave-plan', `wave ${input.wave}: not in the wave plan at ${runKeys.wavePlan('rollout', input.commit)}; the run must start with Plan waves`, context);
  const earlier = [];
  for (const wave of plan.waves.slice(0, index)) {
    for (const cluster of wave.clusters) {
      const stored = await readJson<ClusterRollout>(ports.reports, runKeys.cluster('rollout', input.commit, cluster));
      if (stored !== undefined && stored.outcome !== 'unchanged') earlier.push({ ...stored, wave: wave.name });
    }
  }
  const now = ports.clock.now();
  const requestedAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + input.timeoutSeconds * 1000).toISOString();
  const separation = plan.waves[index]?.approvers === 'different-from-pusher' ? (plan.pushedBy === undefined ? {} : { pushedBy: plan.pushedBy }) : undefined;
  const checkRunId = await ports.checks.requestApproval(input.commit, {
    name: approvalCheck.name(input.wave),
    title: `Waiting for approval: wave ${input.wave}`,
    summary: summarize(input.commit, plan, index, earlier, expiresAt, separation),
    action: { identifier: approvalCheck.action, label: approvalCheck.label, description: `Start wave ${input.wave} of this rollout` },
  });
  await ports.approvals.put({ commit: input.commit, wave: input.wave, checkRunId, requestedAt, expiresAt, token: input.token, ...(separation === undefined ? {} : { separation }) });
  return { checkRunId, expiresAt };
}

/** After the wait succeeded: who approved goes into the record (the report reads it there), the token goes. */
export async function recordApprovalStep(ports: Pick<ApprovalPorts, 'approvals'>, input: ApprovalGrantedInput): Promise<{ approvedBy: { by: string; at: string } }> {
  const record = await ports.approvals.get(input.commit, input.wave);
  if (record === undefined) throw new WorkflowError('run.no-approval', `wave ${input.wave}: approved, but no approval record for ${input.commit}; the run store lost it`, { commit: input.commit, wave: input.wave });
  const { token: _used, ...kept } = record;
  const approvedBy = { by: input.approvedBy, at: input.at };
  await ports.approvals.put({ ...kept, approvedBy });
  return { approvedBy };
}

/** Nobody approved in time (the Task's States.Timeout): the check run says so, the token goes, a late press starts nothing. */
export async function expireApprovalStep(ports: Pick<ApprovalPorts, 'approvals' | 'checks'>, input: ApprovalExpiredInput): Promise<{ expired: boolean }> {
  const record = await ports.approvals.get(input.commit, input.wave);
  if (record === undefined || record.approvedBy !== undefined) return { expired: false };
  const { token: _unused, ...kept } = record;
  await ports.approvals.put({ ...kept, expired: true });
  await ports.checks.finishApproval(record.checkRunId, {
    conclusion: 'timed_out',
    title: `Approval expired: wave ${input.wave}`,
    summary: `Nobody approved wave ${input.wave} of \`${input.commit.slice(0, 12)}\` by ${record.expiresAt} (approvalTimeout): the rollout halted before the wave (\`${APPROVAL_TIMEOUT}\`) and changed nothing in it. Start it again at this wave with {"commit": "${input.commit}", "fromWave": "${input.wave}"} (docs/run-in-aws.md) and approve in time.`,
  });
  return { expired: true };
}
