/**
 * Installation tokens of a GitHub App (only Apps may create check runs): a JWT signed RS256 with
 * the App's private key ("Generating a JSON Web Token (JWT) for a GitHub App") is exchanged at
 * POST /app/installations/{id}/access_tokens for a token valid one hour, reused until five minutes
 * before it expires. The private key and the tokens stay in this adapter.
 */
import { createSign } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { SourceError } from '../errors.ts';
import { parseJsonObject } from '../secrets/parse-json-object.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { rememberSecret } from '../secrets/redact-secrets.ts';

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

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export class GitHubAppTokens {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: GitHubAppCredentials,
    private readonly options: { baseUrl?: string; now?: () => Date } = {},
  ) {}

  /** A JWT for the App itself, valid 9 minutes (issued 60 s back for clock drift, as GitHub advises). */
  createJwt(): string {
    const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify({ iat: now - 60, exp: now + 540, iss: this.credentials.appId }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.credentials.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** An installation token, minted when there is none or it expires within five minutes. */
  async token(): Promise<string> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (this.current !== undefined && this.current.expiresAt - now > 300_000) return this.current.token;
    this.pending ??= this.mint().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async mint(): Promise<string> {
    const octokit = new Octokit({ userAgent: 'regops', ...(this.options.baseUrl === undefined ? {} : { baseUrl: this.options.baseUrl }) });
    try {
      const answer = await octokit.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: Number(this.credentials.installationId),
        headers: { authorization: `bearer ${this.createJwt()}` },
      });
      rememberSecret(answer.data.token);
      this.current = { token: answer.data.token, expiresAt: Date.parse(answer.data.expires_at) };
      return answer.data.token;
    } catch (thrown) {
      const status = (thrown as { status?: unknown }).status;
      throw new SourceError('github.app-token', `github app ${this.credentials.appId}: installation ${this.credentials.installationId}: access token refused${typeof status === 'number' ? ` (${status})` : ''}`, { appId: this.credentials.appId }, { cause: redactCause(thrown) });
    }
  }
}
