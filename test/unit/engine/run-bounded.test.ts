import { describe, expect, it } from 'vitest';
import { runBounded } from '../../../functions/engine/run-bounded.ts';

describe('runBounded', () => {
  it('never has more than the limit in flight and keeps result order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });
  it('stops starting new items when told', async () => {
    let started = 0;
    const results = await runBounded([1, 2, 3, 4], 1, async (n) => { started += 1; return n; }, () => started < 2);
    expect(results).toEqual([1, 2, undefined, undefined]);
  });
});
