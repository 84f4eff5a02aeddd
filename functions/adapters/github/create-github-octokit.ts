/**
 * The one Octokit regops' GitHub adapters share, authenticated from the GitHub token secret: a
 * plain token, or a GitHub App's credentials (only Apps may create check runs), for which
 * @octokit/auth-app signs the JWT, mints installation tokens and renews them before they expire.
 * @octokit/plugin-retry retries 5xx answers and failed fetches (3 more tries, 1, 4 and 9 s apart) and
 * @octokit/plugin-throttling spaces writes as GitHub asks and waits out short rate limits. The
 * secret is revealed here, inside the adapter, so the entry points only ever hold the SecretValue.
 */
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { SourceError } from '../errors.ts';
import type { SecretValue } from '../../engine/ports.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { rememberSecret } from '../secrets/redact-secrets.ts';
import { revealSecretValue } from '../secrets/secret-value.ts';
import { parseGitHubCredentials, type GitHubAppCredentials } from './parse-github-credentials.ts';

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** The longest rate-limit wait worth sitting out inside one call; a longer one fails as source.throttled with its retryAfterMs. */
const MAX_RATE_LIMIT_WAIT_S = 60;

export interface GitHubOctokitOptions {
  secret: SecretValue | undefined;
  baseUrl: string | undefined;
  /**
   * Seconds per unit of the libraries' waits (retry backoff, rate-limit Retry-After); 1 s unless a test
   * shrinks it to run the same schedule fast.
   */
  waitUnitMs?: number;
}

export function createGitHubOctokit(options: GitHubOctokitOptions): Octokit {
  const { secret, baseUrl, waitUnitMs = 1000 } = options;
  const credentials = secret === undefined ? undefined : parseGitHubCredentials(revealSecretValue(secret));
  const wait = (retryAfterS: number, retryCount: number): boolean => retryCount < 2 && retryAfterS <= MAX_RATE_LIMIT_WAIT_S;
  const octokit = new GitHubOctokit({
    userAgent: 'regops',
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(credentials === undefined ? {} : 'token' in credentials ? { auth: credentials.token } : { authStrategy: createAppAuth, auth: appAuth(credentials.app) }),
    retry: { retryAfterBaseValue: waitUnitMs },
    throttle: {
      retryAfterBaseValue: waitUnitMs,
      onRateLimit: (retryAfterS, _request, _octokit, retryCount) => wait(retryAfterS, retryCount),
      onSecondaryRateLimit: (retryAfterS, _request, _octokit, retryCount) => wait(retryAfterS, retryCount),
    },
  });
  if (credentials !== undefined && 'app' in credentials) watchInstallationTokens(octokit, credentials.app);
  return octokit;
}

function appAuth(app: GitHubAppCredentials): { appId: string; privateKey: string; installationId: number } {
  return { appId: app.appId, privateKey: app.privateKey, installationId: Number(app.installationId) };
}

const ACCESS_TOKENS = /\/app\/installations\/[^/]+\/access_tokens$/;

/**
 * auth-app mints tokens through this Octokit's own request (so through these hooks): each minted token
 * is remembered for redaction (a server echoing it in an error must not print it), and a refused mint
 * becomes an error naming the App, with a redacted cause.
 */
function watchInstallationTokens(octokit: Octokit, app: GitHubAppCredentials): void {
  octokit.hook.after('request', (response, request) => {
    const token = (response.data as { token?: unknown } | undefined)?.token;
    if (ACCESS_TOKENS.test(request.url) && typeof token === 'string') rememberSecret(token);
  });
  octokit.hook.error('request', (thrown, request) => {
    if (!ACCESS_TOKENS.test(request.url) || thrown instanceof SourceError) throw thrown;
    const status = (thrown as { status?: unknown }).status;
    throw new SourceError(
      'github.app-token',
      `github app ${app.appId}: installation ${app.installationId}: access token refused${typeof status === 'number' ? ` (${status})` : ''}`,
      { appId: app.appId, ...(typeof status === 'number' ? { status } : {}) },
      { cause: redactCause(thrown) },
    );
  });
}
