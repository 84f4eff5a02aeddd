/**
 * Maps AWS SDK failures of Secrets Manager and SSM to SecretError. The message names the reference
 * (source and id), never a value: AWS error messages for these calls do not carry the secret.
 */
import type { SecretReference } from '../../core/model.ts';
import { toError } from '../../core/errors.ts';
import { SecretError } from '../errors.ts';
import { redactCause } from './redact-cause.ts';
import { redactSecrets } from './redact-secrets.ts';

const codeByName: Record<string, string> = {
  ResourceNotFoundException: 'secret.not-found',
  ParameterNotFound: 'secret.not-found',
  ParameterVersionNotFound: 'secret.not-found',
  AccessDeniedException: 'secret.forbidden',
  UnrecognizedClientException: 'secret.unauthorized',
  InvalidSignatureException: 'secret.unauthorized',
  ExpiredTokenException: 'secret.unauthorized',
  // the Query-protocol spelling (STS, IAM); moto answers it for every service
  InvalidClientTokenId: 'secret.unauthorized',
  SignatureDoesNotMatch: 'secret.unauthorized',
  DecryptionFailure: 'secret.forbidden',
  InvalidKeyId: 'secret.forbidden',
  InvalidRequestException: 'secret.invalid',
  InvalidParameterException: 'secret.invalid',
  ThrottlingException: 'secret.throttled',
  TooManyRequestsException: 'secret.throttled',
  InternalServiceError: 'secret.server-error',
  InternalServerError: 'secret.server-error',
};

/** `secretsmanager regops/x/registry-s3` / `ssm /regops/x` / `file regops/x`: the subject of a message. */
export function describeSecretReference(ref: SecretReference): string {
  return `${ref.source} ${ref.id}${ref.key === undefined ? '' : ` key ${ref.key}`}`;
}

/** An error name not in the table is judged by its status, as toStorageError does: a refusal is not bad input. */
function codeByStatus(status: number | undefined): string | undefined {
  if (status === undefined) return undefined;
  if (status === 401) return 'secret.unauthorized';
  if (status === 403) return 'secret.forbidden';
  if (status === 404) return 'secret.not-found';
  if (status === 429) return 'secret.throttled';
  if (status >= 500) return 'secret.server-error';
  return undefined;
}

export function toSecretError(thrown: unknown, ref: SecretReference, verb: string): SecretError {
  if (thrown instanceof SecretError) return thrown;
  const error = toError(thrown);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const errno = (error as { code?: unknown }).code;
  const code = codeByName[error.name] ?? codeByStatus(status) ?? (typeof errno === 'string' ? 'secret.unreachable' : 'secret.invalid');
  const context = { source: ref.source, secretId: ref.id, awsError: error.name, ...(status === undefined ? {} : { status }) };
  return new SecretError(code, `secret ${describeSecretReference(ref)}: ${verb} failed (${error.name}): ${redactSecrets(error.message)}`, context, { cause: redactCause(error) });
}
