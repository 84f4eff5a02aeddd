/** Maps AWS SDK S3 failures to StorageError with the S3 error code and the server's message. */
import { toError } from '../../core/errors.ts';
import { StorageError } from '../errors.ts';
import type { ErrorContext } from '../errors.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { redactSecrets } from '../secrets/redact-secrets.ts';

const codeByName: Record<string, string> = {
  NoSuchBucket: 'storage.not-found',
  NotFound: 'storage.not-found',
  NoSuchKey: 'storage.not-found',
  BucketAlreadyExists: 'storage.bucket-taken',
  AccessDenied: 'storage.forbidden',
  Forbidden: 'storage.forbidden',
  AllAccessDisabled: 'storage.forbidden',
  InvalidAccessKeyId: 'storage.unauthorized',
  SignatureDoesNotMatch: 'storage.unauthorized',
  ExpiredToken: 'storage.unauthorized',
  SlowDown: 'storage.throttled',
  Throttling: 'storage.throttled',
  ThrottlingException: 'storage.throttled',
  RequestLimitExceeded: 'storage.throttled',
  PreconditionFailed: 'storage.exists',
  PermanentRedirect: 'storage.wrong-region',
  AuthorizationHeaderMalformed: 'storage.wrong-region',
  IllegalLocationConstraintException: 'storage.wrong-region',
  InternalError: 'storage.server-error',
  ServiceUnavailable: 'storage.server-error',
};

/** The S3 error code of an SDK failure (`NoSuchBucket`, `NotFound`, …), or undefined. */
export function readS3ErrorCode(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { name, Code } = thrown as { name?: unknown; Code?: unknown };
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

export function readHttpStatus(thrown: unknown): number | undefined {
  const status = (thrown as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `subject`: `bucket acme-registry` or `report store s3://reports/latest/drift.json`. */
export function toStorageError(thrown: unknown, subject: string, verb: string, context: ErrorContext): StorageError {
  if (thrown instanceof StorageError) return thrown;
  const error = toError(thrown);
  const awsCode = readS3ErrorCode(thrown) ?? error.name;
  const status = readHttpStatus(thrown);
  const errno = (thrown as { code?: unknown }).code;
  let code = codeByName[awsCode];
  if (code === undefined) {
    if (status === undefined) code = typeof errno === 'string' || error.name === 'TimeoutError' ? 'storage.unreachable' : 'storage.invalid';
    else if (status === 404) code = 'storage.not-found';
    else if (status === 403) code = 'storage.forbidden';
    else if (status === 429 || status === 503) code = 'storage.throttled';
    else if (status >= 500) code = 'storage.server-error';
    else code = 'storage.invalid';
  }
  const full: ErrorContext = { ...context, awsError: awsCode, ...(status === undefined ? {} : { status }) };
  let hint = '';
  if (code === 'storage.wrong-region') {
    // S3 names the bucket's region in this header on a 301
    const region = (thrown as { $response?: { headers?: Record<string, string | undefined> } }).$response?.headers?.['x-amz-bucket-region'];
    if (region !== undefined) full['bucketRegion'] = region;
    hint = ` (the bucket is in ${region ?? 'another region'}: use a client for that region, or followRegionRedirects)`;
  }
  // an S3-compatible server may echo what it was sent (a tag, a policy): its words are redacted
  return new StorageError(code, `${subject}: ${verb} failed (${awsCode}): ${redactSecrets(error.message)}${hint}`, full, { cause: redactCause(error) });
}
