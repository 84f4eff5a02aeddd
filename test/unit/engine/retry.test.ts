import { describe, expect, it } from 'vitest';
import { RegopsError } from '../../../functions/core/errors.ts';
import { computeDelay, isTransient, withRetry } from '../../../functions/engine/retry.ts';
import { FakeClock } from '../../support/in-memory-ports.ts';

describe('withRetry', () => {
  it('retries throttling and 5xx, honouring Retry-After, then succeeds', async () => {
    const clock = new FakeClock();
    const errors = [
      new RegopsError('cluster.throttled', 'cluster c: 429', { retryAfterMs: 3_000 }),
      new RegopsError('cluster.server-error', 'cluster c: 503'),
    ];
    let calls = 0;
    const value = await withRetry(clock, async () => {
      calls += 1;
      const next = errors.shift();
      if (next !== undefined) throw next;
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.sleeps[0]).toBe(3_000);
    expect(clock.sleeps).toHaveLength(2);
  });

  it.each([
    ['cluster.conflict', false],
    ['cluster.invalid', false],
    ['cluster.not-found', false],
    ['cluster.unreachable', true],
    ['cluster.timeout', true],
  ])('%s transient: %s', (code, transient) => {
    expect(isTransient(new RegopsError(code, 'x'))).toBe(transient);
  });

  it('gives up after the attempts allowed with the last error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await expect(
      withRetry(clock, async () => {
        calls += 1;
        throw new RegopsError('cluster.server-error', `cluster c: 503 #${calls}`);
      }, undefined, { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 }),
    ).rejects.toThrow('cluster c: 503 #4');
    expect(calls).toBe(4);
  });

  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    const clock = new FakeClock();
    const policy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };
    for (const [attempt, ceiling] of [[1, 200], [2, 400], [3, 800], [8, 10_000]] as const) {
      const delay = computeDelay(new RegopsError('cluster.server-error', 'x'), attempt, policy, clock);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
