/**
 * fleet.yaml waves[].approvers (core/fleet.ts): `different-from-pusher` keeps, in AWS, the person who
 * pushed a commit from approving its gated wave; it carries into the wave plan (core/waves.ts), which
 * the Step Functions approval steps read (engine/steps/approval-request-step.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../../functions/core/fleet.ts';
import { planWaves } from '../../../functions/core/waves.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

function readWave(fields: string) {
  const text = `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  clusters: [{name: a, labels: {w: one}}]\n  waves:\n    - {name: one, selector: {w: one}${fields}}\n`;
  return parseFleet(parseYamlSource('fleet.yaml', text));
}

describe('parseFleet: waves[].approvers', () => {
  it('reads different-from-pusher on a gated wave, and the wave plan carries it', () => {
    const parsed = readWave(', approval: required, approvers: different-from-pusher');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.waves[0]?.approvers).toBe('different-from-pusher');
    expect(planWaves(parsed.fleet, ['a']).waves[0]).toMatchObject({ name: 'one', approval: 'required', approvers: 'different-from-pusher' });
  });

  it('any (the default) and no field leave it unset: any writer may approve', () => {
    for (const fields of [', approval: required, approvers: any', ', approval: required']) {
      const parsed = readWave(fields);
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.fleet.waves[0]).not.toHaveProperty('approvers');
      expect(planWaves(parsed.fleet, ['a']).waves[0]).not.toHaveProperty('approvers');
    }
  });

  const refused: Array<{ name: string; fields: string; col: number; message: string }> = [
    { name: 'an unknown value', fields: ', approval: required, approvers: not-me', col: 59, message: 'spec.waves[0].approvers: "not-me" is not any or different-from-pusher' },
    { name: 'a wave that needs no approval', fields: ', approvers: different-from-pusher', col: 39, message: 'spec.waves[0].approvers: different-from-pusher needs approval: required on the same wave' },
  ];
  it.each(refused)('refuses $name at its file, line and column', ({ fields, col, message }) => {
    const parsed = readWave(fields);
    expect(parsed.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.col])).toEqual([['fleet.wave-approvers', 'error', 'fleet.yaml', 7, col]]);
    expect(parsed.diagnostics[0]?.message).toBe(message);
    expect(parsed.fleet.waves[0]).not.toHaveProperty('approvers');
  });
});
