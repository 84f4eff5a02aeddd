/** `regops`: dispatch to one command; errors print `regops: <message> (<code>)` and exit 1. */
import { RegopsError } from '../core/errors.ts';
import { runDrift } from './drift.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { ValidationFailedError } from '../engine/errors.ts';
import { formatDiagnostics } from './output.ts';
import { parseCommandLine, type CommandLine } from './parse-command-line.ts';
import { runPlan } from './plan.ts';
import { runRollout } from './rollout.ts';
import { runSandboxDown } from './sandbox-down.ts';
import { runSandboxUp } from './sandbox-up.ts';
import { usage } from './usage.ts';
import { UsageError } from './usage-error.ts';
import { runValidate } from './validate.ts';

const commands: Record<string, (line: CommandLine) => Promise<ExitCode>> = {
  validate: runValidate,
  plan: runPlan,
  apply: (line) => runRollout(line, 'apply'),
  rollout: (line) => runRollout(line, 'rollout'),
  drift: runDrift,
  sandbox: (line) => {
    if (line.rest[0] === 'up') return runSandboxUp(line);
    if (line.rest[0] === 'down') return runSandboxDown(line);
    throw new UsageError('sandbox: expected `sandbox up` or `sandbox down`');
  },
};

/** Runs one command line; returns the exit code (never exits itself, so tests can call it). */
export async function runRegops(argv: readonly string[]): Promise<ExitCode> {
  try {
    const line = parseCommandLine(argv);
    if (line.values.help === true || line.command === undefined || line.command === 'help') {
      const asked = line.command !== undefined || line.values.help === true;
      (asked ? process.stdout : process.stderr).write(usage);
      return asked ? exitCodes.ok : exitCodes.error;
    }
    const command = commands[line.command];
    if (command === undefined) throw new UsageError(`unknown command ${line.command} (commands: ${Object.keys(commands).join(', ')})`);
    const extra = line.rest.slice(line.command === 'sandbox' ? 1 : 0);
    if (extra.length > 0) throw new UsageError(`${line.command}: unexpected argument ${extra.join(' ')} (options start with --)`);
    return await command(line);
  } catch (thrown) {
    if (thrown instanceof ValidationFailedError) process.stderr.write(formatDiagnostics(thrown.diagnostics.filter((d) => d.severity === 'error')));
    const message = thrown instanceof Error ? thrown.message : 'unexpected failure';
    const code = thrown instanceof RegopsError ? ` (${thrown.code})` : '';
    process.stderr.write(`regops: ${message}${code}\n`);
    if (thrown instanceof UsageError) process.stderr.write('Run regops --help for usage.\n');
    if (!(thrown instanceof RegopsError) && thrown instanceof Error && process.env['REGOPS_DEBUG'] !== undefined) process.stderr.write(`${thrown.stack ?? ''}\n`);
    return exitCodes.error;
  }
}

// Run when executed (bin/regops.mjs, `npm run regops`), not when imported by tests.
if (process.argv[1] !== undefined && /(?:^|[/\\])(?:main\.ts|regops(?:\.mjs)?)$/.test(process.argv[1])) {
  // the AWS SDK warns on Node 20 about SDK releases after January 2027; regops pins its SDK
  // versions, so the notice says nothing about this command and buries its output
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.exitCode = await runRegops(process.argv.slice(2));
}
