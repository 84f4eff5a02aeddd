/**
 * runRegops on command lines that fail before any cluster is touched: each mistake is named with
 * its subject and what to do, on stderr, exit 1, and the first mistake reported is the one on the
 * command line (not a missing kubeconfig further down). Process streams are Node's, captured here.
 */
import { describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { driftCommand } from '../../../functions/cli/drift.ts';
import { importCommand } from '../../../functions/cli/import.ts';
import { planCommand } from '../../../functions/cli/plan.ts';
import { applyCommand, rolloutCommand } from '../../../functions/cli/rollout.ts';
import { sandboxDownCommand } from '../../../functions/cli/sandbox-down.ts';
import { sandboxUpCommand } from '../../../functions/cli/sandbox-up.ts';
import { testbedDownCommand } from '../../../functions/cli/testbed-down.ts';
import { testbedUpCommand } from '../../../functions/cli/testbed-up.ts';
import { usage } from '../../../functions/cli/usage.ts';
import { validateCommand } from '../../../functions/cli/validate.ts';
import { captureOutput } from '../../support/capture-output.ts';

async function regops(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code, stdout, stderr };
}

describe('runRegops usage mistakes', () => {
  it('no command: the usage on stderr (stdout stays empty for pipes), exit 1; --help: on stdout, exit 0', async () => {
    const bare = await regops();
    expect(bare).toMatchObject({ code: 1, stdout: '' });
    expect(bare.stderr).toContain('Usage:');
    const help = await regops('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('--no-enforce               drift: report only');
  });

  it.each([
    ['validate', validateCommand], ['plan', planCommand], ['apply', applyCommand], ['rollout', rolloutCommand], ['drift', driftCommand],
    ['import', importCommand], ['sandbox up', sandboxUpCommand], ['sandbox down', sandboxDownCommand], ['testbed up', testbedUpCommand], ['testbed down', testbedDownCommand],
  ])('regops %s --help: exit 0, its usage line and exactly the options it declares, one line each', async (name, command) => {
    const help = await regops(...name.split(' '), '--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    const lines = help.stdout.split('\n');
    // the command's own line of `regops --help`, not the whole usage
    const summary = usage.split('\n').find((l) => l.trimStart().startsWith(`regops ${name.split(' ')[0] ?? ''} `))?.split(/\s{2,}/).at(-1);
    expect(lines[0]).toBe(`regops ${name}: ${summary ?? '(none)'}`);
    expect(help.stdout).not.toContain('Usage: regops COMMAND');
    const listed = lines.flatMap((l) => /^ {2}(?:-\w, | {4})--([\w-]+)\b.* {2,}\S/.exec(l)?.[1] ?? []);
    expect(listed).toEqual([...Object.keys(command.options).filter((o) => o !== 'help'), 'help']);
    for (const line of lines) expect(line.length, line).toBeLessThan(100);
  });

  it('a misspelt --help is refused like any other option, with a did-you-mean (exit 1)', async () => {
    const result = await regops('plan', '--halp');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('regops: plan: --halp is not an option of plan (did you mean --help?)');
  });

  it.each([
    { argv: ['validate', 'extra'], message: 'regops: validate: unexpected argument extra (options start with --) (cli.usage)' },
    { argv: ['sandbox', 'up', 'now'], message: 'regops: sandbox up: unexpected argument now (options start with --) (cli.usage)' },
    // issue 10 item 8: this exited 0 when every command took every option
    { argv: ['validate', '--config', 'config', '--bake', '5m', '--port', '3'], message: 'regops: validate: --bake is not an option of validate; --port is not an option of validate; validate takes --config, --github, -o/--output, -h/--help (cli.usage)' },
    { argv: ['plan', '--config', 'config', '--selecter', 'env=prod'], message: 'regops: plan: --selecter is not an option of plan (did you mean --selector?); plan takes' },
    { argv: ['sandbox', 'down', '--port', '3'], message: 'regops: sandbox down: --port is not an option of sandbox down; sandbox down takes --url, -h/--help (cli.usage)' },
    { argv: ['valdate'], message: 'regops: unknown command valdate (did you mean validate?) (commands: validate, plan, apply, rollout, drift, import, sandbox' },
    { argv: ['sandbox'], message: 'regops: sandbox: expected `sandbox up` or `sandbox down` (cli.usage)' },
    { argv: ['--config', 'config', 'validate'], message: 'regops: --config: options go after the command (regops COMMAND [options]) (cli.usage)' },
    { argv: ['plan', '--config', 'no-such-folder'], message: 'regops: config no-such-folder: no fleet.yaml here; pass --config DIR (the folder holding fleet.yaml) or --github OWNER/REPO[@REF] (cli.usage)' },
    { argv: ['plan', '--config', 'config', '--kubeconfig', '/no/such/kubeconfig'], message: 'regops: kubeconfig /no/such/kubeconfig (--kubeconfig): no such file; pass --kubeconfig FILE or set KUBECONFIG' },
    { argv: ['rollout', '--config', 'config', '--kubeconfig', '/no/such/kubeconfig', '--bake', 'soon'], message: 'regops: --bake soon: expected a duration such as 30s, 5m or 1h30m (cli.usage)' },
    { argv: ['drift', '--config', 'config', '--kubeconfig', '/no/such/kubeconfig', '--selector', '__proto__=x'], message: 'regops: --selector __proto__=x: "__proto__" is not a label key' },
  ])('$argv.0 $argv.1 …: $message', async ({ argv, message }) => {
    const result = await regops(...argv);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr).toContain('Run regops --help for usage.');
  });
});
