/**
 * What only plan-waves (reads the config) and publish-report (statuses, check runs, comments,
 * issues) need from GitHub: one Octokit, authenticated with a token or as a GitHub App installation
 * (the token secret holds either; only Apps may create check runs). Kept out of aws-runtime.ts so
 * the cluster-facing functions bundle without octokit.
 */
import { Octokit } from '@octokit/rest';
import { GitHubAppTokens, parseGitHubCredentials } from '../../adapters/github/github-app-token.ts';
import { GitHubConfigSource } from '../../adapters/github/github-config-source.ts';
import { GitHubPublisher } from '../../adapters/github/github-publisher.ts';
import type { CommitPublisher, ConfigSource } from '../../adapters/ports.ts';

export interface GitHubAccess {
  config: ConfigSource;
  publisher: CommitPublisher;
}

export type GitHubAccessFactory = (deps: { owner: string; repo: string; branch: string; secret: string | undefined; baseUrl: string | undefined }) => GitHubAccess;

export const createGitHubAccess: GitHubAccessFactory = ({ owner, repo, branch, secret, baseUrl }) => {
  const credentials = secret === undefined ? undefined : parseGitHubCredentials(secret);
  const octokit = new Octokit({
    userAgent: 'regops',
    ...(credentials !== undefined && 'token' in credentials ? { auth: credentials.token } : {}),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
  if (credentials !== undefined && 'app' in credentials) {
    const tokens = new GitHubAppTokens(credentials.app, baseUrl === undefined ? {} : { baseUrl });
    octokit.hook.before('request', async (options) => {
      options.headers.authorization = `token ${await tokens.token()}`;
    });
  }
  return {
    config: new GitHubConfigSource({ owner, repo, octokit, defaultRef: branch }),
    publisher: new GitHubPublisher(octokit, owner, repo),
  };
};
