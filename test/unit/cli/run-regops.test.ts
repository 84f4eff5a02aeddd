/**
 * runRegops on command lines that fail before any cluster is touched: each mistake is named with
 * its subject and what to do, on stderr, exit 1, and the first mistake reported is the one on the
 * command line (not a missing kubeconfig further down). Process streams are Node's, captured here.
 */
import { describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
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
    // a command's --help is checked against its options like any other, then prints the usage
    expect(await regops('drift', '--help')).toMatchObject({ code: 0, stderr: '', stdout: help.stdout });
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
