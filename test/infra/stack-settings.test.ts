/** Context keys → stack props (infra/stack-settings.ts) and the waves read from config/fleet.yaml. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ConfigError, RegopsError } from '../../functions/core/errors.ts';
import { readFleetWaves } from '../../infra/fleet-waves.ts';
import { readStackSettings } from '../../infra/stack-settings.ts';
import { catchError } from '../support/catch-error.ts';

const context = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('readStackSettings', () => {
  it('takes defaults for everything but the repository, and the waves of the fleet file', () => {
    const props = readStackSettings(context({ 'regops:repository': 'acme/cfg' }));
    expect(props).toMatchObject({
      repository: 'acme/cfg', branch: 'main', driftSchedule: 'rate(1 hour)', webhookSecretName: 'regops/github-webhook-secret',
      githubTokenSecretName: 'regops/github-token', clusterSecretPrefix: 'regops/clusters/', maxClusters: 1000,
      driftConcurrency: 50, reportHistoryDays: 400, logRetentionDays: RetentionDays.THREE_MONTHS, registryBucketPatterns: ['acme-registry-*'],
    });
    expect(props.network).toBeUndefined();
    expect(props.waves.map((w) => w.name)).toEqual(['canary', 'main', 'prod']);
  });

  it('reads overrides given as strings on the command line (-c key=value), lists comma-separated', () => {
    const props = readStackSettings(context({
      'regops:repository': 'acme/cfg', 'regops:maxClusters': '250', 'regops:logRetentionDays': '100', 'regops:vpcId': 'vpc-1',
      'regops:subnetIds': 'subnet-a, subnet-b', 'regops:availabilityZones': 'eu-west-1a,eu-west-1b', 'regops:routeTableIds': 'rtb-a,rtb-b',
      'regops:securityGroupIds': 'sg-1', 'regops:createVpcEndpoints': 'false', 'regops:account': '123456789012', 'regops:region': 'eu-west-1',
    }));
    expect(props.maxClusters).toBe(250);
    // CloudWatch Logs has no 100-day retention: the next one up is kept
    expect(props.logRetentionDays).toBe(RetentionDays.FOUR_MONTHS);
    expect(props.network).toEqual({ vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], availabilityZones: ['eu-west-1a', 'eu-west-1b'], routeTableIds: ['rtb-a', 'rtb-b'], securityGroupIds: ['sg-1'], createEndpoints: false });
    expect(props.env).toEqual({ account: '123456789012', region: 'eu-west-1' });
  });

  it.each([
    { name: 'no repository', values: {}, code: 'settings.invalid', message: /regops:repository: expected a non-empty string/ },
    { name: 'a negative limit', values: { 'regops:repository': 'a/b', 'regops:maxClusters': -1 }, code: 'settings.invalid', message: /regops:maxClusters: expected a whole number, got -1/ },
    { name: 'an absolute fleet file', values: { 'regops:repository': 'a/b', 'regops:fleetFile': '/etc/fleet.yaml' }, code: 'settings.invalid', message: /regops:fleetFile: \/etc\/fleet\.yaml is absolute; give the path from the repository root/ },
    { name: 'a missing fleet file', values: { 'regops:repository': 'a/b', 'regops:fleetFile': 'nope/fleet.yaml' }, code: 'fleet.not-found', message: /nope\/fleet\.yaml: cannot read the fleet file .*set -c regops:fleetFile=/ },
  ])('refuses $name: $code', ({ values, code, message }) => {
    const thrown = catchError(() => readStackSettings(context(values)));
    expect(thrown).toBeInstanceOf(RegopsError);
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('readFleetWaves', () => {
  it('reads names, limits and how many clusters each wave selects', () => {
    expect(readFleetWaves('config/fleet.yaml')).toEqual([
      { name: 'canary', maxConcurrency: 1, maxFailures: 0, expectedClusters: 2 },
      { name: 'main', maxConcurrency: 2, maxFailures: 0, expectedClusters: 2 },
      { name: 'prod', maxConcurrency: 1, maxFailures: 0, expectedClusters: 2 },
    ]);
  });
});

describe('readFleetWaves on a bad fleet file', () => {
  const fleetHead = 'apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  clusters:\n    - name: a-1\n      labels: {wave: one}\n';
  it.each([
    {
      name: 'a wave limit that is not a number',
      yaml: `${fleetHead}  waves:\n    - name: one\n      selector: {wave: one}\n      maxConcurrency: lots\n`,
      code: 'fleet.invalid',
      message: /fleet\.yaml: not a valid fleet; fix it and synth again:\n.*fleet\.yaml:11:7: error fleet\.wave-concurrency: /,
      context: { line: 11, col: 7 },
    },
    {
      name: 'no waves',
      yaml: `${fleetHead}  waves: []\n`,
      code: 'fleet.no-waves',
      message: /fleet\.yaml: spec\.waves is empty; the rollout state machine needs at least one wave/,
      context: {},
    },
  ])('$name: ConfigError $code saying where', ({ yaml, code, message, context: where }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'regops-fleet-')), 'fleet.yaml');
    writeFileSync(file, yaml);
    const thrown = catchError(() => readFleetWaves(file));
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code, context: { file, ...where } });
    expect((thrown as Error).message).toMatch(message);
  });
});
