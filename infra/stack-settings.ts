/**
 * Reads the stack's settings from CDK context keys `regops:*` (cdk.json holds the defaults; a
 * deploy overrides them with `-c regops:repository=owner/name` and so on). docs/run-in-aws.md lists them.
 */
import { dirname, isAbsolute, join } from 'node:path';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RegopsError } from '../functions/core/errors.ts';
import { readFleetWaves } from './fleet-waves.ts';
import { registryBucketPatterns } from './registry-bucket-patterns.ts';
import type { RegopsNetworkProps, RegopsStackProps } from './regops-stack.ts';

type Context = (key: string) => unknown;

function text(context: Context, key: string, fallback?: string): string {
  const value = context(`regops:${key}`) ?? fallback;
  if (typeof value !== 'string' || value === '') throw new RegopsError('settings.invalid', `context regops:${key}: expected a non-empty string (cdk.json, or -c regops:${key}=…)`, { key: `regops:${key}` });
  return value;
}

function count(context: Context, key: string, fallback: number): number {
  const raw = context(`regops:${key}`) ?? fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RegopsError('settings.invalid', `context regops:${key}: expected a whole number, got ${JSON.stringify(raw)} (cdk.json, or -c regops:${key}=…)`, { key: `regops:${key}` });
  return value;
}

function list(context: Context, key: string): string[] {
  const raw = context(`regops:${key}`);
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map(String);
  return String(raw).split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** regops:fleetFile is a path inside the repository: an absolute one would be silently joined under it. */
function relativeFleetFile(file: string): string {
  if (isAbsolute(file)) throw new RegopsError('settings.invalid', `context regops:fleetFile: ${file} is absolute; give the path from the repository root (e.g. config/fleet.yaml)`, { key: 'regops:fleetFile' });
  return file;
}

/** CloudWatch Logs accepts only certain retention periods; pick the smallest one covering `days`. */
function toRetention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number' && value > 0).sort((a, b) => a - b);
  return (allowed.find((value) => value >= days) ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}

/** Stack props from context; the waves come from the fleet file (regops:fleetFile). */
export function readStackSettings(context: Context, repoRoot = process.cwd()): RegopsStackProps {
  const vpcId = context('regops:vpcId');
  const network: RegopsNetworkProps | undefined = typeof vpcId === 'string' && vpcId !== ''
    ? {
      vpcId,
      availabilityZones: list(context, 'availabilityZones'),
      subnetIds: list(context, 'subnetIds'),
      routeTableIds: list(context, 'routeTableIds'),
      securityGroupIds: list(context, 'securityGroupIds'),
      createEndpoints: context('regops:createVpcEndpoints') !== false && context('regops:createVpcEndpoints') !== 'false',
    }
    : undefined;
  const fleetFile = join(repoRoot, relativeFleetFile(text(context, 'fleetFile', 'config/fleet.yaml')));
  const githubApiUrl = context('regops:githubApiUrl');
  const account = context('regops:account');
  const region = context('regops:region');
  return {
    repository: text(context, 'repository'),
    branch: text(context, 'branch', 'main'),
    driftSchedule: text(context, 'driftSchedule', 'rate(1 hour)'),
    webhookSecretName: text(context, 'webhookSecretName', 'regops/github-webhook-secret'),
    githubTokenSecretName: text(context, 'githubTokenSecretName', 'regops/github-token'),
    clusterSecretPrefix: text(context, 'clusterSecretPrefix', 'regops/clusters/'),
    waves: readFleetWaves(fleetFile),
    maxClusters: count(context, 'maxClusters', 1000),
    driftConcurrency: count(context, 'driftConcurrency', 50),
    reportHistoryDays: count(context, 'reportHistoryDays', 400),
    logRetentionDays: toRetention(count(context, 'logRetentionDays', 90)),
    // -c regops:registryBucketPattern=a-*,b-* overrides the patterns derived from the fleet's storage.yaml files
    registryBucketPatterns: list(context, 'registryBucketPattern').length > 0 ? list(context, 'registryBucketPattern') : registryBucketPatterns(dirname(fleetFile)),
    ...(network === undefined ? {} : { network }),
    ...(typeof githubApiUrl === 'string' && githubApiUrl !== '' ? { githubApiUrl } : {}),
    ...(typeof account === 'string' && typeof region === 'string' ? { env: { account, region } } : {}),
  };
}
