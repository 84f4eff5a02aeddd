/**
 * Every environment variable the stack sets on a function is read by that function's code: each
 * name must occur in the function's esbuild bundle (infra/bundle.ts: the entry and its chunks), which holds exactly the
 * code Lambda runs. A setting granted or passed but never read (CLUSTER_SECRET_PREFIX was) fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { bundleHandler, handlerNames } from '../../infra/bundle.ts';
import { buildFixtureStack } from './stack-fixture.ts';

process.env['CDK_VALIDATION'] = 'false';

const functions = Object.values(Template.fromStack(buildFixtureStack().stack).findResources('AWS::Lambda::Function')) as Array<{ Properties: { Description: string; Environment: { Variables: Record<string, unknown> } } }>;

describe('function environment', { timeout: 120_000 }, () => {
  it.each([...handlerNames])('every variable the stack gives %s is read by its bundle', (name) => {
    const fn = functions.find((f) => f.Properties.Description === `regops ${name}`);
    const variables = Object.keys(fn?.Properties.Environment.Variables ?? {});
    expect(variables.length).toBeGreaterThan(2);
    const code = bundleHandler(name, join('cdk.out', 'test-bundles')).files.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(variables.filter((variable) => !code.includes(variable))).toEqual([]);
  });
});
