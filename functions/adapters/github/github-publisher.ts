/**
 * Publishes regops results to GitHub with @octokit/rest: commit statuses, check runs (updated in
 * place by name), one PR comment found again by a hidden marker, and issues. Implements the
 * CommitPublisher port; decides nothing (which issue to open or close is the engine's call).
 * Every create is made at most once, also when GitHub's answer is lost (createOnce), so a publish
 * step the state machine retries finds what its first attempt made.
 */
import type { Octokit } from '@octokit/rest';
import type { CheckRunReport, CommitPublisher, CommitStatus, TrackedIssue } from '../../engine/ports.ts';
import { callGitHub, GitHubPublishError } from './call-github.ts';
import { createOnce, sendOnce } from './create-once.ts';

export { GitHubPublishError };

// GitHub accepts at most 50 annotations per check-run request ("Update a check run", REST docs).
const annotationsPerRequest = 50;
const maxText = 65_535;
function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}\n\n…(truncated)`;
}

export class GitHubPublisher implements CommitPublisher {
  constructor(private readonly octokit: Octokit, private readonly owner: string, private readonly repo: string) {}

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return callGitHub({ owner: this.owner, repo: this.repo }, what, run);
  }

  /** A create made at most once, also when GitHub's answer is lost (create-once.ts). */
  private createOnce<T>(what: string, create: () => Promise<T>, findCreated: () => Promise<T | undefined>): Promise<T> {
    return createOnce({ owner: this.owner, repo: this.repo }, what, create, findCreated);
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
    // the check run's key is its name on the commit: a retried publish updates the one it created
    const findRun = async (): Promise<number | undefined> => (await this.call(`list check runs ${run.name} on ${sha.slice(0, 12)}`, () => this.octokit.rest.checks.listForRef({ owner: this.owner, repo: this.repo, ref: sha, check_name: run.name }))).data.check_runs[0]?.id;
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
    let id = await findRun();
    const first = batches[0] ?? [];
    if (id === undefined) {
      id = await this.createOnce(`create check run ${run.name}`, async () => (await this.octokit.rest.checks.create({
        owner: this.owner, repo: this.repo, name: run.name, head_sha: sha, status: 'completed', conclusion: run.conclusion, output: output(first), request: sendOnce,
      })).data.id, findRun);
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
    const mine = await this.findComment(pullRequest, marker);
    const text = body.includes(marker) ? body : `${marker}\n${body}`;
    if (mine === undefined) {
      await this.createComment(pullRequest, truncate(text, maxText), marker);
    } else {
      await this.call(`update comment ${mine.id} on #${pullRequest}`, () => this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: mine.id, body: truncate(text, maxText) }));
    }
  }

  /** The first comment on the issue or pull request that contains `text`. */
  private async findComment(issue: number, text: string): Promise<{ id: number } | undefined> {
    const comments = await this.call(`list comments of #${issue}`, () => this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.repo, issue_number: issue, per_page: 100 }));
    return comments.find((comment) => comment.body?.includes(text) === true);
  }

  /** Comments once: a comment containing `key` (its marker, or the whole body) is the one this made. */
  private async createComment(issue: number, body: string, key: string): Promise<void> {
    await this.createOnce(`comment on #${issue}`, async () => (await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issue, body, request: sendOnce })).data, () => this.findComment(issue, key));
  }

  async listOpenIssues(label: string): Promise<TrackedIssue[]> {
    const issues = await this.call(`list open issues labelled ${label}`, () => this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, state: 'open', labels: label, per_page: 100 }));
    // the issues endpoint also returns pull requests; those carry a pull_request key
    return issues.filter((issue) => issue.pull_request === undefined).map((issue) => ({ number: issue.number, title: issue.title, body: issue.body ?? '' }));
  }

  async openIssue(title: string, body: string, labels: string[]): Promise<number> {
    const text = truncate(body, maxText);
    // an open issue with this title, body and labels is the one a lost answer created
    const findOpened = async (): Promise<number | undefined> => {
      const open = await this.call(`list open issues labelled ${labels.join(',')}`, () => this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, state: 'open', labels: labels.join(','), per_page: 100 }));
      return open.find((issue) => issue.pull_request === undefined && issue.title === title && issue.body === text)?.number;
    };
    return this.createOnce(`open issue "${title}"`, async () => (await this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title, body: text, labels, request: sendOnce })).data.number, findOpened);
  }

  async updateIssue(issue: number, title: string, body: string): Promise<void> {
    await this.call(`update issue #${issue}`, () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, title, body: truncate(body, maxText) }));
  }

  async closeIssue(issue: number, comment: string, marker?: string): Promise<void> {
    const said = marker === undefined ? undefined : await this.findComment(issue, marker);
    if (said === undefined) await this.createComment(issue, comment, marker ?? comment);
    await this.call(`close issue #${issue}`, () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, state: 'closed', state_reason: 'completed' }));
  }
}
