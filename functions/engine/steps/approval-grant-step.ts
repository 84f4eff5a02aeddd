/**
 * A press of "Approve wave" (check_run.requested_action, routed by the webhook): the rule for who
 * may approve, then the waiting Task's token answered with {approvedBy, at} (states:SendTaskSuccess)
 * and the check run completed. Every outcome is an answer, never an error: an unknown or expired
 * gate and a sender without permission are said on the check run (and in the webhook's 200 reply);
 * only GitHub, S3 or Step Functions failing throws.
 *
 * The rule (config/README.md "Approval gates"): the sender has write, maintain or admin permission
 * on the config repository (GitHub reports maintain as write), and presses the button of the check
 * run the request step created for this commit and wave. On a wave with `approvers:
 * different-from-pusher` the sender is also not the person who pushed the commit (GitHub
 * environments' "prevent self-review"); when who pushed is unknown (an execution not started by a
 * push, without `pushedBy` in its input) nobody may approve: the rule fails closed.
 */
import type { ApprovalChecks, ApprovalRecords, Clock, TaskTokens } from '../ports.ts';

export interface ApprovalPress {
  commit: string;
  wave: string;
  /** The check run whose button was pressed. */
  checkRunId: number;
  /** The login of whoever pressed it (the payload's sender). */
  sender: string;
}

export interface ApprovalOutcome {
  result: 'approved' | 'refused' | 'unknown' | 'expired' | 'already-approved';
  reason: string;
}

export interface ApprovalGrantPorts {
  approvals: ApprovalRecords;
  checks: ApprovalChecks;
  tasks: TaskTokens;
  clock: Clock;
}

const approvers: ReadonlySet<string> = new Set(['admin', 'write']);

export async function grantApprovalStep(ports: ApprovalGrantPorts, press: ApprovalPress): Promise<ApprovalOutcome> {
  const subject = `wave ${press.wave} of ${press.commit.slice(0, 12)}`;
  const record = await ports.approvals.get(press.commit, press.wave);
  if (record?.approvedBy !== undefined) return { result: 'already-approved', reason: `${subject}: already approved by ${record.approvedBy.by} at ${record.approvedBy.at}` };
  if (record?.expired === true) return { result: 'expired', reason: `${subject}: the rollout stopped waiting at ${record.expiresAt} (approvalTimeout); ${press.sender}'s approval came too late and started nothing` };
  if (record?.token === undefined || record.checkRunId !== press.checkRunId) {
    const reason = `${subject}: no rollout waits for this approval (it was never asked, was retried under another check run, or its run store expired)`;
    await ports.checks.finishApproval(press.checkRunId, { conclusion: 'neutral', title: 'No rollout waits for this approval', summary: `${reason}. To roll the wave out, start the rollout again: {"commit": "${press.commit}", "fromWave": "${press.wave}"} (docs/run-in-aws.md).` });
    return { result: 'unknown', reason };
  }
  const pusher = record.separation?.pushedBy;
  if (record.separation !== undefined && (pusher === undefined || pusher.toLowerCase() === press.sender.toLowerCase())) {
    // logins are case-insensitive on GitHub: Alice and alice are one person
    const why = pusher === undefined
      ? `who pushed this commit is unknown (the rollout was not started by a push and its input names no pushedBy), so nobody may approve (approvers: different-from-pusher)`
      : `${press.sender} pushed this commit and may not approve it (approvers: different-from-pusher); another person with write, maintain or admin permission must`;
    const reason = `${subject}: ${why}`;
    await ports.checks.noteApproval(press.checkRunId, { title: `Waiting for approval: wave ${press.wave} (${pusher === undefined ? 'pusher unknown' : `${press.sender} pushed this commit`})`, summary: `${reason}. The rollout still waits, until ${record.expiresAt}.` });
    return { result: 'refused', reason };
  }
  const permission = await ports.checks.readPermission(press.sender);
  if (!approvers.has(permission)) {
    const reason = `${subject}: ${press.sender} may not approve (permission ${permission}; write, maintain or admin needed)`;
    await ports.checks.noteApproval(press.checkRunId, { title: `Waiting for approval: wave ${press.wave} (${press.sender} may not approve)`, summary: `${reason}. The rollout still waits, until ${record.expiresAt}.` });
    return { result: 'refused', reason };
  }
  const now = ports.clock.now();
  const expired = async (): Promise<ApprovalOutcome> => {
    // pressed twice at once: the first press answered the token and the record says so by now
    const again = await ports.approvals.get(press.commit, press.wave);
    if (again?.approvedBy !== undefined) return { result: 'already-approved', reason: `${subject}: already approved by ${again.approvedBy.by} at ${again.approvedBy.at}` };
    const reason = `${subject}: the rollout stopped waiting at ${record.expiresAt} (approvalTimeout) or ended`;
    await ports.checks.finishApproval(press.checkRunId, { conclusion: 'timed_out', title: `Approval expired: wave ${press.wave}`, summary: `${reason}; ${press.sender}'s approval came too late and started nothing. Start the rollout again: {"commit": "${press.commit}", "fromWave": "${press.wave}"} (docs/run-in-aws.md).` });
    return { result: 'expired', reason };
  };
  if (now.getTime() >= Date.parse(record.expiresAt)) return expired();
  const at = now.toISOString();
  if ((await ports.tasks.succeed(record.token, { approvedBy: press.sender, at })) === 'expired') return expired();
  await ports.checks.finishApproval(press.checkRunId, { conclusion: 'success', title: `Approved by ${press.sender}`, summary: `${subject}: approved by ${press.sender} at ${at}; the wave starts now (after its change windows, if any).` });
  return { result: 'approved', reason: `${subject}: approved by ${press.sender}` };
}
