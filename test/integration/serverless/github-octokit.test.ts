/**
 * The shared Octokit (create-github-octokit.ts) against the GitHub stand-in: GitHub App
 * authentication by @octokit/auth-app (the JWT is RS256-signed with the App's key and verified here
 * with its public key, exchanged for an installation token, the token reused until GitHub's hour is
 * nearly over), 5xx answers retried by @octokit/plugin-retry, rate limits waited out by
 * @octokit/plugin-throttling, and no secret in any error.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGitHubOctokit } from '../../../functions/adapters/github/create-github-octokit.ts';
import { GitHubPublisher } from '../../../functions/adapters/github/github-publisher.ts';
import { parseGitHubCredentials } from '../../../functions/adapters/github/parse-github-credentials.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import { startGitHubStandIn, type GitHubStandIn, type RouteResponse } from '../../support/github-stand-in.ts';
import { SourceError } from '../../../functions/adapters/errors.ts';
import { installReviewRoutes } from '../../support/github/review-routes.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
let github: GitHubStandIn;
const minted: Array<{ installation: string; iss: unknown }> = [];
/** Answers the next status writes to acme/faulty give, in order; then 201. */
const faults: RouteResponse[] = [];

beforeAll(async () => {
  github = await startGitHubStandIn();
  // before the review routes, which answer statuses of every repository
  github.route('POST', /^\/repos\/acme\/faulty\/statuses\/[0-9a-f]{40}$/, () => faults.shift() ?? { status: 201, body: { id: 1, state: 'success' } });
  installReviewRoutes(github);
  github.route('POST', /^\/app\/installations\/(\d+)\/access_tokens$/, (req) => {
    const [header, payload, signature] = (req.headers['authorization'] ?? '').replace(/^bearer /i, '').split('.');
    const valid = createVerify('RSA-SHA256').update(`${header ?? ''}.${payload ?? ''}`).verify(publicKey, Buffer.from(signature ?? '', 'base64url'));
    if (!valid) return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss: unknown; iat: number; exp: number };
    minted.push({ installation: req.match[1] ?? '', iss: claims.iss });
    return { status: 201, body: { token: `ghs_${minted.length}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { checks: 'write' } } };
  });
});
afterAll(async () => {
  await github.stop();
});
afterEach(() => {
  vi.useRealTimers();
  faults.length = 0;
});

const appSecret = (installationId: string, key = privateKey): ReturnType<typeof createSecretValue> => createSecretValue(JSON.stringify({ appId: '4242', installationId, privateKey: key }));
const keyBody = (pem: string): string => pem.split('\n').slice(1, 3).join('');

describe('parseGitHubCredentials', () => {
  it.each([
    { secret: 'ghp_abc\n', parsed: { token: 'ghp_abc' } },
    { secret: '{"appId": 12, "installationId": "34", "privateKey": "PEM"}', parsed: { app: { appId: '12', installationId: '34', privateKey: 'PEM' } } },
  ])('$secret', ({ secret, parsed }) => {
    expect(parseGitHubCredentials(secret)).toEqual(parsed);
  });

  it('names the missing field of App credentials', () => {
    expect(() => parseGitHubCredentials('{"appId": 1, "privateKey": "x"}')).toThrow(/lack installationId/);
  });
});

describe('GitHub App installation tokens', () => {
  it('authenticates every call with an installation token minted from a signed JWT, reused while valid', async () => {
    const secret = createSecretValue(JSON.stringify({ appId: '4242', installationId: '77', privateKey }));
    const { publisher } = createGitHubAccess({ owner: 'acme', repo: 'fleet', branch: 'main', secret, baseUrl: github.url });
    const sha = 'ab'.repeat(20);
    await publisher.setCommitStatus(sha, { state: 'success', context: 'regops/rollout', description: 'ok' });
    await publisher.upsertCheckRun(sha, { name: 'regops rollout', conclusion: 'success', title: 't', summary: 's' });
    expect(minted).toEqual([{ installation: '77', iss: '4242' }]);
    const calls = github.requests.filter((r) => r.path.startsWith('/repos/acme/fleet/'));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const call of calls) expect(call.headers['authorization']).toBe('token ghs_1');
  });

  it('a key GitHub does not accept is an error naming the App, with neither key nor JWT in it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const octokit = createGitHubOctokit({ secret: createSecretValue(JSON.stringify({ appId: '9', installationId: '1', privateKey: other.privateKey })), baseUrl: github.url });
    const thrown = await octokit.rest.repos.get({ owner: 'acme', repo: 'fleet' }).then(() => undefined, (error: unknown) => error);
    expect(thrown).toBeInstanceOf(SourceError);
    const error = thrown as SourceError;
    expect(error.code).toBe('github.app-token');
    expect(error.message).toBe('github app 9: installation 1: access token refused (401)');
    const printed = `${error.message} ${JSON.stringify(error.context)} ${String(error.cause)} ${JSON.stringify(error.cause)}`;
    expect(printed).not.toContain(keyBody(other.privateKey));
    expect(printed).not.toMatch(/bearer|eyJ/);
  });

  it('a private key that is not a PEM fails without quoting it', async () => {
    const notPem = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7notakey';
    const publisher = new GitHubPublisher(createGitHubOctokit({ secret: appSecret('79', notPem), baseUrl: github.url }), 'acme', 'fleet');
    const thrown = await publisher.setCommitStatus('ef'.repeat(20), { state: 'success', context: 'c', description: 'd' }).then(() => undefined, (error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect(`${String(thrown)} ${JSON.stringify(thrown)} ${String((thrown as Error).cause)}`).not.toContain(notPem.slice(0, 24));
  });
});

describe('5xx answers and rate limits (waits shrunk 1000x: the schedule is the libraries\', the clock is the test\'s)', () => {
  const status = { state: 'success', context: 'regops/rollout', description: 'ok' } as const;
  const sha = '12'.repeat(20);
  const writes = (): number => github.requests.filter((r) => r.path === `/repos/acme/faulty/statuses/${sha}`).length;
  const faulty = (): GitHubPublisher => new GitHubPublisher(createGitHubOctokit({ secret: createSecretValue('ghp_faultytoken0001'), baseUrl: github.url, waitUnitMs: 1 }), 'acme', 'faulty');

  it('retries 502 and 503 and succeeds on the third try', async () => {
    const before = writes();
    faults.push({ status: 502, body: { message: 'Bad Gateway' } }, { status: 503, body: { message: 'Service Unavailable' } });
    await faulty().setCommitStatus(sha, status);
    expect(writes() - before).toBe(3);
  });

  it('gives up after three retries and names the call and the last answer', async () => {
    const before = writes();
    for (let i = 0; i < 4; i += 1) faults.push({ status: 500, body: { message: `boom ${i}` } });
    await expect(faulty().setCommitStatus(sha, status)).rejects.toThrow(/^github acme\/faulty: create status regops\/rollout on 121212121212: 500 boom 3/);
    expect(writes() - before).toBe(4);
  });

  it('waits out a primary rate limit (x-ratelimit-remaining 0) and a secondary one (Retry-After)', async () => {
    const before = writes();
    const reset = String(Math.floor(Date.now() / 1000) + 2);
    faults.push(
      { status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
      { status: 403, body: { message: 'You have exceeded a secondary rate limit' }, headers: { 'retry-after': '3' } },
    );
    await faulty().setCommitStatus(sha, status);
    expect(writes() - before).toBe(3);
  });

  it('a rate limit longer than a minute fails at once, with the token nowhere in the error', async () => {
    const before = writes();
    faults.push({ status: 403, body: { message: 'API rate limit exceeded for ghp_faultytoken0001' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) } });
    const thrown = await faulty().setCommitStatus(sha, status).then(() => undefined, (error: unknown) => error);
    expect(writes() - before).toBe(1);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/^github acme\/faulty: create status .*: 403 API rate limit exceeded/);
    expect(`${String(thrown)} ${JSON.stringify(thrown)} ${String((thrown as Error).cause)}`).not.toContain('ghp_faultytoken0001');
  });
});

// Last in the file: it moves Date 60 minutes on, and plugin-throttling's write limiter (module-wide)
// would then hold the next write until the real clock caught up.
describe('GitHub App installation tokens, renewed', () => {
  it('mints a new token once GitHub\'s hour is nearly over (auth-app keeps a token 59 minutes)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const publisher = new GitHubPublisher(createGitHubOctokit({ secret: appSecret('78'), baseUrl: github.url }), 'acme', 'fleet');
    const status = { state: 'success', context: 'regops/rollout', description: 'ok' } as const;
    await publisher.setCommitStatus('cd'.repeat(20), status);
    vi.setSystemTime(Date.now() + 58 * 60_000);
    await publisher.setCommitStatus('cd'.repeat(20), status);
    expect(minted.filter((m) => m.installation === '78')).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2 * 60_000);
    await publisher.setCommitStatus('cd'.repeat(20), status);
    expect(minted.filter((m) => m.installation === '78')).toHaveLength(2);
  });

});
