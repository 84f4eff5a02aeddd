/**
 * The GitHub token secret: a plain token, or the JSON of a GitHub App's credentials (only Apps may
 * create check runs; @octokit/auth-app turns them into installation tokens, create-github-octokit.ts).
 * Never quotes the secret in an error.
 */
import { SourceError } from '../errors.ts';
import { parseJsonObject } from '../secrets/parse-json-object.ts';

export interface GitHubAppCredentials {
  appId: string;
  installationId: string;
  /** PEM of the App's private key. */
  privateKey: string;
}

/** The GitHub token secret holds a plain token, or the JSON of an App's credentials. */
export function parseGitHubCredentials(secret: string): { token: string } | { app: GitHubAppCredentials } {
  const text = secret.trim();
  if (!text.startsWith('{')) return { token: text };
  // parseJsonObject never throws: a JSON.parse message would quote the private key
  const parsed = parseJsonObject(text);
  if (parsed === undefined) {
    throw new SourceError('github.credentials', 'github token secret: starts with "{" but is not a JSON object of App credentials (appId, installationId, privateKey); store a plain token or fix the JSON', {});
  }
  const field = (name: string): string => {
    const value = parsed[name];
    if (typeof value !== 'string' && typeof value !== 'number') throw new SourceError('github.credentials', `github token secret: the App credentials lack ${name}`, { field: name });
    return String(value);
  };
  return { app: { appId: field('appId'), installationId: field('installationId'), privateKey: field('privateKey') } };
}
