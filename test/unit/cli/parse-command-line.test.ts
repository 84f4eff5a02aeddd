import { describe, expect, it } from 'vitest';
import { applyCommand, rolloutCommand } from '../../../functions/cli/rollout.ts';
import { driftCommand } from '../../../functions/cli/drift.ts';
import { optionCatalog, parseCommandLine, readDuration, readOutputFormat, readPositiveInteger, readSelection } from '../../../functions/cli/parse-command-line.ts';
import { importCommand } from '../../../functions/cli/import.ts';
import { planCommand } from '../../../functions/cli/plan.ts';
import { sandboxDownCommand } from '../../../functions/cli/sandbox-down.ts';
import { sandboxUpCommand } from '../../../functions/cli/sandbox-up.ts';
import { testbedDownCommand } from '../../../functions/cli/testbed-down.ts';
import { testbedUpCommand } from '../../../functions/cli/testbed-up.ts';
import { validateCommand } from '../../../functions/cli/validate.ts';
import { catchError } from '../../support/catch-error.ts';

describe('parseCommandLine', () => {
  it('reads repeatable --cluster and --selector as Kubernetes label selectors (each whole: `in (a,b)` holds commas), -o', () => {
    const line = parseCommandLine('plan', ['--cluster', 'a', '--cluster', 'b', '--selector', 'env=prod,region in (eu-west-1,us-east-1)', '--selector', 'wave!=canary', '-o', 'json'], planCommand.options);
    expect(line.command).toBe('plan');
    expect(readSelection(line)).toEqual({
      names: ['a', 'b'],
      selector: {},
      requirements: [
        { key: 'env', operator: 'in', values: ['prod'] },
        { key: 'region', operator: 'in', values: ['eu-west-1', 'us-east-1'] },
        { key: 'wave', operator: 'notin', values: ['canary'] },
      ],
    });
    expect(readOutputFormat(line)).toBe('json');
  });

  it.each([
    ['plan', planCommand.options, ['--selector', '__proto__=x'], /--selector __proto__=x: /],
    ['plan', planCommand.options, ['--selector', 'env in prod'], /--selector env in prod: /],
    ['plan', planCommand.options, ['-o', 'yaml'], /-o yaml: expected one of text, json, markdown/],
    ['rollout', rolloutCommand.options, ['--bake', 'soon'], /--bake soon: expected a duration/],
    ['drift', driftCommand.options, ['--concurrency', '0'], /--concurrency 0: expected a whole number above 0/],
    ['rollout', rolloutCommand.options, ['--bake'], /^rollout: Option '--bake <value>' argument missing/],
    ['plan', planCommand.options, ['now'], /^plan: unexpected argument now \(options start with --\)/],
  ])('refuses %s %#', (command, options, args, message) => {
    expect(() => {
      const line = parseCommandLine(command, args, options);
      readSelection(line);
      readOutputFormat(line);
      readDuration(line, 'bake');
      readPositiveInteger(line, 'concurrency');
    }).toThrow(message);
  });

  it('reads Go durations in seconds', () => {
    expect(readDuration(parseCommandLine('rollout', ['--timeout', '1m30s'], rolloutCommand.options), 'timeout')).toBe(90);
    expect(readDuration(parseCommandLine('rollout', [], rolloutCommand.options), 'timeout')).toBeUndefined();
  });
});

// issue 10 item 8: `regops validate --bake 5m --port 3` used to exit 0, every option being everyone's
describe('each command takes only its own options', () => {
  it('names every stranger and the command, and lists what the command takes', () => {
    const error = catchError(() => parseCommandLine('validate', ['--bake', '5m', '--port', '3'], validateCommand.options));
    expect(error).toMatchObject({ code: 'cli.usage', message: 'validate: --bake is not an option of validate; --port is not an option of validate; validate takes --config, --github, -o/--output' });
  });

  it.each([
    { command: 'plan', options: planCommand.options, args: ['--clustr', 'a'], says: '--clustr is not an option of plan (did you mean --cluster?)' },
    { command: 'drift', options: driftCommand.options, args: ['--conc', '4'], says: '--conc is not an option of drift (did you mean --concurrency?)' },
    { command: 'drift', options: driftCommand.options, args: ['--no-enforse'], says: '--no-enforse is not an option of drift (did you mean --no-enforce?)' },
    { command: 'apply', options: applyCommand.options, args: ['--bake', '1s'], says: '--bake is not an option of apply;' },
    { command: 'rollout', options: rolloutCommand.options, args: ['--concurrency', '3'], says: '--concurrency is not an option of rollout;' },
    { command: 'plan', options: planCommand.options, args: ['-x'], says: '-x is not an option of plan;' },
  ])('$command $args.0: $says', ({ command, options, args, says }) => {
    expect(() => parseCommandLine(command, args, options)).toThrow(says);
  });

  it('takes what the command declares', () => {
    const line = parseCommandLine('drift', ['--no-enforce', '--timeout', '5m', '--concurrency', '8', '--live-dir', 'd'], driftCommand.options);
    expect(line.values).toEqual({ 'no-enforce': true, timeout: '5m', concurrency: '8', 'live-dir': 'd' });
  });

  it.each([
    ['validate', validateCommand], ['plan', planCommand], ['apply', applyCommand], ['rollout', rolloutCommand], ['drift', driftCommand],
    ['import', importCommand], ['sandbox up', sandboxUpCommand], ['sandbox down', sandboxDownCommand], ['testbed up', testbedUpCommand], ['testbed down', testbedDownCommand],
  ])('%s declares each option by the catalog entry --help prints, so its parsing and its help cannot disagree', (_name, command) => {
    for (const [name, declaration] of Object.entries(command.options)) expect(declaration, name).toBe(optionCatalog[name as keyof typeof optionCatalog]);
  });
});
