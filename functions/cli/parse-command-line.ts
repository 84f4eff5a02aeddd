/** The options every command shares, parsed once with node:util parseArgs. */
import { parseArgs } from 'node:util';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { parseGoDuration } from '../core/go-duration.ts';
import { UsageError } from './usage-error.ts';

export const outputFormats = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof outputFormats)[number];

const options = {
  config: { type: 'string' },
  github: { type: 'string' },
  kubeconfig: { type: 'string' },
  'live-dir': { type: 'string' },
  'secrets-file': { type: 'string' },
  cluster: { type: 'string', multiple: true },
  selector: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  'report-dir': { type: 'string' },
  'from-wave': { type: 'string' },
  bake: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'no-enforce': { type: 'boolean' },
  fleet: { type: 'string' },
  clusters: { type: 'string' },
  port: { type: 'string' },
  'seed-dir': { type: 'string' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CommandLine {
  command: string | undefined;
  /** Positionals after the command (e.g. `up` in `regops sandbox up`). */
  rest: string[];
  values: {
    config?: string; github?: string; kubeconfig?: string; 'live-dir'?: string; 'secrets-file'?: string;
    cluster?: string[]; selector?: string[]; output?: string; 'report-dir'?: string; 'from-wave'?: string;
    bake?: string; timeout?: string; concurrency?: string; 'no-enforce'?: boolean; fleet?: string;
    clusters?: string; port?: string; 'seed-dir'?: string; url?: string; help?: boolean;
  };
}

/** Parses argv (without node and the script); unknown options are a usage error. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    const [command, ...rest] = parsed.positionals;
    return { command, rest, values: parsed.values };
  } catch (thrown) {
    throw new UsageError(thrown instanceof Error ? thrown.message : 'cannot parse the command line');
  }
}

/** `--cluster` (repeatable) and `--selector key=value` (repeatable, or comma-separated). */
export function readSelection(line: CommandLine): ClusterSelection {
  const selector: Record<string, string> = {};
  for (const item of (line.values.selector ?? []).flatMap((s) => s.split(','))) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--selector ${item}: expected key=value`);
    selector[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return { names: line.values.cluster ?? [], selector };
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
