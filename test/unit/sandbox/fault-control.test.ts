import { describe, expect, it } from 'vitest';
import { computeDelay, decideFault, sanitizeFaultSettings } from '../../../functions/sandbox/fault-control.ts';

describe('faults', () => {
  it.each([
    [{ down: true }, 0.99, 'reset'],
    [{ resetRate: 0.5 }, 0.4, 'reset'],
    [{ throttle429Rate: 1, retryAfterSeconds: 9 }, 0.5, 'status:429:9'],
    [{ error503Rate: 0.5 }, 0.4, 'status:503:1'],
    [{ error500Rate: 0.5 }, 0.6, 'pass'],
    [{}, 0, 'pass'],
  ])('%j with dice %s → %s', (settings, dice, expected) => {
    const decision = decideFault(settings, () => dice);
    expect(decision.kind === 'status' ? `status:${decision.code}:${decision.retryAfterSeconds}` : decision.kind).toBe(expected);
  });

  it('delay = latency + jitter × random; untrusted settings are filtered', () => {
    expect(computeDelay({ latencyMs: 100, jitterMs: 50 }, () => 0.5)).toBe(125);
    expect(sanitizeFaultSettings({ latencyMs: 5, down: 'yes', error500Rate: -1, bogus: 1 })).toEqual({ latencyMs: 5 });
  });
});
