/**
 * One `regops` command as main.ts runs it: the options it accepts (parsed and checked before it
 * runs, so `regops validate --bake 5m` is refused) and what it does. Each command file exports one;
 * main.ts imports that file only when its command is typed, so no command pays for another's libraries.
 */
import type { ExitCode } from './exit-codes.ts';
import type { CommandLine, OptionDeclarations } from './parse-command-line.ts';

export interface CliCommand {
  readonly options: OptionDeclarations;
  run(line: CommandLine): Promise<ExitCode>;
}
