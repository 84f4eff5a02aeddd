/**
 * Maps what client-node throws (ApiException with a Status body, node-fetch system errors, aborts)
 * to ClusterError with the server's own message. No secret value survives: callers pass the forms
 * to redact, and the cause of a redacted error is a summary, not the raw exception.
 */
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import { toError } from '../../core/errors.ts';
import { ClusterError } from '../errors.ts';
import type { ErrorContext } from '../errors.ts';
import { redactSecretForms } from '../secrets/kubernetes-secret-data.ts';
import { redactSecrets } from '../secrets/redact-secrets.ts';

export interface FailedCall {
  cluster: string;
  /** `Config/cluster` (core/resource-ref.ts describeRef): the subject after the cluster. */
  resource: string;
  /** `read`, `create`, `patch`, `dry-run patch`, … */
  verb: string;
  /** Secret values (and their base64) that a server message could echo, with their digests. */
  redact: ReadonlyArray<{ form: string; digest: string }>;
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { retryAfterSeconds?: number; causes?: Array<{ field?: string; message?: string }> };
}

const codeByStatus: Record<number, { code: string; reason: string }> = {
  400: { code: 'cluster.invalid', reason: 'BadRequest' },
  401: { code: 'cluster.unauthorized', reason: 'Unauthorized' },
  403: { code: 'cluster.forbidden', reason: 'Forbidden' },
  404: { code: 'cluster.not-found', reason: 'NotFound' },
  405: { code: 'cluster.invalid', reason: 'MethodNotAllowed' },
  409: { code: 'cluster.conflict', reason: 'Conflict' },
  410: { code: 'cluster.conflict', reason: 'Gone' },
  415: { code: 'cluster.invalid', reason: 'UnsupportedMediaType' },
  422: { code: 'cluster.invalid', reason: 'Invalid' },
  429: { code: 'cluster.throttled', reason: 'TooManyRequests' },
  500: { code: 'cluster.server-error', reason: 'InternalError' },
  502: { code: 'cluster.server-error', reason: 'BadGateway' },
  503: { code: 'cluster.server-error', reason: 'ServiceUnavailable' },
  504: { code: 'cluster.timeout', reason: 'Timeout' },
};

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return parseStatus(JSON.parse(body) as unknown);
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

/** Retry-After in ms: header seconds or HTTP date, else Status details.retryAfterSeconds. */
function readRetryAfterMs(headers: Record<string, string>, status: StatusBody): number | undefined {
  const header = headers['retry-after'] ?? headers['Retry-After'];
  if (header !== undefined) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const fromBody = status.details?.retryAfterSeconds;
  return typeof fromBody === 'number' ? fromBody * 1000 : undefined;
}

function describeStatus(status: StatusBody, httpCode: number): string {
  if (status.message !== undefined && status.message !== '') return status.message;
  const causes = (status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
  return causes.length > 0 ? causes.join('; ') : `HTTP ${httpCode}`;
}

function findErrno(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    // system error codes look like ECONNRESET or ERR_TLS_CERT_ALTNAME_INVALID, never like regops' `a.b`
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    if (typeof errno === 'string' && /^[A-Z][A-Z0-9_]+$/.test(errno)) return errno;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * OpenSSL's certificate verification codes as node reports them (CERT_HAS_EXPIRED,
 * DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, …,
 * https://nodejs.org/api/tls.html#x509-certificate-error-codes) and TLS protocol failures (ERR_SSL_*):
 * none of them goes away by trying again.
 */
function isCertificateError(errno: string): boolean {
  return /CERT|CRL_|^ERR_TLS_|^ERR_SSL_|^UNABLE_TO_(GET|VERIFY|DECRYPT|DECODE)_|^INVALID_(CA|PURPOSE)$|^HOSTNAME_MISMATCH$|^PATH_LENGTH_EXCEEDED$/.test(errno);
}

/** The ClusterError for a failed call; `thrown` is anything client-node or node-fetch threw. */
export function toClusterError(thrown: unknown, call: FailedCall): ClusterError {
  const base: ErrorContext = { cluster: call.cluster, resource: call.resource, verb: call.verb };
  const subject = `cluster ${call.cluster}: ${call.resource}`;
  // every form of every value revealed so far (redact-secrets.ts), plus the call's own
  const redact = (text: string): string => redactSecrets(redactSecretForms(text, call.redact));
  const summarize = (cause: Error): Error => {
    const text = `${cause.name}: ${cause.message}`;
    return call.redact.length === 0 && redact(text) === text ? cause : new Error(redact(text));
  };

  if (thrown instanceof ClusterError) return thrown;
  if (thrown instanceof ApiException) {
    const status = parseStatus(thrown.body);
    const mapped = codeByStatus[thrown.code] ?? { code: thrown.code >= 500 ? 'cluster.server-error' : 'cluster.invalid', reason: `HTTP ${thrown.code}` };
    const reason = status.reason !== undefined && status.reason !== '' ? status.reason : mapped.reason;
    const context: ErrorContext = { ...base, status: thrown.code, reason };
    const retryAfterMs = thrown.code === 429 || thrown.code === 503 ? readRetryAfterMs(thrown.headers, status) : undefined;
    if (retryAfterMs !== undefined) context['retryAfterMs'] = retryAfterMs;
    const rejected = thrown.code >= 500 || thrown.code === 429 ? 'failed' : 'rejected';
    const message = `${subject}: ${call.verb} ${rejected} (${reason}): ${redact(describeStatus(status, thrown.code))}`;
    // the raw exception's message embeds the whole response body and headers: keep it out of redacted errors
    return new ClusterError(mapped.code, message, context, { cause: summarize(new Error(`HTTP ${thrown.code} ${reason}`)) });
  }
  const error = toError(thrown);
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return new ClusterError('cluster.unreachable', `${subject}: ${call.verb} failed: no answer within the request timeout`, { ...base, network: 'timeout' }, { cause: summarize(error) });
  }
  const errno = findErrno(error);
  if (errno !== undefined && isCertificateError(errno)) {
    // the server answered and its certificate was refused: asking again gets the same certificate,
    // so this is not cluster.unreachable (which the engine retries, functions/engine/retry.ts)
    return new ClusterError(
      'cluster.tls',
      `${subject}: ${call.verb} failed: the server's TLS certificate was not accepted (${errno}): ${redact(error.message)}; check the cluster's CA (kubeconfig certificate-authority-data, or caData in its connection secret) and the server name`,
      { ...base, network: errno },
      { cause: summarize(error) },
    );
  }
  if (errno !== undefined) {
    return new ClusterError('cluster.unreachable', `${subject}: ${call.verb} failed: unreachable (${errno}): ${redact(error.message)}`, { ...base, network: errno }, { cause: summarize(error) });
  }
  if (error.name === 'FetchError') {
    return new ClusterError('cluster.server-error', `${subject}: ${call.verb} failed: ${redact(error.message)}`, base, { cause: summarize(error) });
  }
  // KubernetesObjectApi throws this when discovery does not list the kind (CRD not installed)
  if (error.message.startsWith('Unrecognized API version and kind')) {
    return new ClusterError('cluster.not-found', `${subject}: ${call.verb} failed: the API server does not serve this kind (${error.message})`, base, { cause: error });
  }
  return new ClusterError('cluster.invalid', `${subject}: ${call.verb} failed: ${redact(error.message)}`, base, { cause: summarize(error) });
}
