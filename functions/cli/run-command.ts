/**
 * Runs one command line once main.ts has ruled out `regops --help`: finds the command in main.ts's
 * table, imports its file, checks the options it declares, runs it, and turns what it throws into
 * `regops: <message> (<code>)` on stderr and exit 1. A file of its own so `regops --help` loads none
 * of this (issue 12: --help within 2× of `kubectl version --client`).
 */
import { RegopsError } from '../core/errors.ts';
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { ValidationFailedError } from '../engine/errors.ts';
import { helpOption, parseCommandLine } from './parse-command-line.ts';
import { suggestClosest } from './suggest-closest.ts';
import { UsageError } from './usage-error.ts';

/** Command words (`plan`, `sandbox up`) → the import of the file holding that command. */
export type CommandTable = Readonly<Record<string, () => Promise<CliCommand>>>;

/** The command the first one or two words name, and the arguments after them. */
function findCommand(argv: readonly string[], commands: CommandTable): { name: string; load: () => Promise<CliCommand>; args: string[] } {
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

/** The command's exit code; `regops COMMAND --help` prints that command's options (format-command-help.ts) and exits 0. */
export async function runCommand(argv: readonly string[], commands: CommandTable, usage: string): Promise<ExitCode> {
  try {
    const found = findCommand(argv, commands);
    const command = await found.load();
    const options = { ...command.options, ...helpOption };
    const line = parseCommandLine(found.name, found.args, options);
    if (line.values.help === true) {
      process.stdout.write((await import('./format-command-help.ts')).formatCommandHelp(found.name, options, usage));
      return exitCodes.ok;
    }
    return await command.run(line);
  } catch (thrown) {
    // imported here: format-diagnostics.ts pulls in core/validate.ts (the CRD schemas), which a usage error never needs
    if (thrown instanceof ValidationFailedError) process.stderr.write((await import('./format-diagnostics.ts')).formatDiagnostics(thrown.diagnostics.filter((d) => d.severity === 'error')));
    const message = thrown instanceof Error ? thrown.message : 'unexpected failure';
    const code = thrown instanceof RegopsError ? ` (${thrown.code})` : '';
    process.stderr.write(`regops: ${message}${code}\n`);
    if (thrown instanceof UsageError) process.stderr.write('Run regops --help for usage.\n');
    if (!(thrown instanceof RegopsError) && thrown instanceof Error && process.env['REGOPS_DEBUG'] !== undefined) process.stderr.write(`${thrown.stack ?? ''}\n`);
    return exitCodes.error;
  }
}
