/**
 * `--timeout` of rollout and drift as the engine's reconcile option: how long a patched cluster may
 * take to pass the health gate, polled every 2 s. No flag: the engine's own default applies.
 */
import type { CommandLine } from './parse-command-line.ts';
import { readDuration } from './parse-command-line.ts';

export interface HealthGateOption {
  reconcile?: { healthGate: { timeoutMs: number; pollMs: number } };
}

/** `{ reconcile: { healthGate } }` from `--timeout`, or `{}` without it; spread into the engine options. */
export function readHealthGate(line: CommandLine): HealthGateOption {
  const timeout = readDuration(line, 'timeout');
  return timeout === undefined ? {} : { reconcile: { healthGate: { timeoutMs: timeout * 1000, pollMs: 2_000 } } };
}
