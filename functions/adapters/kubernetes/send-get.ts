/**
 * One GET straight over node:http(s), for the drift scan's hot path (kube-cluster-client.ts says
 * why). It fails the way client-node's fetch does, so toClusterError maps both paths alike: a
 * non-2xx answer is an ApiException with the parsed body and the headers, a socket error is a
 * node-fetch-shaped FetchError (`request to URL failed, reason: …`, with the system error code), a
 * timeout is an AbortError.
 */
import { request as requestHttp } from 'node:http';
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as requestHttps } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';
import { ApiException } from '@kubernetes/client-node';

export interface GetRequest {
  url: string;
  headers: Record<string, string>;
  /** undefined only for a plain http server: node's global agent. */
  agent: HttpAgent | HttpsAgent | undefined;
  timeoutMs: number;
}

/** A 2xx answer's parsed JSON body, or a redirect (node-fetch would follow it: the caller hands it back to client-node). */
export type GetAnswer = { kind: 'body'; body: unknown } | { kind: 'redirect'; status: number };

/** node-fetch's FetchError as it wraps a system error, so messages and codes stay what they were. */
class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly code: string | undefined;
  readonly errno: string | undefined;
  readonly type = 'system';

  constructor(message: string, systemError: NodeJS.ErrnoException) {
    super(message);
    this.code = systemError.code;
    this.errno = systemError.code;
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The error a timed-out request fails with: an AbortError, as node-fetch's under client-node's AbortSignal.timeout. */
function createTimeoutError(timeoutMs: number): Error {
  const error = new Error(`The operation was aborted: no answer within ${timeoutMs} ms`);
  error.name = 'AbortError';
  return error;
}

/** GETs `url`: the parsed JSON body of a 2xx answer; rejects as described above. */
export function sendGet(get: GetRequest): Promise<GetAnswer> {
  return new Promise((resolve, reject) => {
    const send = get.url.startsWith('https:') ? requestHttps : requestHttp;
    let timedOut: Error | undefined;
    let response: IncomingMessage | undefined;
    const fail = (error: unknown, what: (message: string) => string): void => {
      clearTimeout(timer);
      const systemError = error as NodeJS.ErrnoException;
      // once the timer fired, whatever the torn-down socket reports is that timeout
      reject(timedOut ?? (systemError.name === 'AbortError' ? systemError : new FetchError(what(systemError.message), systemError)));
    };
    const options = { method: 'GET', headers: get.headers, ...(get.agent === undefined ? {} : { agent: get.agent }) };
    const req = send(get.url, options, (res) => {
      response = res;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => fail(error, (message) => `Invalid response body while trying to fetch ${get.url}: ${message}`));
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (status >= 200 && status <= 299) {
          try {
            resolve({ kind: 'body', body: JSON.parse(text) as unknown });
          } catch (error) {
            reject(error);
          }
        } else if (status >= 300 && status <= 399 && res.headers.location !== undefined) {
          resolve({ kind: 'redirect', status });
        } else {
          reject(new ApiException(status, `HTTP ${status}`, parseBody(text), flattenHeaders(res.headers)));
        }
      });
    });
    // a whole-request deadline like client-node's AbortSignal.timeout, from a plain timer: an
    // AbortSignal per request (signal, listeners, abort plumbing) cost ~25 µs of CPU per GET
    const timer = setTimeout(() => {
      timedOut = createTimeoutError(get.timeoutMs);
      req.destroy(timedOut);
      response?.destroy(timedOut);
    }, get.timeoutMs);
    req.on('error', (error) => fail(error, (message) => `request to ${get.url} failed, reason: ${message}`));
    req.end();
  });
}
