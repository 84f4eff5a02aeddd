/**
 * The approval gate's check run on GitHub (ApprovalChecks of engine/ports.ts) with @octokit/rest:
 * one check run per gated wave and commit, in progress with one requested action (the "Approve
 * wave" button; GitHub sends check_run.requested_action to the App that created the run), completed
 * when the wave is approved or the wait is over; and the permission of whoever pressed it. Decides
 * nothing: who may approve is the engine's rule (engine/steps/approval-grant-step.ts).
 */
import type { Octokit } from '@octokit/rest';
import type { ApprovalChecks } from '../../engine/ports.ts';
import { callGitHub } from './call-github.ts';
import { createOnce, sendOnce } from './create-once.ts';

// GitHub's limits on a check run's output and requested actions ("Create a check run", REST docs)
const maxSummary = 65_535;
const maxActionLabel = 20;
const maxActionDescription = 40;

export class GitHubApprovalChecks implements ApprovalChecks {
  constructor(private readonly octokit: Octokit, private readonly owner: string, private readonly repo: string) {}

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return callGitHub({ owner: this.owner, repo: this.repo }, what, run);
  }

  async requestApproval(sha: string, request: Parameters<ApprovalChecks['requestApproval']>[1]): Promise<number> {
    const fields = {
      status: 'in_progress' as const,
      output: { title: request.title, summary: request.summary.slice(0, maxSummary) },
      actions: [{ identifier: request.action.identifier, label: request.action.label.slice(0, maxActionLabel), description: request.action.description.slice(0, maxActionDescription) }],
    };
    // the check run's key is its name on the commit: a retried request (new token) reuses the one it
    // created, and a create whose answer GitHub lost is found, not sent again (create-once.ts)
    const findRun = async (): Promise<number | undefined> => (await this.call(`list check runs ${request.name} on ${sha.slice(0, 12)}`, () => this.octokit.rest.checks.listForRef({ owner: this.owner, repo: this.repo, ref: sha, check_name: request.name }))).data.check_runs[0]?.id;
    const id = await findRun();
    if (id !== undefined) {
      await this.call(`update check run ${request.name}`, () => this.octokit.rest.checks.update({ owner: this.owner, repo: this.repo, check_run_id: id, ...fields }));
      return id;
    }
    return createOnce({ owner: this.owner, repo: this.repo }, `create check run ${request.name}`, async () => (await this.octokit.rest.checks.create({ owner: this.owner, repo: this.repo, name: request.name, head_sha: sha, ...fields, request: sendOnce })).data.id, findRun);
  }

  async finishApproval(checkRunId: number, result: Parameters<ApprovalChecks['finishApproval']>[1]): Promise<void> {
    await this.call(`complete check run ${checkRunId}`, () => this.octokit.rest.checks.update({
      owner: this.owner, repo: this.repo, check_run_id: checkRunId, status: 'completed', conclusion: result.conclusion,
      output: { title: result.title, summary: result.summary.slice(0, maxSummary) }, actions: [],
    }));
  }

  async noteApproval(checkRunId: number, note: { title: string; summary: string }): Promise<void> {
    await this.call(`update check run ${checkRunId}`, () => this.octokit.rest.checks.update({
      owner: this.owner, repo: this.repo, check_run_id: checkRunId, output: { title: note.title, summary: note.summary.slice(0, maxSummary) },
    }));
  }

  async readPermission(login: string): Promise<'admin' | 'write' | 'read' | 'none'> {
    try {
      const answer = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.repo, username: login });
      // `permission` is admin, write, read or none (maintain reads as write, triage as read: REST docs)
      const permission = answer.data.permission;
      return permission === 'admin' || permission === 'write' || permission === 'read' ? permission : 'none';
    } catch (thrown) {
      // 404: not a collaborator (or no such user); anything else is GitHub failing
      if ((thrown as { status?: unknown }).status === 404) return 'none';
      return this.call(`read the permission of ${login}`, () => Promise.reject(thrown));
    }
  }
}
