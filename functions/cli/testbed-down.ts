/** `regops testbed down`: SIGTERM to the `regops testbed up` process, which stops every process it started. */
import { readFile } from 'node:fs/promises';
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { testbedStateFile } from './testbed-up.ts';
import { UsageError } from './usage-error.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function runTestbedDown(): Promise<ExitCode> {
  const state = JSON.parse(await readFile(testbedStateFile, 'utf8').catch(() => '{}')) as { pid?: unknown };
  if (typeof state.pid !== 'number') throw new UsageError(`testbed down: no running testbed recorded in ${testbedStateFile}`);
  const pid = state.pid;
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  // `up` stops the operators, control planes and moto before it exits
  const deadline = Date.now() + 120_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  if (alive(pid)) {
    process.stderr.write(`regops testbed: process ${pid} still running after 120 s\n`);
    return exitCodes.error;
  }
  process.stdout.write(`regops testbed: stopped (pid ${pid})\n`);
  return exitCodes.ok;
}

export const testbedDownCommand: CliCommand = { options: {}, run: runTestbedDown };
