/**
 * `regops`: finds the command, imports its file (only that one: the libraries of the others never
 * load, issue 12), checks the options it declares, runs it. Errors print `regops: <message> (<code>)`
 * and exit 1.
 */
import { RegopsError } from '../core/errors.ts';
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { ValidationFailedError } from '../engine/errors.ts';
import { helpOption, parseCommandLine } from './parse-command-line.ts';
import { suggestClosest } from './suggest-closest.ts';
import { usage } from './usage.ts';
import { UsageError } from './usage-error.ts';

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
};

/** The command the first one or two words name, and the arguments after them. */
function findCommand(argv: readonly string[]): { name: string; load: () => Promise<CliCommand>; args: string[] } {
  const [first = '', second = ''] = argv;
  for (const name of [`${first} ${second}`, first]) {
    const load = commands[name];
    if (load !== undefined) return { name, load, args: argv.slice(name.split(' ').length) };
  }
  if (first.startsWith('-')) throw new UsageError(`${first}: options go after the command (regops COMMAND [options])`);
  const subcommands = Object.keys(commands).filter((name) => name.startsWith(`${first} `));
  if (subcommands.length > 0) throw new UsageError(`${first}: expected ${subcommands.map((name) => `\`${name}\``).join(' or ')}`);
  const words = [...new Set(Object.keys(commands).map((name) => name.split(' ')[0] ?? name))];
  const close = suggestClosest(first, words);
  throw new UsageError(`unknown command ${first}${close === undefined ? '' : ` (did you mean ${close}?)`} (commands: ${words.join(', ')})`);
}

/** Runs one command line; returns the exit code (never exits itself, so tests can call it). */
export async function runRegops(argv: readonly string[]): Promise<ExitCode> {
  try {
    const asked = argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h';
    if (argv.length === 0 || asked) {
      (asked ? process.stdout : process.stderr).write(usage);
      return asked ? exitCodes.ok : exitCodes.error;
    }
    const found = findCommand(argv);
    const command = await found.load();
    const line = parseCommandLine(found.name, found.args, { ...command.options, ...helpOption });
    if (line.values.help === true) {
      process.stdout.write(usage);
      return exitCodes.ok;
    }
    return await command.run(line);
  } catch (thrown) {
    // output.ts (report renderers, report store) is imported here, not up front: --help needs none of it
    if (thrown instanceof ValidationFailedError) process.stderr.write((await import('./output.ts')).formatDiagnostics(thrown.diagnostics.filter((d) => d.severity === 'error')));
    const message = thrown instanceof Error ? thrown.message : 'unexpected failure';
    const code = thrown instanceof RegopsError ? ` (${thrown.code})` : '';
    process.stderr.write(`regops: ${message}${code}\n`);
    if (thrown instanceof UsageError) process.stderr.write('Run regops --help for usage.\n');
    if (!(thrown instanceof RegopsError) && thrown instanceof Error && process.env['REGOPS_DEBUG'] !== undefined) process.stderr.write(`${thrown.stack ?? ''}\n`);
    return exitCodes.error;
  }
}

// Run when executed from source (`npm run regops`: tsx functions/cli/main.ts), not when imported by
// tests or by bin/regops.mjs (which calls runRegops on the build itself).
if (process.argv[1] !== undefined && /(?:^|[/\\])main\.ts$/.test(process.argv[1])) {
  // the AWS SDK warns on Node 20 about SDK releases after January 2027; regops pins its SDK
  // versions, so the notice says nothing about this command and buries its output
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.exitCode = await runRegops(process.argv.slice(2));
}
