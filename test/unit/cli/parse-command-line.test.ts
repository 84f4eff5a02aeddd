import { describe, expect, it } from 'vitest';
import { parseCommandLine, readDuration, readOutputFormat, readPositiveInteger, readSelection } from '../../../functions/cli/parse-command-line.ts';

describe('parseCommandLine', () => {
  it('reads the command, repeatable --cluster and --selector (also comma-separated), -o', () => {
    const line = parseCommandLine(['plan', '--cluster', 'a', '--cluster', 'b', '--selector', 'env=prod,region=eu-west-1', '--selector', 'wave=main', '-o', 'json']);
    expect(line.command).toBe('plan');
    expect(readSelection(line)).toEqual({ names: ['a', 'b'], selector: { env: 'prod', region: 'eu-west-1', wave: 'main' } });
    expect(readOutputFormat(line)).toBe('json');
  });

  it('keeps positionals after the command (sandbox up)', () => {
    expect(parseCommandLine(['sandbox', 'up', '--clusters', '3']).rest).toEqual(['up']);
  });

  it.each([
    [['plan', '--nope'], /Unknown option '--nope'/],
    [['plan', '--selector', 'env'], /--selector env: expected key=value/],
    [['plan', '-o', 'yaml'], /-o yaml: expected one of text, json, markdown/],
    [['rollout', '--bake', 'soon'], /--bake soon: expected a duration/],
    [['drift', '--concurrency', '0'], /--concurrency 0: expected a whole number above 0/],
  ])('refuses %j', (argv, message) => {
    expect(() => {
      const line = parseCommandLine(argv);
      readSelection(line);
      readOutputFormat(line);
      readDuration(line, 'bake');
      readPositiveInteger(line, 'concurrency');
    }).toThrow(message);
  });

  it('reads Go durations in seconds', () => {
    expect(readDuration(parseCommandLine(['rollout', '--timeout', '1m30s']), 'timeout')).toBe(90);
    expect(readDuration(parseCommandLine(['rollout']), 'timeout')).toBeUndefined();
  });
});
