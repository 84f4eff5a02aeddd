/**
 * `regops COMMAND --help`: the command's line of the usage (usage.ts, from main.ts) and the options that command
 * declares (its CliCommand), one line each, in the order it declares them. Built from the declarations
 * parseArgs reads (each carries its help line: parse-command-line.ts optionCatalog), so the help cannot
 * offer an option the command would refuse, nor miss one it takes, nor describe one apart from its parsing.
 */
import type { OptionDeclaration, OptionDeclarations } from './parse-command-line.ts';

/** The usage line of `command` (`plan`, `sandbox up`): what it does, as `regops --help` says it. */
function describeCommand(command: string, usage: string): string {
  const words = command.split(' ');
  const line = usage.split('\n').find((l) => l.trimStart().startsWith(`regops ${words[0] ?? ''} `));
  // the text after the command's words and arguments: the last run of two or more spaces starts it
  return line === undefined ? '' : (line.split(/\s{2,}/).at(-1) ?? '').trim();
}

/** `usage` is usage.ts's text, passed in by main.ts: imported here, esbuild would split it into a chunk of its own, one more file for `regops --help` to load. */
export function formatCommandHelp(command: string, options: OptionDeclarations, usage: string): string {
  // each declaration is the catalog's (parse-command-line.ts optionCatalog): the help line parseArgs was given with it
  const rows = Object.entries(options).map(([name, declaration]: [string, OptionDeclaration]) => {
    const flag = `${declaration.short === undefined ? '    ' : `-${declaration.short}, `}--${name}${declaration.value === undefined ? '' : ` ${declaration.value}`}`;
    return `  ${flag.padEnd(30)} ${declaration.help}`;
  });
  return [`regops ${command}: ${describeCommand(command, usage)}`, '', `Usage: regops ${command} [options]`, ...rows, '', 'Exit codes: 0 success, 2 changes (plan) or drift (drift), 1 error. All commands: regops --help', ''].join('\n');
}
