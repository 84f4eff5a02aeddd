/**
 * The synthesized stack judged by engines this project did not write: asl-validator (the States
 * Language schema, JSONPaths, ARNs) on every state machine definition, and AWS's own cfn-lint
 * (PyPI, installed by .ci/python-tools.sh) on the whole template, with 0 errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { extractStateMachines } from '../support/local-step-functions.ts';
import { buildFixtureStack, fixtureWaves } from './stack-fixture.ts';

process.env['CDK_VALIDATION'] = 'false';

type AslValidator = (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

// ids in AWS's own formats: cfn-lint checks their patterns
const network = { vpcId: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-1a', 'eu-west-1b'], subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-1a2b3c4d5e6f70819'], routeTableIds: ['rtb-0a1b2c3d4e5f60718', 'rtb-1a2b3c4d5e6f70819'], securityGroupIds: ['sg-0a1b2c3d4e5f60718'], createEndpoints: true };
const variants = {
  'the default stack': () => buildFixtureStack().stack,
  // and a wave gated by approval: the Approve state (lambda:invoke.waitForTaskToken, TimeoutSeconds) is linted too
  'the VPC variant with an approval gate': () => buildFixtureStack({ network, waves: fixtureWaves.map((w) => (w.name === 'bulk' ? { ...w, approvalTimeoutSeconds: 4 * 3600 } : w)) }).stack,
};

describe.each(Object.entries(variants))('%s', (_name, build) => {
  const template = Template.fromStack(build()).toJSON() as Parameters<typeof extractStateMachines>[0];

  it('every state machine definition passes asl-validator (schema, paths and ARNs)', () => {
    const machines = extractStateMachines(template);
    expect(Object.keys(machines)).toHaveLength(3);
    for (const [id, definition] of Object.entries(machines)) {
      const result = aslValidator(definition, { checkPaths: true, checkArn: true });
      expect(result.isValid, `${id}: ${result.errorsText('\n')}`).toBe(true);
    }
  });

  it('cfn-lint reports no error on the template', { timeout: 180_000 }, () => {
    const bin = execFileSync('bash', ['.ci/python-tools.sh'], { encoding: 'utf8' }).trim();
    const file = join(mkdtempSync(join(tmpdir(), 'regops-cfn-lint-')), 'template.json');
    writeFileSync(file, JSON.stringify(template));
    const run = spawnSync(join(bin, 'cfn-lint'), ['--format', 'parseable', '--', file], { encoding: 'utf8' });
    // exit status is a bit mask: 2 = errors, 4 = warnings, 8 = informational (cfn-lint README)
    const errors = run.stdout.split('\n').filter((line) => /:E\d+:/.test(line));
    expect(errors, run.stdout + run.stderr).toEqual([]);
    expect(run.status === null ? -1 : run.status & 2, run.stdout + run.stderr).toBe(0);
  });
});
