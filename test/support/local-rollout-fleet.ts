/**
 * What the Step Functions rollout tests run against (test/integration/serverless/rollout-rollback and
 * rollout-windows): the sandbox fleet of config/fleet.yaml, the GitHub stand-in with its review
 * routes, a reports bucket on the sandbox's S3, and the Rollout state machine the stack synthesizes
 * for that fleet, to be run by aws-local-stepfunctions (local-step-functions.ts). Each test wires its
 * own function handlers (which functions, which clock, which recorded clients) and its invoke.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { S3ReportStore } from '../../functions/adapters/s3/s3-report-store.ts';
import type { RolloutReport } from '../../functions/core/model.ts';
import { startSandbox, type Sandbox } from '../../functions/sandbox/index.ts';
import { readFleetWaves } from '../../infra/fleet-waves.ts';
import { RegopsStack } from '../../infra/regops-stack.ts';
import { fixtureProps } from '../infra/stack-fixture.ts';
import { startGitHubStandIn, type GitHubStandIn } from './github-stand-in.ts';
import { installReviewRoutes, type ReviewState } from './github/review-routes.ts';
import { extractStateMachines, type Asl, type runStateMachine } from './local-step-functions.ts';
import { buildSandboxAwsSettings } from './sandbox-aws-settings.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };

export interface LocalRolloutFleet {
  sandbox: Sandbox;
  github: GitHubStandIn;
  review: ReviewState;
  /** The sandbox's AWS settings (keep-alive), for the functions' clients. */
  aws: ReturnType<typeof buildSandboxAwsSettings>;
  s3: S3Client;
  reportsBucket: string;
  reports: S3ReportStore;
  /** The synthesized template (its roles check the functions' AWS calls: check-role-calls.ts). */
  template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  /** The Rollout state machine's definition; run a structuredClone of it (the interpreter mutates it). */
  rollout: Asl;
  /** The functions' environment, as the stack sets it, with the health gate's timeout given. */
  env: Record<string, string>;
  /** How an execution of commit `sha` runs: Task states call `invoke`, Waits shortened, Distributed Maps read their items from the reports bucket. */
  runOptions(sha: string, invoke: (resource: string, input: unknown) => Promise<unknown>): Parameters<typeof runStateMachine>[2];
  /** The rollout report the last execution published (latest/rollout.json). */
  latestRollout(): Promise<RolloutReport>;
  /** The commit regops last applied to `cluster` (its Config's regops.io/applied-commit). */
  appliedCommit(cluster: string): string | undefined;
  stop(): Promise<void>;
}

export async function startLocalRolloutFleet(stackName: string, options: { healthTimeoutMs: number }): Promise<LocalRolloutFleet> {
  process.env['CDK_VALIDATION'] = 'false';
  const reportsBucket = 'regops-reports';
  const sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', progressingMs: 200, degradedAfterMs: 60_000 });
  const github = await startGitHubStandIn();
  const review = installReviewRoutes(github);
  const aws = buildSandboxAwsSettings(sandbox, { keepAlive: true });
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: reportsBucket }));
  const reports = new S3ReportStore(s3, reportsBucket);

  const stack = new RegopsStack(new App(), stackName, fixtureProps({ repository: 'acme/fleet', waves: readFleetWaves('config/fleet.yaml') }));
  const template = Template.fromStack(stack).toJSON() as LocalRolloutFleet['template'];
  const machines = extractStateMachines(template as Parameters<typeof extractStateMachines>[0]);
  const id = Object.keys(machines).find((k) => k.includes('Rollout'));
  if (id === undefined) throw new Error('no Rollout state machine');

  return {
    sandbox,
    github,
    review,
    aws,
    s3,
    reportsBucket,
    reports,
    template,
    rollout: machines[id] as Asl,
    env: { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: reportsBucket, REGOPS_FIRST_LOOK_MS: '0', REGOPS_POLL_SECONDS: '1', REGOPS_HEALTH_TIMEOUT_MS: String(options.healthTimeoutMs) },
    runOptions: (sha, invoke) => ({
      executionName: `rollout-${sha}`,
      invoke,
      waitMs: 20,
      s3: { get: (_bucket: string, key: string) => reports.get(key), put: (_bucket: string, key: string, body: string) => reports.put(key, body, 'application/json') },
    }),
    latestRollout: async () => JSON.parse((await reports.get('latest/rollout.json')) ?? 'null') as RolloutReport,
    appliedCommit: (cluster) => (sandbox.getObject(cluster, configRef) as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.['regops.io/applied-commit'],
    stop: async () => {
      await Promise.all([sandbox.stop(), github.stop()]);
    },
  };
}
