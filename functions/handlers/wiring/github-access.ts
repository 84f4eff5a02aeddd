/**
 * What only plan-waves (reads the config) and publish-report (statuses, check runs, comments,
 * issues) need from GitHub: one Octokit, authenticated with a token or as a GitHub App installation
 * (the token secret holds either; the adapter reveals it). Kept out of aws-runtime.ts so the
 * cluster-facing functions bundle without octokit.
 */
import { createGitHubOctokit } from '../../adapters/github/create-github-octokit.ts';
import { GitHubApprovalChecks } from '../../adapters/github/github-approval-checks.ts';
import { GitHubConfigSource } from '../../adapters/github/github-config-source.ts';
import { GitHubPublisher } from '../../adapters/github/github-publisher.ts';
import type { ApprovalChecks, CommitPublisher, ConfigSource, SecretValue } from '../../engine/ports.ts';

export interface GitHubAccess {
  config: ConfigSource;
  publisher: CommitPublisher;
  /** The approval gates' check runs and who may press them (absent: no GitHub access). */
  approvals?: ApprovalChecks;
}

export type GitHubAccessFactory = (deps: { owner: string; repo: string; branch: string; secret: SecretValue | undefined; baseUrl: string | undefined }) => GitHubAccess;

export const createGitHubAccess: GitHubAccessFactory = ({ owner, repo, branch, secret, baseUrl }) => {
  const octokit = createGitHubOctokit({ secret, baseUrl });
  return {
    config: new GitHubConfigSource({ owner, repo, octokit, defaultRef: branch }),
    publisher: new GitHubPublisher(octokit, owner, repo),
    approvals: new GitHubApprovalChecks(octokit, owner, repo),
  };
};
