/**
 * A POST that creates something on GitHub (a check run, an issue, a comment), made at most once.
 * GitHub may have carried it out although its answer was a 5xx or never arrived; @octokit/plugin-retry
 * would then send it again and create a second one. So the caller sends the create without the
 * plugin's resends (`sendOnce`), and after such a failure `findCreated` looks for what it would have
 * made, by the key the caller finds it by (name and commit, marker, title and body), before trying
 * again (at most `createAttempts` tries). Used by github-publisher.ts and github-approval-checks.ts.
 */
import { callGitHub, GitHubPublishError } from './call-github.ts';

/** Tries of one create whose earlier tries failed without creating anything. */
const createAttempts = 3;

/** Octokit request options for a create: no @octokit/plugin-retry resend (create-github-octokit.ts), createOnce decides. */
export const sendOnce = { retries: 0 };

export async function createOnce<T>(repository: { owner: string; repo: string }, what: string, create: () => Promise<T>, findCreated: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await callGitHub(repository, what, create);
    } catch (thrown) {
      const status = thrown instanceof GitHubPublishError ? thrown.context['status'] : undefined;
      // a 4xx was refused, nothing created: only an unknown outcome is looked up
      if (typeof status === 'number' && status < 500) throw thrown;
      const found = await findCreated();
      if (found !== undefined) return found;
      if (attempt >= createAttempts) throw thrown;
    }
  }
}
