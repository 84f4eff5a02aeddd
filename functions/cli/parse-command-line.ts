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

/** One option: its kind as parseArgs reads it and its line of `regops COMMAND --help` (format-command-help.ts). */
export interface OptionDeclaration {
  readonly type: 'string' | 'boolean';
  readonly multiple?: true;
  readonly short?: string;
  /** The value's placeholder in the help (`DIR`); a flag has none. */
  readonly value?: string;
  readonly help: string;
}

/**
 * Every option some command takes, declared once: how parseArgs reads it and what the help says of it.
 * A command takes its options by name from here (pickOptions), so its parsing and its --help come
 * from the same object and cannot disagree; parseArgs ignores the help fields.
 */
export const optionCatalog = {
  config: { type: 'string', value: 'DIR', help: 'local config repository holding fleet.yaml (default ./config)' },
  github: { type: 'string', value: 'OWNER/REPO[@REF]', help: 'a commit or branch on GitHub (token from GITHUB_TOKEN)' },
  kubeconfig: { type: 'string', value: 'FILE', help: 'else KUBECONFIG, else ~/.kube/config (contexts: fleet.yaml names)' },
  'live-dir': { type: 'string', value: 'DIR', help: 'saved `oc get -o yaml` output, DIR/<cluster>/*.yaml' },
  'secrets-file': { type: 'string', value: 'FILE', help: 'secret values from a JSON or KEY=value file instead of AWS' },
  cluster: { type: 'string', multiple: true, value: 'NAME', help: 'a cluster by name (repeatable)' },
  selector: { type: 'string', multiple: true, value: 'key=value', help: 'clusters carrying these labels (repeatable or comma-separated)' },
  output: { type: 'string', short: 'o', value: 'FORMAT', help: 'text (default; coloured on a terminal), json (regops/v1), markdown' },
  'report-dir': { type: 'string', value: 'DIR', help: 'also write latest/<kind>.json|.md, latest/index.html and history/' },
  'from-wave': { type: 'string', value: 'NAME', help: 'start at this wave (resume after a halt)' },
  bake: { type: 'string', value: 'DURATION', help: 'pause after a wave that changed something (default: bakeTime)' },
  timeout: { type: 'string', value: 'DURATION', help: 'how long a cluster may take to pass the health gate (default 10m)' },
  concurrency: { type: 'string', value: 'N', help: 'clusters at once (plan 20, apply 5, drift 50)' },
  'no-enforce': { type: 'boolean', help: 'report only, correct nothing, whatever the policy says' },
  fleet: { type: 'string', value: 'FILE', help: 'the fleet.yaml naming the clusters' },
  clusters: { type: 'string', value: 'N', help: 'N generated clusters instead of a fleet file' },
  port: { type: 'string', value: 'N', help: 'the port to listen on (default: a free one)' },
  'seed-dir': { type: 'string', value: 'DIR', help: 'start clusters from saved oc get -o yaml output, DIR/<cluster>/' },
  url: { type: 'string', value: 'URL', help: 'the sandbox to stop (default: the one `sandbox up` started here)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  out: { type: 'string', value: 'DIR', help: 'the folder the config repository is written to' },
  buckets: { type: 'boolean', help: "also read each Unmanaged S3 bucket's encryption and tags (AWS)" },
  approve: { type: 'string', multiple: true, value: 'WAVE', help: 'approve this wave ahead (approval: required; repeatable)' },
  approver: { type: 'string', value: 'NAME', help: 'you at the keyboard (default: login); fleet approvers: AWS only' },
} as const satisfies Record<string, OptionDeclaration>;

type OptionCatalog = typeof optionCatalog;
export type OptionName = keyof OptionCatalog;

/** What parseArgs gives for each option: a flag a boolean, a repeatable option a list, any other a string. */
export type OptionValues = { [K in OptionName]?: OptionCatalog[K] extends { type: 'boolean' } ? boolean : OptionCatalog[K] extends { multiple: true } ? string[] : string };

/** The options a command accepts, each as the catalog declares it. */
export type OptionDeclarations = { readonly [K in OptionName]?: OptionCatalog[K] };

/** The catalog's declarations of these options, in this order (the order --help lists them in). */
export function pickOptions<N extends OptionName>(...names: readonly N[]): Pick<OptionCatalog, N> {
  return Object.fromEntries(names.map((name) => [name, optionCatalog[name]])) as Pick<OptionCatalog, N>;
}

/** Where the desired state comes from: every command that reads the config repository. */
export const sourceOptions = pickOptions('config', 'github');
/** Where the live state comes from: plan, apply, rollout, drift. */
export const clusterOptions = pickOptions('kubeconfig', 'live-dir', 'secrets-file');
export const selectionOptions = pickOptions('cluster', 'selector');
export const outputOption = pickOptions('output');
/** A report on stdout and, with --report-dir, in files. */
export const reportOptions = pickOptions('output', 'report-dir');
/** Every command takes --help (main.ts adds it). */
export const helpOption = pickOptions('help');

export interface CommandLine {
  /** The command as typed (`plan`, `sandbox up`). */
  command: string;
  values: OptionValues;
}

/** `--name` or `-n/--name` for a message. */
function showOption(name: string, declaration: OptionDeclaration): string {
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
