/**
 * Publishes regops results to GitHub with @octokit/rest: commit statuses, check runs (updated in
 * place by name), one PR comment found again by a hidden marker, and issues. Implements the
 * CommitPublisher port; decides nothing (which issue to open or close is the engine's call).
 */
import type { Octokit } from '@octokit/rest';
import { RegopsError } from '../../core/errors.ts';
import type { CheckRunReport, CommitPublisher, CommitStatus, TrackedIssue } from '../../engine/ports.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { redactSecrets } from '../secrets/redact-secrets.ts';

/** A GitHub REST call that failed; the message names the repository, the call and GitHub's answer. */
export class GitHubPublishError extends RegopsError {}

// GitHub accepts at most 50 annotations per check-run request ("Update a check run", REST docs).
const annotationsPerRequest = 50;
const maxText = 65_535;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}\n\n…(truncated)`;
}

export class GitHubPublisher implements CommitPublisher {
  constructor(private readonly octokit: Octokit, private readonly owner: string, private readonly repo: string) {}

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (thrown) {
      const status = (thrown as { status?: unknown }).status;
      const detail = redactSecrets(thrown instanceof Error ? thrown.message : 'unknown error');
      throw new GitHubPublishError('github.publish-failed', `github ${this.owner}/${this.repo}: ${what}: ${typeof status === 'number' ? `${status} ` : ''}${detail}`, { repository: `${this.owner}/${this.repo}`, call: what, ...(typeof status === 'number' ? { status } : {}) }, { cause: redactCause(thrown) });
    }
  }

  async setCommitStatus(sha: string, status: CommitStatus): Promise<void> {
    await this.call(`create status ${status.context} on ${sha.slice(0, 12)}`, () => this.octokit.rest.repos.createCommitStatus({
      owner: this.owner,
      repo: this.repo,
      sha,
      state: status.state,
      context: status.context,
      description: status.description.slice(0, 140),
      ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
    }));
  }

  async upsertCheckRun(sha: string, run: CheckRunReport): Promise<void> {
    const existing = await this.call(`list check runs ${run.name} on ${sha.slice(0, 12)}`, () => this.octokit.rest.checks.listForRef({ owner: this.owner, repo: this.repo, ref: sha, check_name: run.name }));
    const annotations = (run.annotations ?? []).map((a) => ({
      path: a.path,
      start_line: a.startLine,
      end_line: a.endLine,
      annotation_level: a.level,
      message: a.message,
      ...(a.title === undefined ? {} : { title: a.title }),
    }));
    const batches = [];
    for (let i = 0; i < annotations.length; i += annotationsPerRequest) batches.push(annotations.slice(i, i + annotationsPerRequest));
    const output = (batch: typeof annotations) => ({
      title: run.title,
      summary: truncate(run.summary, maxText),
      ...(run.text === undefined ? {} : { text: truncate(run.text, maxText) }),
      ...(batch.length === 0 ? {} : { annotations: batch }),
    });
    let id = existing.data.check_runs[0]?.id;
    const first = batches[0] ?? [];
    if (id === undefined) {
      const created = await this.call(`create check run ${run.name}`, () => this.octokit.rest.checks.create({
        owner: this.owner, repo: this.repo, name: run.name, head_sha: sha, status: 'completed', conclusion: run.conclusion, output: output(first),
      }));
      id = created.data.id;
    } else {
      const runId = id;
      await this.call(`update check run ${run.name}`, () => this.octokit.rest.checks.update({
        owner: this.owner, repo: this.repo, check_run_id: runId, status: 'completed', conclusion: run.conclusion, output: output(first),
      }));
    }
    const runId = id;
    for (const batch of batches.slice(1)) {
      await this.call(`add annotations to check run ${run.name}`, () => this.octokit.rest.checks.update({ owner: this.owner, repo: this.repo, check_run_id: runId, output: output(batch) }));
    }
  }

  async upsertPullRequestComment(pullRequest: number, marker: string, body: string): Promise<void> {
    const comments = await this.call(`list comments of #${pullRequest}`, () => this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.repo, issue_number: pullRequest, per_page: 100 }));
    const mine = comments.find((comment) => comment.body?.includes(marker) === true);
    const text = body.includes(marker) ? body : `${marker}\n${body}`;
    if (mine === undefined) {
      await this.call(`comment on #${pullRequest}`, () => this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: pullRequest, body: truncate(text, maxText) }));
    } else {
      await this.call(`update comment ${mine.id} on #${pullRequest}`, () => this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: mine.id, body: truncate(text, maxText) }));
    }
  }

  async listOpenIssues(label: string): Promise<TrackedIssue[]> {
    const issues = await this.call(`list open issues labelled ${label}`, () => this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, state: 'open', labels: label, per_page: 100 }));
    // the issues endpoint also returns pull requests; those carry a pull_request key
    return issues.filter((issue) => issue.pull_request === undefined).map((issue) => ({ number: issue.number, title: issue.title, body: issue.body ?? '' }));
  }

  async openIssue(title: string, body: string, labels: string[]): Promise<number> {
    const created = await this.call(`open issue "${title}"`, () => this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title, body: truncate(body, maxText), labels }));
    return created.data.number;
  }

  async updateIssue(issue: number, title: string, body: string): Promise<void> {
    await this.call(`update issue #${issue}`, () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, title, body: truncate(body, maxText) }));
  }

  async closeIssue(issue: number, comment: string): Promise<void> {
    await this.call(`comment on issue #${issue}`, () => this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issue, body: comment }));
    await this.call(`close issue #${issue}`, () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, state: 'closed', state_reason: 'completed' }));
  }
}
