import { describe, expect, it } from 'vitest';
import { ClusterError, SecretError, SourceError, StorageError } from '../../../functions/adapters/errors.ts';
import { GitHubPublishError } from '../../../functions/adapters/github/github-publisher.ts';
import { RegopsError } from '../../../functions/core/errors.ts';
import { HealthGateError, TransientStepError, ValidationFailedError, toStepFailure } from '../../../functions/engine/errors.ts';

describe('toStepFailure', () => {
  const transient: Array<[string, Error]> = [
    ['an S3 500', new StorageError('storage.server-error', 'report store s3://r/latest/rollout.json: PutObject failed (InternalError)', { status: 500 })],
    ['S3 SlowDown', new StorageError('storage.throttled', 'report store s3://r/x: PutObject failed (SlowDown)')],
    ['a lost connection to S3', new StorageError('storage.unreachable', 'report store s3://r/x: GetObject failed (ECONNRESET)')],
    ['a GitHub 502 while reading the config', new SourceError('source.server-error', 'github acme/fleet: reading the tree failed (502)', { status: 502 })],
    ['a GitHub 502 while publishing', new GitHubPublishError('github.publish-failed', 'github acme/fleet: create status: 502 Bad Gateway', { status: 502 })],
    ['GitHub rate limiting while publishing', new GitHubPublishError('github.publish-failed', 'github acme/fleet: create check run: 429', { status: 429 })],
    ['no answer from GitHub while publishing', new GitHubPublishError('github.publish-failed', 'github acme/fleet: create status: fetch failed')],
    ['Secrets Manager throttling', new SecretError('secret.throttled', 'secret secretsmanager:regops/github-token: read failed (ThrottlingException)')],
  ];
  it.each(transient)('%s becomes TransientStepError with the code, context and message, the original as cause', (_name, error) => {
    const failure = toStepFailure(error);
    expect(failure).toBeInstanceOf(TransientStepError);
    expect(failure.name).toBe('TransientStepError');
    expect(failure).toMatchObject({ code: (error as RegopsError).code, message: error.message, context: (error as RegopsError).context });
    expect(failure.cause).toBe(error);
  });

  const permanent: Array<[string, Error]> = [
    ['invalid config', new ValidationFailedError('config abc: 1 validation error(s)', [])],
    ['a failed health gate', new HealthGateError('health.degraded', 'cluster a: image-registry Degraded', { cluster: 'a' }, [])],
    ['a GitHub 422', new GitHubPublishError('github.publish-failed', 'github acme/fleet: create check run: 422 Validation Failed', { status: 422 })],
    ['a missing report', new StorageError('storage.not-found', 'report store s3://r/x: GetObject failed (NoSuchBucket)')],
    ['forbidden', new StorageError('storage.forbidden', 'report store s3://r/x: PutObject failed (AccessDenied)')],
    ['a cluster conflict', new ClusterError('cluster.conflict', 'cluster a: Config/cluster: Conflict')],
    ['a plain Error', new TypeError('x is undefined')],
  ];
  it.each(permanent)('%s is thrown as it is (Retry does not match it)', (_name, error) => {
    expect(toStepFailure(error)).toBe(error);
  });

  it('a thrown non-Error becomes an Error, never a retry', () => {
    const failure = toStepFailure({ token: 'x' });
    expect(failure).toBeInstanceOf(RegopsError);
    expect(failure).not.toBeInstanceOf(TransientStepError);
  });
});
