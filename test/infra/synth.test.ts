/**
 * `npm run synth` as a fresh clone runs it: the CDK CLI, context from cdk.json (telemetry off),
 * the waves of config/fleet.yaml, the functions bundled by esbuild without Docker, cdk-nag on.
 * The output goes to a temporary folder; the template must hold the five functions and three
 * state machines, and AWS cfn-lint must find no error in it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run synth', { timeout: 240_000 }, () => {
  it('synthesizes the stack offline with cdk-nag, from cdk.json and config/fleet.yaml', () => {
    const out = mkdtempSync(join(tmpdir(), 'regops-synth-'));
    try {
      const run = spawnSync('npx', ['cdk', 'synth', '--no-notices', '-q', '-o', out], { encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
      expect(run.status, run.stderr).toBe(0);
      const template = JSON.parse(readFileSync(join(out, 'Regops.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
      const count = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type).length;
      expect([count('AWS::Lambda::Function'), count('AWS::StepFunctions::StateMachine'), count('AWS::Scheduler::Schedule')]).toEqual([5, 3, 1]);
      // AWS cfn-lint (PyPI, .ci/python-tools.sh) on the template as deployed: no error (bit 2 of its exit status)
      const bin = execFileSync('bash', ['.ci/python-tools.sh'], { encoding: 'utf8' }).trim();
      const lint = spawnSync(join(bin, 'cfn-lint'), ['--format', 'parseable', '--', join(out, 'Regops.template.json')], { encoding: 'utf8' });
      expect(lint.stdout.split('\n').filter((line) => /:E\d+:/.test(line)), lint.stdout + lint.stderr).toEqual([]);
      expect(lint.status === null ? -1 : lint.status & 2, lint.stdout + lint.stderr).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
