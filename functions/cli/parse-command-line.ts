/**
 * The command line of one command, parsed with node:util parseArgs against the options that command
 * declares (each command file exports its own; the groups below are what several share): an option
 * that is not the command's is a usage error naming it and the command, with a did-you-mean.
 */
import { parseArgs } from 'node:util';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { parseGoDuration } from '../core/go-duration.ts';
import { LabelSelectorError, parseLabelSelector } from '../core/parse-label-selector.ts';
import { suggestClosest } from './suggest-closest.ts';
import { UsageError } from './usage-error.ts';

export const outputFormats = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** Every option some command takes, typed; a command's declaration picks from these. */
export interface OptionValues {
  config?: string; github?: string; kubeconfig?: string; 'live-dir'?: string; 'secrets-file'?: string;
  cluster?: string[]; selector?: string[]; output?: string; 'report-dir'?: string; 'from-wave'?: string;
  bake?: string; timeout?: string; concurrency?: string; 'no-enforce'?: boolean; fleet?: string;
  clusters?: string; port?: string; 'seed-dir'?: string; url?: string; help?: boolean; out?: string; buckets?: boolean; approve?: string[]; approver?: string;
}

type Declaration<V> = V extends boolean ? { type: 'boolean'; short?: string } : V extends readonly string[] ? { type: 'string'; multiple: true; short?: string } : { type: 'string'; short?: string };

/** The options a command accepts, in parseArgs' shape; the type keeps each one's kind as OptionValues has it. */
export type OptionDeclarations = { readonly [K in keyof OptionValues]?: Declaration<NonNullable<OptionValues[K]>> };

/** Where the desired state comes from: every command that reads the config repository. */
export const sourceOptions = { config: { type: 'string' }, github: { type: 'string' } } as const satisfies OptionDeclarations;
/** Where the live state comes from: plan, apply, rollout, drift. */
export const clusterOptions = { kubeconfig: { type: 'string' }, 'live-dir': { type: 'string' }, 'secrets-file': { type: 'string' } } as const satisfies OptionDeclarations;
export const selectionOptions = { cluster: { type: 'string', multiple: true }, selector: { type: 'string', multiple: true } } as const satisfies OptionDeclarations;
export const outputOption = { output: { type: 'string', short: 'o' } } as const satisfies OptionDeclarations;
/** A report on stdout and, with --report-dir, in files. */
export const reportOptions = { ...outputOption, 'report-dir': { type: 'string' } } as const satisfies OptionDeclarations;
/** Every command takes --help (main.ts adds it). */
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionDeclarations;

export interface CommandLine {
  /** The command as typed (`plan`, `sandbox up`). */
  command: string;
  values: OptionValues;
}

/** `--name` or `-n/--name` for a message. */
function showOption(name: string, declaration: { short?: string }): string {
  return declaration.short === undefined ? `--${name}` : `-${declaration.short}/--${name}`;
}

/**
 * Parses the arguments after the command word(s) against the command's options: an option it does
 * not declare, a positional, a missing value are usage errors that name the command.
 */
export function parseCommandLine(command: string, args: readonly string[], options: OptionDeclarations): CommandLine {
  // first pass without strict: every option token with its name, to name each stranger at once
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  const known = Object.keys(options);
  const unknown = [...new Set(tokens.flatMap((t) => (t.kind === 'option' && !Object.hasOwn(options, t.name) ? [t.rawName] : [])))];
  if (unknown.length > 0) {
    const named = unknown.map((raw) => {
      const close = suggestClosest(raw.replace(/^-+/, ''), known);
      return `${raw} is not an option of ${command}${close === undefined ? '' : ` (did you mean --${close}?)`}`;
    });
    const accepted = Object.entries(options).map(([name, declaration]) => showOption(name, declaration)).join(', ');
    throw new UsageError(`${command}: ${named.join('; ')}; ${command} takes ${accepted}`);
  }
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > 0) throw new UsageError(`${command}: unexpected argument ${parsed.positionals.join(' ')} (options start with --)`);
    // OptionDeclarations ties each option's type and `multiple` to its OptionValues field, which
    // parseArgs cannot see through a declaration typed as a whole
    return { command, values: parsed.values as unknown as OptionValues };
  } catch (thrown) {
    if (thrown instanceof UsageError) throw thrown;
    throw new UsageError(`${command}: ${thrown instanceof Error ? thrown.message : 'cannot parse the command line'}`);
  }
}

/** `--cluster` (repeatable) and `--selector key=value` (repeatable, or comma-separated). */
/**
 * --cluster names and --selector label selectors, parsed as Kubernetes does (core/parse-label-selector.ts:
 * `=`, `==`, `!=`, `in`, `notin`, exists, `!key`); each --selector whole, since `in (a,b)` holds commas.
 */
export function readSelection(line: CommandLine): ClusterSelection {
  const requirements = (line.values.selector ?? []).flatMap((text) => {
    try {
      return parseLabelSelector(text);
    } catch (thrown) {
      // its message already names the --selector and what is wrong
      if (thrown instanceof LabelSelectorError) throw new UsageError(thrown.message);
      throw thrown;
    }
  });
  return { names: line.values.cluster ?? [], selector: {}, ...(requirements.length === 0 ? {} : { requirements }) };
}

export function readOutputFormat(line: CommandLine): OutputFormat {
  const value = line.values.output ?? 'text';
  if (!(outputFormats as readonly string[]).includes(value)) throw new UsageError(`-o ${value}: expected one of ${outputFormats.join(', ')}`);
  return value as OutputFormat;
}

/** A Go-style duration option (`30s`, `5m`) in seconds, or undefined when absent. */
export function readDuration(line: CommandLine, name: 'bake' | 'timeout'): number | undefined {
  const text = line.values[name];
  if (text === undefined) return undefined;
  const seconds = parseGoDuration(text);
  if (seconds === undefined) throw new UsageError(`--${name} ${text}: expected a duration such as 30s, 5m or 1h30m`);
  return seconds;
}

export function readPositiveInteger(line: CommandLine, name: 'concurrency' | 'clusters' | 'port', allowZero = false): number | undefined {
  const text = line.values[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new UsageError(`--${name} ${text}: expected a whole number${allowZero ? '' : ' above 0'}`);
  return value;
}
