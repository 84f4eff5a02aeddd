/**
 * parseGitHubCredentials on a malformed secret: a clear, typed error that never quotes the secret
 * (V8's JSON.parse messages quote the text around the failure, here the App's private key).
 */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../functions/adapters/errors.ts';
import { parseGitHubCredentials } from '../../../../functions/adapters/github/parse-github-credentials.ts';
import { catchError } from '../../../support/catch-error.ts';

const key = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';

describe('parseGitHubCredentials: a secret that starts with "{" but is not App credentials JSON', () => {
  it.each([
    { name: 'an unquoted value', secret: `{"appId": 1, "installationId": 2, "privateKey": ${key}}` },
    { name: 'an unterminated string', secret: `{"privateKey": "${key}` },
    { name: 'a trailing comma', secret: `{"privateKey": "${key}",}` },
  ])('$name: github.credentials, no cause, the secret nowhere in the error', ({ secret }) => {
    const thrown = catchError(() => parseGitHubCredentials(secret));
    expect(thrown).toBeInstanceOf(SourceError);
    const error = thrown as SourceError;
    expect(error.code).toBe('github.credentials');
    expect(error.message).toMatch(/^github token secret: .*store a plain token or fix the JSON$/);
    expect(error.cause).toBeUndefined();
    expect(`${error.message} ${JSON.stringify(error.context)}`).not.toContain(key);
  });
});
