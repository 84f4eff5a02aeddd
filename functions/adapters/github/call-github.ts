/**
 * One GitHub REST call of a publishing adapter (github-publisher.ts, github-approval-checks.ts): a
 * failure becomes a GitHubPublishError naming the repository, the call and GitHub's answer, with the
 * server's words redacted and only a redacted summary kept as the cause.
 */
import { RegopsError } from '../../core/errors.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { redactSecrets } from '../secrets/redact-secrets.ts';

/** A GitHub REST call that failed; the message names the repository, the call and GitHub's answer. */
export class GitHubPublishError extends RegopsError {}

export async function callGitHub<T>(repository: { owner: string; repo: string }, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (thrown) {
    const status = (thrown as { status?: unknown }).status;
    const detail = redactSecrets(thrown instanceof Error ? thrown.message : 'unknown error');
    const name = `${repository.owner}/${repository.repo}`;
    throw new GitHubPublishError('github.publish-failed', `github ${name}: ${what}: ${typeof status === 'number' ? `${status} ` : ''}${detail}`, { repository: name, call: what, ...(typeof status === 'number' ? { status } : {}) }, { cause: redactCause(thrown) });
  }
}
