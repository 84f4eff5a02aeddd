/**
 * The `cause` an adapter error keeps of what a client library threw: an Error of the same name
 * whose message is redacted (redact-secrets.ts), with the plain facts a caller may test (HTTP
 * status, system error code) copied over. The original is dropped: octokit's RequestError and the
 * AWS SDK's service exceptions carry the whole response (and a server may echo a token or a value
 * in it), and util.inspect / a logger printing the cause chain would print it all.
 */
import { toError } from '../../core/errors.ts';
import { redactSecrets } from './redact-secrets.ts';

/** A redacted stand-in for `thrown`, safe to keep as an error's cause. */
export function redactCause(thrown: unknown): Error {
  const error = toError(thrown);
  const summary = new Error(redactSecrets(error.message));
  summary.name = error.name;
  const facts = error as { status?: unknown; code?: unknown; errno?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const copy = summary as Error & Record<string, unknown>;
  if (typeof facts.status === 'number') copy['status'] = facts.status;
  if (typeof facts.code === 'string' || typeof facts.code === 'number') copy['code'] = facts.code;
  if (typeof facts.errno === 'string' || typeof facts.errno === 'number') copy['errno'] = facts.errno;
  if (typeof facts.$metadata?.httpStatusCode === 'number') copy['$metadata'] = { httpStatusCode: facts.$metadata.httpStatusCode };
  return summary;
}
