/**
 * The one Octokit regops' GitHub adapters share, authenticated from the GitHub token secret: a
 * plain token, or a GitHub App's credentials (installation tokens minted and renewed by
 * GitHubAppTokens; only Apps may create check runs). The secret is revealed here, inside the
 * adapter, so the entry points only ever hold the SecretValue (its digest when printed).
 */
import { Octokit } from '@octokit/rest';
import type { SecretValue } from '../ports.ts';
import { revealSecretValue } from '../secrets/secret-value.ts';
import { GitHubAppTokens, parseGitHubCredentials } from './github-app-token.ts';

export function createGitHubOctokit(options: { secret: SecretValue | undefined; baseUrl: string | undefined }): Octokit {
  const { secret, baseUrl } = options;
  const credentials = secret === undefined ? undefined : parseGitHubCredentials(revealSecretValue(secret));
  const octokit = new Octokit({
    userAgent: 'regops',
    ...(credentials !== undefined && 'token' in credentials ? { auth: credentials.token } : {}),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
  if (credentials !== undefined && 'app' in credentials) {
    const tokens = new GitHubAppTokens(credentials.app, baseUrl === undefined ? {} : { baseUrl });
    octokit.hook.before('request', async (request) => {
      request.headers.authorization = `token ${await tokens.token()}`;
    });
  }
  return octokit;
}
