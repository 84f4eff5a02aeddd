/**
 * cdk-nag 3's AwsSolutions pack over the stack, registered the way infra/app.ts does
 * (Validations.of(app).addPlugins, docs/toolchain-facts.md "CDK"), with CDK's template validation on: the
 * one test that pays for it. Every accepted finding carries a reason; a non-compliant resource
 * added to the stack fails the synth, so the wiring is live.
 */
import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildFixtureStack } from './stack-fixture.ts';

delete process.env['CDK_VALIDATION'];

// CDK's template validation costs seconds per synth (docs/toolchain-facts.md "CDK")
describe('cdk-nag AwsSolutions', { timeout: 120_000 }, () => {
  it('the stack synthesizes with the pack registered and reports no finding', () => {
    const { app, stack } = buildFixtureStack({}, { nag: true });
    expect(() => app.synth()).not.toThrow();
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it('the VPC variant passes as well', () => {
    const { stack } = buildFixtureStack({ network: { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], subnetIds: ['subnet-1'], routeTableIds: ['rtb-1'], securityGroupIds: ['sg-1'], createEndpoints: true } });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it('every acknowledged finding says why', () => {
    const { stack } = buildFixtureStack();
    const acknowledged = stack.node.findAll().flatMap((node) => node.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data as Record<string, string>));
    // aws-cdk-lib acknowledges some of its own CloudFormation-Validate warnings; ours are AwsSolutions-*
    const reasons = acknowledged.flatMap((entry) => Object.entries(entry)).filter(([rule]) => rule.includes('AwsSolutions-'));
    expect(reasons.length).toBeGreaterThan(10);
    for (const [, reason] of reasons) expect(reason.length).toBeGreaterThan(30);
  });

  it('a resource that breaks a rule fails the synth', () => {
    const { app, stack } = buildFixtureStack({}, { nag: true });
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow();
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});
