import { describe, expect, it } from 'vitest';
import { driftCommand } from '../../../functions/cli/drift.ts';
import { parseCommandLine } from '../../../functions/cli/parse-command-line.ts';
import { rolloutCommand } from '../../../functions/cli/rollout.ts';

const commands = { rollout: rolloutCommand, drift: driftCommand };
import { readHealthGate } from '../../../functions/cli/read-health-gate.ts';

describe('readHealthGate', () => {
  it.each([
    { argv: ['rollout'] as const, expected: {} },
    { argv: ['rollout', '--timeout', '60s'] as const, expected: { reconcile: { healthGate: { timeoutMs: 60_000, pollMs: 2_000 } } } },
    { argv: ['drift', '--timeout', '1h30m'] as const, expected: { reconcile: { healthGate: { timeoutMs: 5_400_000, pollMs: 2_000 } } } },
  ])('$argv', ({ argv, expected }) => {
    const [command, ...args] = argv;
    expect(readHealthGate(parseCommandLine(command, args, commands[command].options))).toEqual(expected);
  });

  it('refuses a timeout that is not a duration', () => {
    expect(() => readHealthGate(parseCommandLine('drift', ['--timeout', 'soon'], driftCommand.options))).toThrow('--timeout soon: expected a duration');
  });
});
