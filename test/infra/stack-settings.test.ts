/** Context keys → stack props (infra/stack-settings.ts) and the waves read from config/fleet.yaml. */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readFleetWaves } from '../../infra/fleet-waves.ts';
import { readStackSettings } from '../../infra/stack-settings.ts';

const context = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('readStackSettings', () => {
  it('takes defaults for everything but the repository, and the waves of the fleet file', () => {
    const props = readStackSettings(context({ 'regops:repository': 'acme/cfg' }));
    expect(props).toMatchObject({
      repository: 'acme/cfg', branch: 'main', driftSchedule: 'rate(1 hour)', webhookSecretName: 'regops/github-webhook-secret',
      githubTokenSecretName: 'regops/github-token', clusterSecretPrefix: 'regops/clusters/', maxClusters: 1000, distributedMapThreshold: 40,
      driftConcurrency: 50, reportHistoryDays: 400, logRetentionDays: RetentionDays.THREE_MONTHS, registryBucketPattern: '*',
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
    { name: 'no repository', values: {}, message: /regops:repository: expected a non-empty string/ },
    { name: 'a negative limit', values: { 'regops:repository': 'a/b', 'regops:maxClusters': -1 }, message: /regops:maxClusters: expected a whole number/ },
    { name: 'a missing fleet file', values: { 'regops:repository': 'a/b', 'regops:fleetFile': 'nope/fleet.yaml' }, message: /ENOENT/ },
  ])('refuses $name', ({ values, message }) => {
    expect(() => readStackSettings(context(values))).toThrow(message);
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
