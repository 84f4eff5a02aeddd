/**
 * Pull requests from forks (issue 10 item 3), end to end in-process: a real pull_request payload of
 * @octokit/webhooks-examples with head.repo made a fork, signed here → the webhook handler →
 * StartExecution (local stand-in) → the plan definition the stack synthesizes, run by
 * aws-local-stepfunctions with every Task calling the function code → the sandbox fleet (read only)
 * and the sandbox's Secrets Manager and S3 → the GitHub stand-in's check runs and PR comment.
 * The fork's config tries what issue 10 lists: another connection secret, another storage secret,
 * a cluster the base does not have, an S3 endpoint elsewhere, and a proxy whose live value holds a
 * password.
 */
import { createRequire } from 'node:module';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Webhooks } from '@octokit/webhooks';
import type { HttpHandlerOptions } from '@smithy/types';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubWebhookVerifier } from '../../../functions/adapters/github/github-webhook-verifier.ts';
import { createJsonLogger } from '../../../functions/adapters/observability/json-logger.ts';
import { S3ReportStore } from '../../../functions/adapters/s3/s3-report-store.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import type { JsonObject, PlanReport } from '../../../functions/core/model.ts';
import { createWebhookHandler } from '../../../functions/handlers/github-webhook.ts';
import { createPlanWavesHandler } from '../../../functions/handlers/plan-waves.ts';
import { createPublishReportHandler } from '../../../functions/handlers/publish-report.ts';
import { createReconcileClusterHandler } from '../../../functions/handlers/reconcile-cluster.ts';
import { buildAwsStepRuntime } from '../../../functions/handlers/wiring/aws-runtime.ts';
import { createAwsClusterAccess } from '../../../functions/handlers/wiring/cluster-access.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { readFleetWaves } from '../../../infra/fleet-waves.ts';
import { RegopsStack } from '../../../infra/regops-stack.ts';
import { fixtureProps } from '../../infra/stack-fixture.ts';
import { buildFunctionUrlEvent } from '../../support/function-url-event.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { installReviewRoutes, type ReviewState } from '../../support/github/review-routes.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { extractStateMachines, localFunctionArnPrefix, runStateMachine, serveReportsBucket, type Asl } from '../../support/local-step-functions.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';
import { startSfnStandIn, type SfnStandIn, type StartedExecution } from '../../support/sfn-stand-in.ts';

process.env['CDK_VALIDATION'] = 'false';
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const webhookSecret = 'fork-webhook-secret';
const signer = new Webhooks({ secret: webhookSecret });
const reportsBucket = 'regops-reports';
const proxyPassword = 'hunter2-proxy-pass';

let sandbox: Sandbox;
let github: GitHubStandIn;
let review: ReviewState;
let sfn: SfnStandIn;
let plan: Asl;
let webhook: ReturnType<typeof createWebhookHandler>;
let reports: S3ReportStore;
const started: StartedExecution[] = [];
/** SecretId of every Secrets Manager request and the bucket of every S3 request, as sent. */
const awsCalls: { secretIds: string[]; s3Paths: string[] } = { secretIds: [], s3Paths: [] };
let handlers: Record<string, (input: never) => Promise<unknown>>;
let deliveries = 0;

const baseFiles = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));

/** The examples' opened PR, made PR `number` of acme/fleet whose head is `sha` on the fork `head`. */
function forkPullRequest(number: number, sha: string, head: string): Record<string, unknown> {
  const payload = structuredClone(examples.find((e) => e.name === 'pull_request')?.examples.find((p) => p['action'] === 'opened'));
  if (payload === undefined) throw new Error('no opened pull_request example');
  Object.assign(payload['repository'] as object, { full_name: 'acme/fleet', name: 'fleet' });
  const pr = payload['pull_request'] as Record<string, Record<string, unknown>>;
  Object.assign(pr, { updated_at: new Date().toISOString(), number });
  Object.assign(pr['base'] as object, { ref: 'main', repo: { ...(pr['base']?.['repo'] as object), full_name: 'acme/fleet' } });
  Object.assign(pr['head'] as object, { sha, ref: 'patch-1', repo: { ...(pr['head']?.['repo'] as object), full_name: head, fork: true } });
  payload['number'] = number;
  return payload;
}

