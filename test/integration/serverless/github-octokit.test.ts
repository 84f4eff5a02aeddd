/**
 * GitHub App authentication (check runs need an App): the JWT is RS256-signed with the App's key
 * and verified here with its public key, exchanged for an installation token at the stand-in, and
 * the token is reused until five minutes before it expires.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubAppTokens, parseGitHubCredentials } from '../../../functions/adapters/github/github-app-token.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { installReviewRoutes } from '../../support/github/review-routes.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
let github: GitHubStandIn;
const minted: Array<{ installation: string; iss: unknown }> = [];

beforeAll(async () => {
  github = await startGitHubStandIn();
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

  it('mints a new token when the current one expires within five minutes', async () => {
    let now = new Date();
    const tokens = new GitHubAppTokens({ appId: '4242', installationId: '78', privateKey }, { baseUrl: github.url, now: () => now });
    const first = await tokens.token();
    expect(await tokens.token()).toBe(first);
    now = new Date(now.getTime() + 56 * 60_000);
    expect(await tokens.token()).not.toBe(first);
  });

  it('a key GitHub does not accept is an error naming the App', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const tokens = new GitHubAppTokens({ appId: '9', installationId: '1', privateKey: other.privateKey }, { baseUrl: github.url });
    await expect(tokens.token()).rejects.toThrow(/^github app 9: installation 1: access token refused \(401\)/);
  });
});
