/**
 * `regops COMMAND --help`: the command's line of the usage (usage.ts, from main.ts) and the options that command
 * declares (its CliCommand), one line each, in the order it declares them. Built from the declaration
 * itself, so the help cannot offer an option the command would refuse, nor miss one it takes.
 */
import type { OptionDeclarations, OptionValues } from './parse-command-line.ts';

/** Every option's value placeholder and one-line description; the type makes a new option add its line. */
const optionLines: { readonly [K in keyof Required<OptionValues>]: { value?: string; text: string } } = {
  'config': { value: 'DIR', text: 'local config repository holding fleet.yaml (default ./config)' },
  'github': { value: 'OWNER/REPO[@REF]', text: 'a commit or branch on GitHub (token from GITHUB_TOKEN)' },
  'kubeconfig': { value: 'FILE', text: 'else KUBECONFIG, else ~/.kube/config (contexts: fleet.yaml names)' },
  'live-dir': { value: 'DIR', text: 'saved `oc get -o yaml` output, DIR/<cluster>/*.yaml' },
  'secrets-file': { value: 'FILE', text: 'secret values from a JSON or KEY=value file instead of AWS' },
  'cluster': { value: 'NAME', text: 'a cluster by name (repeatable)' },
  'selector': { value: 'key=value', text: 'clusters carrying these labels (repeatable or comma-separated)' },
  'output': { value: 'FORMAT', text: 'text (default; coloured on a terminal), json (regops/v1), markdown' },
  'report-dir': { value: 'DIR', text: 'also write latest/<kind>.json|.md, latest/index.html and history/' },
  'from-wave': { value: 'NAME', text: 'start at this wave (resume after a halt)' },
  'bake': { value: 'DURATION', text: 'pause after a wave that changed something (default: bakeTime)' },
  'timeout': { value: 'DURATION', text: 'how long a cluster may take to pass the health gate (default 10m)' },
  'concurrency': { value: 'N', text: 'clusters at once (plan 20, apply 5, drift 50)' },
  'no-enforce': { text: 'report only, correct nothing, whatever the policy says' },
  'fleet': { value: 'FILE', text: 'the fleet.yaml naming the clusters' },
  'clusters': { value: 'N', text: 'N generated clusters instead of a fleet file' },
  'port': { value: 'N', text: 'the port to listen on (default: a free one)' },
  'seed-dir': { value: 'DIR', text: 'start clusters from saved oc get -o yaml output, DIR/<cluster>/' },
  'url': { value: 'URL', text: 'the sandbox to stop (default: the one `sandbox up` started here)' },
  'help': { text: 'this help' },
  'out': { value: 'DIR', text: 'the folder the config repository is written to' },
  'buckets': { text: "also read each Unmanaged S3 bucket's encryption and tags (AWS)" },
  'approve': { value: 'WAVE', text: 'approve this wave ahead (approval: required; repeatable)' },
  'approver': { value: 'NAME', text: 'who approves, for the report (default: the login name)' },
};

/** The usage line of `command` (`plan`, `sandbox up`): what it does, as `regops --help` says it. */
function describeCommand(command: string, usage: string): string {
  const words = command.split(' ');
  const line = usage.split('\n').find((l) => l.trimStart().startsWith(`regops ${words[0] ?? ''} `));
  // the text after the command's words and arguments: the last run of two or more spaces starts it
  return line === undefined ? '' : (line.split(/\s{2,}/).at(-1) ?? '').trim();
}

/** `usage` is usage.ts's text, passed in by main.ts: imported here, esbuild would split it into a chunk of its own, one more file for `regops --help` to load. */
export function formatCommandHelp(command: string, options: OptionDeclarations, usage: string): string {
  const rows = Object.entries(options).map(([name, declaration]) => {
    const { value, text } = optionLines[name as keyof OptionValues];
    const flag = `${declaration.short === undefined ? '    ' : `-${declaration.short}, `}--${name}${value === undefined ? '' : ` ${value}`}`;
    return `  ${flag.padEnd(30)} ${text}`;
  });
  return [`regops ${command}: ${describeCommand(command, usage)}`, '', `Usage: regops ${command} [options]`, ...rows, '', 'Exit codes: 0 success, 2 changes (plan) or drift (drift), 1 error. All commands: regops --help', ''].join('\n');
}
