/**
 * Retries of transient failures (429, 5xx, unreachable) with exponential backoff and full jitter,
 * honouring the server's Retry-After. Conflicts are not retried here: the caller re-reads and re-plans.
 */
import { RegopsError, toError } from '../core/errors.ts';
import type { Clock } from './ports.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

// Codes the adapters use for failures worth another try (functions/adapters/errors.ts).
const transientCodes = new Set([
  'cluster.unreachable',
  'cluster.throttled',
  'cluster.unavailable',
  'cluster.server-error',
  'cluster.timeout',
  'aws.throttled',
  'aws.unavailable',
  'aws.unreachable',
  'storage.throttled',
  'storage.server-error',
  'storage.unreachable',
  'secret.throttled',
  'secret.unreachable',
]);

/** True when the error is worth retrying as is (never a conflict, a rejection or a 404). */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof RegopsError)) return false;
  return transientCodes.has(error.code) || error.context['retryable'] === true;
}

/** The code of a regops error, or `internal` for anything else. */
export function errorCode(error: unknown): string {
  return error instanceof RegopsError ? error.code : 'internal';
}

/** The delay before the next attempt: Retry-After when the server sent one, else backoff with full jitter. */
export function computeDelay(error: unknown, attempt: number, policy: RetryPolicy, clock: Clock): number {
  const retryAfter = error instanceof RegopsError ? error.context['retryAfterMs'] : undefined;
  if (typeof retryAfter === 'number' && retryAfter >= 0) return Math.min(retryAfter, policy.maxDelayMs * 6);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (clock.random() * ceiling) / 2);
}

/**
 * A progress line for one retry, so a cluster that does not answer is visible while regops waits on
 * it (6 attempts of up to 30 s each are minutes): `cluster.unreachable (attempt 2 of 6, next in 0.4 s): …`.
 */
export function describeRetry(error: RegopsError, attempt: number, delayMs: number, policy: RetryPolicy): string {
  return `${error.code} (attempt ${attempt} of ${policy.attempts}, next in ${(delayMs / 1000).toFixed(1)} s): ${error.message}`;
}

/** Runs `action`, retrying transient failures; `onRetry` hears about each retry (for progress lines). */
export async function withRetry<T>(
  clock: Clock,
  action: () => Promise<T>,
  onRetry?: (error: RegopsError, attempt: number, delayMs: number) => void,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (thrown) {
      if (attempt >= policy.attempts || !isTransient(thrown)) throw toError(thrown);
      const delay = computeDelay(thrown, attempt, policy, clock);
      onRetry?.(thrown as RegopsError, attempt, delay);
      await clock.sleep(delay);
    }
  }
}
