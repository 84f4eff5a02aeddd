/** fleet.yaml waves[].approvalTimeout (core/fleet.ts): how long a Step Functions rollout waits for a wave's approval. */
import { describe, expect, it } from 'vitest';
import { MAX_APPROVAL_TIMEOUT_SECONDS, parseFleet } from '../../../functions/core/fleet.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

function readWave(fields: string) {
  const text = `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  clusters: [{name: a, labels: {w: one}}]\n  waves:\n    - {name: one, selector: {w: one}, approval: required${fields}}\n`;
  return parseFleet(parseYamlSource('fleet.yaml', text));
}

describe('parseFleet: waves[].approvalTimeout', () => {
  const accepted: Array<[string, number]> = [['30m', 1800], ['4h', 14_400], ['1h30m', 5400], ['23h', MAX_APPROVAL_TIMEOUT_SECONDS]];
  it.each(accepted)('reads %s as %i seconds', (text, seconds) => {
    const parsed = readWave(`, approvalTimeout: ${text}`);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.waves[0]?.approvalTimeoutSeconds).toBe(seconds);
  });

  it('leaves it unset when fleet.yaml does not name it (the default applies where it is used)', () => {
    const parsed = readWave('');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.waves[0]).not.toHaveProperty('approvalTimeoutSeconds');
  });

  // 24h and more: a rollout execution runs at most 24 h (infra/constructs/state-machines.ts), so the
  // execution would time out first and publish no report; under a minute or fractions: not a sensible wait
  const refused = ['24h', '48h', '30s', '90.5s', 'soon', '5'];
  it.each(refused)('refuses %s at its line, naming the range', (text) => {
    const parsed = readWave(`, approvalTimeout: ${JSON.stringify(text)}`);
    expect(parsed.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([['fleet.approval-timeout', 'error', 7]]);
    expect(parsed.diagnostics[0]?.message).toContain('from 1m to 23h');
    expect(parsed.fleet.waves[0]).not.toHaveProperty('approvalTimeoutSeconds');
  });
});