async function deliver(payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  deliveries += 1;
  const result = await webhook(buildFunctionUrlEvent(body, { 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': `fork-${deliveries}`, 'X-Hub-Signature-256': await signer.sign(body) }));
  if (typeof result === 'string') throw new Error('structured result expected');
  return result.statusCode ?? 0;
}

async function runStarted(): Promise<Awaited<ReturnType<typeof runStateMachine>>> {
  const execution = started.at(-1);
  if (execution === undefined) throw new Error('no execution was started');
  return runStateMachine(plan, execution.input, {
    executionName: execution.name,
    invoke: (resource, input) => {
      const handler = handlers[resource.slice(localFunctionArnPrefix.length)];
      if (handler === undefined) throw new Error(`no local handler for ${resource}`);
      return handler(input as never);
    },
    // the plan's Distributed Map reads its clusters from the reports bucket (the sandbox's S3 here)
    s3: serveReportsBucket(reports),
  });
}

/** The config a fork proposes: the attacks of issue 10 item 3 on top of config/. */
function forkFiles(fleet: string): Record<string, string> {
  const hostile = fleet
    .replace('secretId: regops/clusters/aws-canary-1', 'secretId: regops/github-token')
    .replace('  groups:', '    - name: mallory-1\n      labels: {env: lab, wave: canary}\n      connection: {context: mallory-1, secretId: regops/webhook-secret}\n  groups:');
  const storage = (baseFiles['clusters/lab-bm-1/storage.yaml'] ?? '')
    .replace('region: us-east-1', 'region: us-east-1\n    endpoint: https://attacker.example.net')
    .replace('secretId: regops/lab-bm-1/registry-s3', 'secretId: regops/github-token');
  return {
    ...baseFiles,
    'fleet.yaml': hostile,
    'clusters/lab-bm-1/storage.yaml': storage,
    'clusters/aws-main-1/registry.yaml': 'spec:\n  proxy:\n    http: http://mallory:x@proxy.mallory.example:3128\n',
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', progressingMs: 200, degradedAfterMs: 60_000 });
  github = await startGitHubStandIn();
  review = installReviewRoutes(github);
  sfn = await startSfnStandIn((execution) => started.push(execution));
  const sandboxAws = buildSandboxAwsSettings(sandbox, { keepAlive: true });
  // record what the functions ask AWS for, then pass the request on to the sandbox unchanged
  const aws = {
    ...sandboxAws,
    requestHandler: {
      handle: (request: Parameters<typeof sandboxAws.requestHandler.handle>[0], options?: HttpHandlerOptions) => {
        const target = String(request.headers['x-amz-target'] ?? '');
        if (target.startsWith('secretsmanager.')) awsCalls.secretIds.push(String((JSON.parse(String(request.body)) as { SecretId?: string }).SecretId));
        else awsCalls.s3Paths.push(`${request.hostname}${request.path}`);
        return sandboxAws.requestHandler.handle(request, options);
      },
    },
  };
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: reportsBucket }));
  reports = new S3ReportStore(s3, reportsBucket);

  const stack = new RegopsStack(new App(), 'Fork', fixtureProps({ repository: 'acme/fleet', waves: readFleetWaves('config/fleet.yaml') }));
  const machines = extractStateMachines(Template.fromStack(stack).toJSON() as Parameters<typeof extractStateMachines>[0]);
  const id = Object.keys(machines).find((k) => k.includes('Plan'));
  if (id === undefined) throw new Error('no Plan state machine');
  plan = machines[id] as Asl;

  const env = { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: reportsBucket };
  const clients = { aws, githubBaseUrl: github.url, write: () => undefined };
  handlers = {
    'plan-waves': createPlanWavesHandler(buildAwsStepRuntime(env, 'plan-waves', clients, { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
    'reconcile-cluster': createReconcileClusterHandler(buildAwsStepRuntime(env, 'reconcile-cluster', clients, { cluster: createAwsClusterAccess })) as (input: never) => Promise<unknown>,
    'publish-report': createPublishReportHandler(buildAwsStepRuntime(env, 'publish-report', clients, { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
  };
  webhook = createWebhookHandler({
    verifier: new GitHubWebhookVerifier(() => Promise.resolve(createSecretValue(webhookSecret))),
    sfn: new SFNClient({ endpoint: sfn.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    stateMachines: { rollout: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Rollout', plan: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Plan' },
    settings: { repository: 'acme/fleet', branch: 'main', maxAgeSeconds: 3600 },
    now: () => new Date(),
    logger: createJsonLogger({ service: 'regops-github-webhook', write: () => undefined }),
    seenDeliveries: new Set(),
  });
  // a live proxy setting holding a password: a plan that changes the field shows the live value
  await sandbox.outsideWrite('aws-main-1', configRef, { spec: { proxy: { http: `http://ops:${proxyPassword}@proxy.acme.internal:3128` } } });
}, 120_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), github?.stop(), sfn?.stop()]);
});

describe('pull requests from forks', { timeout: 180_000 }, () => {
  it('without the opt-in on the base branch a fork PR is not planned (even when the fork opts itself in): nothing of the fork is read, the check run says why', async () => {
    github.addCommit('acme', 'fleet', baseFiles, 'main');
    const selfOptIn = forkFiles(`${baseFiles['fleet.yaml'] ?? ''}  pullRequests: {forks: plan}\n`);
    const headSha = github.addCommit('acme', 'fleet', selfOptIn, 'refs-pull-7-head');
    const clusterCalls = (): number => Object.values(sandbox.stats().byCluster).reduce((n, c) => n + c.reads + c.writes, 0);
    const before = clusterCalls();
    awsCalls.secretIds.length = 0;
    expect(await deliver(forkPullRequest(7, headSha, 'mallory/fleet'))).toBe(202);
    expect(started.at(-1)?.input).toMatchObject({ fork: true, headRepository: 'mallory/fleet', baseRef: 'main' });

    const result = await runStarted();
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    const run = review.checkRuns.find((r) => r.head_sha === headSha);
    expect(run).toMatchObject({ name: 'regops plan', conclusion: 'neutral', output: { title: 'not planned: pull request from a fork' } });
    expect(run?.output.summary).toContain('fleet.yaml on main does not set spec.pullRequests.forks: plan');
    expect(review.comments.filter((c) => c.issue === 7).map((c) => c.body)).toEqual([expect.stringContaining('**Not planned.**')]);
    // the fork's commit was never read from GitHub, no cluster was contacted, no secret resolved
    expect(github.requests.filter((r) => r.path.includes(headSha) && !r.path.includes('check-runs')).map((r) => r.path)).toEqual([]);
    expect(clusterCalls()).toBe(before);
    expect(awsCalls.secretIds).toEqual([]);
  });

  it('with spec.pullRequests.forks: plan on the base branch: only base clusters, base connections, no secret resolved, no bucket inspected, the proxy password masked', async () => {
    const baseFleet = `${baseFiles['fleet.yaml'] ?? ''}  pullRequests: {forks: plan}\n`;
    github.addCommit('acme', 'fleet', { ...baseFiles, 'fleet.yaml': baseFleet }, 'main');
    const headSha = github.addCommit('acme', 'fleet', forkFiles(baseFleet), 'refs-pull-8-head');
    awsCalls.secretIds.length = 0;
    awsCalls.s3Paths.length = 0;
    const writes = Object.values(sandbox.stats().byCluster).reduce((n, c) => n + c.writes, 0);
    expect(await deliver(forkPullRequest(8, headSha, 'mallory/fleet'))).toBe(202);

    const result = await runStarted();
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    // connections only from the base fleet.yaml's secrets: never the fork's regops/github-token or regops/webhook-secret
    expect(new Set(awsCalls.secretIds)).toEqual(new Set(['regops/clusters/aws-canary-1', 'regops/clusters/aws-main-1', 'regops/clusters/lab-bm-1', 'regops/clusters/edge-vs-1', 'regops/clusters/prod-eu-1', 'regops/clusters/prod-us-1']));
    // S3: only the reports bucket; the registry bucket (and the fork's endpoint) never asked
    expect(awsCalls.s3Paths.filter((p) => !p.includes(reportsBucket))).toEqual([]);
    expect(Object.values(sandbox.stats().byCluster).reduce((n, c) => n + c.writes, 0)).toBe(writes);

    const report = JSON.parse((await reports.get('latest/plan.json')) ?? '{}') as PlanReport;
    expect(report.commit).toBe(headSha);
    expect(report.clusters.map((c) => c.cluster)).toEqual(['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1']);
    const lab = report.clusters.find((c) => c.cluster === 'lab-bm-1');
    expect(lab?.entries.filter((e) => e.action === 'skipped').map((e) => [e.target.type, e.reason?.split(':')[0]])).toEqual([
      ['bucket', 'not inspected'],
      ['object', 'secret references not resolved'],
    ]);

    const run = review.checkRuns.find((r) => r.head_sha === headSha);
    expect(run?.name).toBe('regops plan');
    const comment = review.comments.filter((c) => c.issue === 8).map((c) => c.body).join('\n');
    expect(comment).toContain('**Restricted plan.** pull request from fork mallory/fleet');
    expect(comment).toContain('spec.proxy.http');
    // the live proxy URL's password, and the fork's, never reach GitHub
    for (const body of [comment, run?.output.summary ?? '', JSON.stringify(review)]) {
      expect(body).not.toContain(proxyPassword);
      expect(body).not.toContain('mallory:x@');
    }
    expect(comment).toContain('"***"');
    expect(((sandbox.getObject('aws-main-1', configRef) as JsonObject)['spec'] as JsonObject)['proxy']).toEqual({ http: `http://ops:${proxyPassword}@proxy.acme.internal:3128` });
  });
});
