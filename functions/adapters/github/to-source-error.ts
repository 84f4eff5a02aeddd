/** Maps what @octokit/rest throws (RequestError with a status, or a failed fetch) to SourceError. */
import { toError } from '../../core/errors.ts';
import { SourceError } from '../errors.ts';
import type { ErrorContext } from '../errors.ts';
import { redactCause } from '../secrets/redact-cause.ts';
import { redactSecrets } from '../secrets/redact-secrets.ts';

interface OctokitFailure {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function readHeader(failure: OctokitFailure, name: string): string | undefined {
  const value = failure.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** `subject` is e.g. `github acme/fleet@main: clusters/x/registry.yaml`. */
export function toSourceError(thrown: unknown, subject: string, verb: string, context: ErrorContext): SourceError {
  if (thrown instanceof SourceError) return thrown;
  const error = toError(thrown);
  const failure = thrown as OctokitFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  // octokit reports a failed fetch as status 500 with no response
  if (status === undefined || failure.response === undefined) {
    return new SourceError('source.unreachable', `${subject}: ${verb} failed: ${redactSecrets(error.message)}`, context, { cause: redactCause(error) });
  }
  const data = failure.response.data;
  const serverMessage = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : error.message;
  const full: ErrorContext = { ...context, status };
  let code: string;
  if (status === 404) code = 'source.not-found';
  else if (status === 401) code = 'source.unauthorized';
  else if (status === 429 || (status === 403 && readHeader(failure, 'x-ratelimit-remaining') === '0')) {
    code = 'source.throttled';
    const retryAfter = Number(readHeader(failure, 'retry-after'));
    const reset = Number(readHeader(failure, 'x-ratelimit-reset'));
    if (Number.isFinite(retryAfter) && readHeader(failure, 'retry-after') !== undefined) full['retryAfterMs'] = retryAfter * 1000;
    else if (Number.isFinite(reset) && readHeader(failure, 'x-ratelimit-reset') !== undefined) full['retryAfterMs'] = Math.max(0, reset * 1000 - Date.now());
  } else if (status === 403) code = 'source.forbidden';
  else if (status >= 500) code = 'source.server-error';
  else code = 'source.invalid';
  // a GitHub API (or a proxy before it) may echo the token: the server's words are redacted, and the
  // cause keeps no response (RequestError carries the whole response data)
  return new SourceError(code, `${subject}: ${verb} failed (${status}): ${redactSecrets(serverMessage)}`, full, { cause: redactCause(error) });
}
