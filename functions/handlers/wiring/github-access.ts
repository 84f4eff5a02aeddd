/**
 * What only plan-waves (reads the config) and publish-report (statuses, check runs, comments,
 * issues) need from GitHub: one Octokit with the token from Secrets Manager. Kept out of
 * aws-runtime.ts so the cluster-facing functions bundle without octokit.
 */
import { Octokit } from '@octokit/rest';
import { GitHubConfigSource } from '../../adapters/github/github-config-source.ts';
import { GitHubPublisher } from '../../adapters/github/github-publisher.ts';
import type { CommitPublisher, ConfigSource } from '../../adapters/ports.ts';

export interface GitHubAccess {
  config: ConfigSource;
  publisher: CommitPublisher;
}

export type GitHubAccessFactory = (deps: { owner: string; repo: string; branch: string; token: string | undefined; baseUrl: string | undefined }) => GitHubAccess;

export const createGitHubAccess: GitHubAccessFactory = ({ owner, repo, branch, token, baseUrl }) => {
  const octokit = new Octokit({ userAgent: 'regops', ...(token === undefined ? {} : { auth: token }), ...(baseUrl === undefined ? {} : { baseUrl }) });
  return {
    config: new GitHubConfigSource({ owner, repo, octokit, defaultRef: branch }),
    publisher: new GitHubPublisher(octokit, owner, repo),
  };
};
