/**
 * Builds the RegopsStack for tests: fixed settings, three waves shaped like config/fleet.yaml
 * (canary, main tolerating failures, a large wave), and placeholder Lambda code so a test
 * synthesizes in milliseconds without bundling (the bundle has its own test and benchmark).
 */
import { App, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RegopsStack, type RegopsStackProps } from '../../infra/regops-stack.ts';
import { registryBucketPatterns } from '../../infra/registry-bucket-patterns.ts';

export const fixtureWaves: RegopsStackProps['waves'] = [
  { name: 'canary', maxConcurrency: 1, maxFailures: 0, expectedClusters: 1 },
  { name: 'main', maxConcurrency: 5, maxFailures: 1, expectedClusters: 8 },
  { name: 'bulk', maxConcurrency: 50, maxFailures: 0, expectedClusters: 900 },
];

export function fixtureProps(overrides: Partial<RegopsStackProps> = {}): RegopsStackProps {
  return {
    repository: 'acme/registry-config',
    branch: 'main',
    driftSchedule: 'rate(30 minutes)',
    webhookSecretName: 'regops/github-webhook-secret',
    githubTokenSecretName: 'regops/github-token',
    clusterSecretPrefix: 'regops/clusters/',
    waves: fixtureWaves,
    maxClusters: 1000,
    driftConcurrency: 50,
    reportHistoryDays: 400,
    logRetentionDays: logs.RetentionDays.THREE_MONTHS,
    // the names config/'s storage.yaml files give (infra/registry-bucket-patterns.ts): acme-registry-*
    registryBucketPatterns: registryBucketPatterns('config'),
    functionCode: (name) => lambda.Code.fromInline(`export const handler = async () => '${name}';`),
    env: { account: '123456789012', region: 'eu-west-1' },
    ...overrides,
  };
}

/** A fresh app + stack; `nag` registers cdk-nag the way infra/app.ts does. */
export function buildFixtureStack(overrides: Partial<RegopsStackProps> = {}, options: { nag?: boolean } = {}): { app: App; stack: RegopsStack } {
  const app = new App();
  const stack = new RegopsStack(app, 'RegopsTest', fixtureProps(overrides));
  if (options.nag === true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
