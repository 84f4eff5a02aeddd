/**
 * `regops`: the command table and the usage. `regops --help` is answered from this file alone;
 * any other command line goes to run-command.ts, which imports the typed command's file only (the
 * libraries of the others never load, issue 12), checks its options and runs it.
 */
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { usage } from './usage.ts';

/** One line per command: its words and the file that holds it (imported when it is typed). */
const commands: Record<string, () => Promise<CliCommand>> = {
  validate: async () => (await import('./validate.ts')).validateCommand,
  plan: async () => (await import('./plan.ts')).planCommand,
  apply: async () => (await import('./rollout.ts')).applyCommand,
  rollout: async () => (await import('./rollout.ts')).rolloutCommand,
  drift: async () => (await import('./drift.ts')).driftCommand,
  import: async () => (await import('./import.ts')).importCommand,
  'sandbox up': async () => (await import('./sandbox-up.ts')).sandboxUpCommand,
  'sandbox down': async () => (await import('./sandbox-down.ts')).sandboxDownCommand,
  'testbed up': async () => (await import('./testbed-up.ts')).testbedUpCommand,
  'testbed down': async () => (await import('./testbed-down.ts')).testbedDownCommand,
};

/** Runs one command line; returns the exit code (never exits itself, so tests can call it). */
export async function runRegops(argv: readonly string[]): Promise<ExitCode> {
  const asked = argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h';
  if (argv.length === 0 || asked) {
    (asked ? process.stdout : process.stderr).write(usage);
    return asked ? exitCodes.ok : exitCodes.error;
  }
  const { runCommand } = await import('./run-command.ts');
  return runCommand(argv, commands, usage);
}

// Run when executed from source (`npm run regops`: tsx functions/cli/main.ts), not when imported by
// tests or by bin/regops.mjs (which calls runRegops on the build itself).
if (process.argv[1] !== undefined && /(?:^|[/\\])main\.ts$/.test(process.argv[1])) {
  // the AWS SDK warns on Node 20 about SDK releases after January 2027; regops pins its SDK
  // versions, so the notice says nothing about this command and buries its output
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.exitCode = await runRegops(process.argv.slice(2));
}
