import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../functions/cli/parse-command-line.ts';
import { readHealthGate } from '../../../functions/cli/read-health-gate.ts';

describe('readHealthGate', () => {
  it.each([
    { argv: ['rollout'], expected: {} },
    { argv: ['rollout', '--timeout', '60s'], expected: { reconcile: { healthGate: { timeoutMs: 60_000, pollMs: 2_000 } } } },
    { argv: ['drift', '--timeout', '1h30m'], expected: { reconcile: { healthGate: { timeoutMs: 5_400_000, pollMs: 2_000 } } } },
  ])('$argv', ({ argv, expected }) => {
    expect(readHealthGate(parseCommandLine(argv))).toEqual(expected);
  });

  it('refuses a timeout that is not a duration', () => {
    expect(() => readHealthGate(parseCommandLine(['drift', '--timeout', 'soon']))).toThrow('--timeout soon: expected a duration');
  });
});
