/**
 * End to end, in-process: a signed push event → the webhook handler → StartExecution (a local
 * stand-in: no Step Functions here) → the rollout definition the stack synthesizes, run by
 * aws-local-stepfunctions (test/support/local-step-functions.ts: an independent interpreter, with
 * Retry, Catch, Parameters and ResultSelector as AWS runs them) with every Task routed to the
 * function code bundled by infra/bundle.ts's esbuild options (bundle-entry.ts) → the sandbox fleet
 * (config/ of this repository) updated → reports in the sandbox's S3 → GitHub calls (tree, blobs,
 * statuses, check runs, issues, comments) recorded by the stand-in. Then the drift workflow, a pull
 * request plan (valid and invalid config), a halted rollout and a publish retried after S3 500s.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Webhooks } from '@octokit/webhooks';
import type { HttpHandlerOptions, HttpResponse } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubWebhookVerifier } from '../../../functions/adapters/github/github-webhook-verifier.ts';
import { createJsonLogger } from '../../../functions/adapters/observability/json-logger.ts';
import { S3ReportStore } from '../../../functions/adapters/s3/s3-report-store.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import type { DriftReport, JsonObject, RolloutReport } from '../../../functions/core/model.ts';
import { createWebhookHandler } from '../../../functions/handlers/github-webhook.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { bundleOptions } from '../../../infra/bundle.ts';
import { readFleetWaves } from '../../../infra/fleet-waves.ts';
import { RegopsStack } from '../../../infra/regops-stack.ts';
import { fixtureProps } from '../../infra/stack-fixture.ts';
import { buildFunctionUrlEvent } from '../../support/function-url-event.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';
import { installReviewRoutes, type ReviewState } from '../../support/github/review-routes.ts';
import { startSfnStandIn, type SfnStandIn, type StartedExecution } from '../../support/sfn-stand-in.ts';
import { extractStateMachines, localFunctionArnPrefix, runStateMachine, serveReportsBucket, type Asl, type ExecutionResult, type LocalObjectStore } from '../../support/local-step-functions.ts';
import { build } from 'esbuild';
import type { RecordedRequest } from '../../support/aws-call-recorder.ts';
import { checkRoleCalls } from '../../support/check-role-calls.ts';
import { startLostAnswerProxy, type LostAnswerProxy } from './lost-answer-proxy.ts';

process.env['CDK_VALIDATION'] = 'false';
// as the Lambda runtime sets it for an on-demand environment; Powertools reports a cold start only then
process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
const require = createRequire(import.meta.url);
type Entry = typeof import('./bundle-entry.ts');
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
// random-looking, as a real one is: every 8-character piece of a secret is redacted from the logs
// (redact-secrets.ts), and 'e2e-webhook-secret' shares '-webhook' with the service name regops-github-webhook
const webhookSecret = 'e2e-7c41f09a3be2d56e';
const signer = new Webhooks({ secret: webhookSecret });
const bucket = 'regops-reports';

let sandbox: Sandbox;
let github: GitHubStandIn;
/** The functions reach the stand-in through it, so a test can make GitHub lose an answer. */
let githubFront: LostAnswerProxy;
let review: ReviewState;
let sfn: SfnStandIn;
let machines: { rollout: Asl; plan: Asl; drift: Asl };
let handlers: Record<string, (input: never, context: Context) => Promise<unknown>>;
let webhook: ReturnType<typeof createWebhookHandler>;
let reports: S3ReportStore;
/** The reports bucket where the Distributed Maps read their items and write their results: the sandbox's S3, through the report store. */
let runBucket: LocalObjectStore;
const logLines: string[] = [];
const started: StartedExecution[] = [];
let deliveryCount = 0;
/** S3 PutObject requests for a key ending so answer HTTP 500 while `count` > 0 (see s3Faults below). */
const putFaults = { keySuffix: '', count: 0, served: 0 };
const awsRequests: Array<{ fn: string; request: RecordedRequest }> = [];
let template: Parameters<typeof extractStateMachines>[0] & { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

const baseFiles = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));

function example(name: string, pick: (p: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

/** The examples' push to master, made a push of `sha` to acme/fleet main, files listed as GitHub would. */
function pushPayload(sha: string, modified: string[]): Record<string, unknown> {
  const payload = example('push', (p) => p['ref'] === 'refs/heads/master' && p['deleted'] === false);
  const repository = payload['repository'] as Record<string, unknown>;
  Object.assign(repository, { full_name: 'acme/fleet', name: 'fleet', pushed_at: Math.floor(Date.now() / 1000) });
  Object.assign(payload, { ref: 'refs/heads/main', after: sha });
  for (const commit of payload['commits'] as Array<Record<string, unknown>>) Object.assign(commit, { id: sha, added: [], removed: [], modified });
  return payload;
}

function pullRequestPayload(action: string, number: number, sha: string): Record<string, unknown> {
  const payload = example('pull_request', (p) => p['action'] === action);
  Object.assign(payload['repository'] as object, { full_name: 'acme/fleet', name: 'fleet' });
  const pr = payload['pull_request'] as Record<string, unknown>;
  Object.assign(pr, { updated_at: new Date().toISOString(), number });
  Object.assign(pr['head'] as object, { sha, ref: 'feature' });
  payload['number'] = number;
  return payload;
}

async function deliver(event: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(payload);
  deliveryCount += 1;
  const result = await webhook(buildFunctionUrlEvent(body, { 'X-GitHub-Event': event, 'X-GitHub-Delivery': `e2e-${deliveryCount}`, 'X-Hub-Signature-256': await signer.sign(body) }), lambdaContext('github-webhook'));
  if (typeof result === 'string') throw new Error('structured result expected');
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

/**
 * The context object the Lambda runtime hands a handler (nothing runs the Lambda runtime here): a
 * request id per invocation and the function's name, as the runtime sets them.
 */
function lambdaContext(name: string): Context {
  const functionName = `E2E-${name}`;
  return {
    awsRequestId: randomUUID(), functionName, functionVersion: '$LATEST', memoryLimitInMB: '512', callbackWaitsForEmptyEventLoop: true,
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`, logGroupName: `/aws/lambda/${functionName}`, logStreamName: '2026/12/04/[$LATEST]0',
    getRemainingTimeInMillis: () => 60_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
  };
}

/** Each Task resource (a Lambda ARN ending in the handler's name) runs that function's bundled handler. */
async function invoke(resource: string, input: unknown): Promise<unknown> {
  const name = resource.slice(localFunctionArnPrefix.length);
  const handler = handlers[name];
  if (handler === undefined) throw new Error(`no local handler for ${resource}`);
  return handler(input as never, lambdaContext(name));
}

/** Runs the execution the webhook started, as Step Functions would; a Wait is a short real pause
 * (the sandbox operator settles in progressingMs, 200 ms). */
async function runStarted(execution: StartedExecution | undefined, asl: Asl): Promise<ExecutionResult> {
  if (execution === undefined) throw new Error('no execution was started');
  return runStateMachine(asl, execution.input, { executionName: execution.name, invoke, s3: runBucket });
}

async function readJson<T>(key: string): Promise<T> {
  const text = await reports.get(key);
  if (text === undefined) throw new Error(`${key}: not in the reports bucket`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', progressingMs: 200, degradedAfterMs: 60_000 });
  github = await startGitHubStandIn();
  review = installReviewRoutes(github);
  githubFront = await startLostAnswerProxy(github.url);
  sfn = await startSfnStandIn((execution) => started.push(execution));
  const sandboxAws = buildSandboxAwsSettings(sandbox, { keepAlive: true });
  // S3 faults at the HTTP layer (the sandbox's S3 has no fault switch): while putFaults.count > 0,
  // a PutObject of a matching key answers 500 InternalError without reaching the emulator, so the
  // real SDK, its own retries and the adapter's error mapping all run
  // every request a function's clients send is also recorded with that function's name, to be
  // checked against its synthesized role (last test)
  const awsFor = (fn: string) => ({
    ...sandboxAws,
    requestHandler: {
      handle: (request: Parameters<typeof sandboxAws.requestHandler.handle>[0], options?: HttpHandlerOptions) => {
        if (fn !== 'test') awsRequests.push({ fn, request: { method: request.method, path: request.path, query: request.query, headers: request.headers, ...(typeof request.body === 'string' ? { body: request.body } : request.body instanceof Uint8Array ? { body: Buffer.from(request.body).toString('utf8') } : {}) } });
        if (request.method === 'PUT' && putFaults.count > 0 && putFaults.keySuffix !== '' && request.path.endsWith(putFaults.keySuffix)) {
          putFaults.count -= 1;
          putFaults.served += 1;
          const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';
          const response: HttpResponse = { statusCode: 500, headers: { 'content-type': 'application/xml' }, body: Buffer.from(body) };
          return Promise.resolve({ response });
        }
        return sandboxAws.requestHandler.handle(request, options);
      },
    },
  });
  const s3 = new S3Client({ ...awsFor('test'), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  reports = new S3ReportStore(s3, bucket);
  runBucket = serveReportsBucket(reports);

  // the definitions come from the stack itself, shaped by config/fleet.yaml's waves
  const stack = new RegopsStack(new App(), 'E2E', fixtureProps({ repository: 'acme/fleet', waves: readFleetWaves('config/fleet.yaml') }));
  template = Template.fromStack(stack).toJSON() as typeof template;
  const found = extractStateMachines(template);
  const pick = (fragment: string): Asl => {
    const id = Object.keys(found).find((k) => k.includes(fragment));
    if (id === undefined) throw new Error(`no ${fragment} state machine`);
    return found[id] as Asl;
  };
  machines = { rollout: pick('Rollout'), plan: pick('Plan'), drift: pick('Drift') };

  // the function code as Lambda runs it: bundled with the functions' esbuild options
  const entryFile = join('cdk.out', 'e2e-bundles', 'entry.mjs');
  await build(bundleOptions(join('test', 'integration', 'serverless', 'bundle-entry.ts'), entryFile));
  const entry = (await import(pathToFileURL(entryFile).href)) as Entry;

  // the environment the stack gives the functions, pointed at the sandbox and the stand-in
  const env = { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: bucket, REGOPS_FIRST_LOOK_MS: '0', REGOPS_POLL_SECONDS: '1', REGOPS_HEALTH_TIMEOUT_MS: '30000' };
  // as deployed: only reconcile-cluster and drift-scan reach the clusters, only plan-waves and publish-report GitHub
  const clusterFacing = new Set(['reconcile-cluster', 'drift-scan']);
  const runtime = (name: string) => entry.buildAwsStepRuntime(env, name, { aws: awsFor(name) as NonNullable<NonNullable<Parameters<Entry['buildAwsStepRuntime']>[2]>['aws']>, githubBaseUrl: githubFront.url, write: (line) => logLines.push(line) }, clusterFacing.has(name) ? { cluster: entry.createAwsClusterAccess } : { github: entry.createGitHubAccess });
  handlers = {
    'plan-waves': entry.createPlanWavesHandler(runtime('plan-waves')) as (input: never, context: Context) => Promise<unknown>,
    'reconcile-cluster': entry.createReconcileClusterHandler(runtime('reconcile-cluster')) as (input: never, context: Context) => Promise<unknown>,
    'drift-scan': entry.createDriftScanHandler(runtime('drift-scan')) as (input: never, context: Context) => Promise<unknown>,
    'publish-report': entry.createPublishReportHandler(runtime('publish-report')) as (input: never, context: Context) => Promise<unknown>,
  };
  webhook = createWebhookHandler({
    verifier: new GitHubWebhookVerifier(() => Promise.resolve(createSecretValue(webhookSecret))),
    sfn: new SFNClient({ endpoint: sfn.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    stateMachines: { rollout: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Rollout', plan: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Plan' },
    settings: { repository: 'acme/fleet', branch: 'main', maxAgeSeconds: 3600 },
    now: () => new Date(),
    logger: createJsonLogger({ service: 'regops-github-webhook', write: (line) => logLines.push(line) }),
    seenDeliveries: new Set(),
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), github?.stop(), sfn?.stop(), githubFront?.stop()]);
});

// each step runs real clients against the sandbox with real (short) waits: generous on a loaded machine
describe('serverless end to end', { timeout: 180_000 }, () => {
  let mainSha = '';

  it('a signed push rolls config/ out to the fleet through the synthesized rollout workflow', async () => {
    mainSha = github.addCommit('acme', 'fleet', baseFiles, 'main');
    const answer = await deliver('push', pushPayload(mainSha, ['base/registry.yaml']));
    expect(answer).toEqual({ status: 202, body: { result: 'started', workflow: 'rollout', execution: `rollout-${mainSha}` } });

    // Every cluster's workers are cordoned until its first poll, so the apply's first look (0 ms)
    // finds the new registry pods Pending (functions/sandbox/simulated-scheduler.ts) however loaded the
    // machine is. Without it the test raced the sandbox operator's 200 ms Progressing window: a
    // first look later than that found the cluster healthy and that child never reached the Wait.
    const workers = (cluster: string) => [0, 1, 2].map((index) => ({ apiVersion: 'v1', kind: 'Node', name: `${cluster}-worker-${index}` }));
    const cordon = async (cluster: string, unschedulable: boolean) => {
      for (const node of workers(cluster)) await sandbox.outsideWrite(cluster, node, { spec: { unschedulable } });
    };
    const held = new Set(sandbox.clusters);
    const releaseAtFirstPoll = async (resource: string, input: unknown): Promise<unknown> => {
      const step = input as { phase?: string; cluster?: string };
      if (resource.endsWith(':reconcile-cluster') && step.phase === 'poll' && step.cluster !== undefined && held.delete(step.cluster)) await cordon(step.cluster, false);
      return invoke(resource, input);
    };
    for (const cluster of held) await cordon(cluster, true);
    const execution = started.at(-1);
    if (execution === undefined) throw new Error('no execution was started');
    let result: ExecutionResult;
    try {
      result = await runStateMachine(machines.rollout, execution.input, { executionName: execution.name, invoke: releaseAtFirstPoll, s3: runBucket });
    } finally {
      for (const cluster of held) await cordon(cluster, false);
    }
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    // waves in fleet order, each cluster a child execution of its wave's Distributed Map (two per
    // wave), with the health gate polled through the Wait state there (first look 0 ms)
    const waves = result.history.filter((s) => s.startsWith('Wave '));
    expect(waves).toEqual(['Wave 1 canary', 'Wave 2 main', 'Wave 3 prod']);
    expect(result.children).toHaveLength(6);
    expect(result.history.filter((s) => s.startsWith('Wait for health'))).toEqual([]);
    expect([...held]).toEqual([]);
    expect(result.children.filter((c) => !c.history.some((s) => s.startsWith('Wait for health'))).map((c) => c.history)).toEqual([]);
    // every wave changed something, so each bakes before the next
    expect(result.history.filter((s) => s.startsWith('Bake after wave'))).toEqual(['Bake after wave 1 canary', 'Bake after wave 2 main']);

    for (const cluster of sandbox.clusters) {
      const live = sandbox.getObject(cluster, configRef) as JsonObject;
      const annotations = (live['metadata'] as JsonObject)['annotations'] as JsonObject;
      expect(annotations['regops.io/applied-commit'], cluster).toBe(mainSha);
    }
    expect(((sandbox.getObject('aws-canary-1', configRef) as JsonObject)['spec'] as JsonObject)['logLevel']).toBe('Debug');
    expect(((sandbox.getObject('aws-main-1', configRef) as JsonObject)['spec'] as JsonObject)['replicas']).toBe(2);

    const report = await readJson<RolloutReport>('latest/rollout.json');
    expect(report).toMatchObject({ apiVersion: 'regops/v1', kind: 'RolloutReport', commit: mainSha, status: 'succeeded' });
    expect(report.waves.map((w) => [w.name, w.status, w.clusters.map((c) => c.outcome)])).toEqual([
      ['canary', 'succeeded', ['succeeded', 'succeeded']],
      ['main', 'succeeded', ['succeeded', 'succeeded']],
      ['prod', 'succeeded', ['succeeded', 'succeeded']],
    ]);
    expect(await reports.get('latest/rollout.md')).toContain(mainSha.slice(0, 7));
    expect(await reports.get('latest/index.html')).toMatch(/<html/i);
    expect(await reports.list('history/rollout/')).toHaveLength(1);

    // GitHub: one recursive tree read and the blobs for the whole run, then status + check run
    const reads = github.requests.filter((r) => r.method === 'GET');
    expect(reads.filter((r) => r.path.includes('/git/trees/'))).toHaveLength(1);
    expect(reads.filter((r) => r.path.includes('/git/blobs/')).length).toBeGreaterThan(5);
    expect(review.statuses).toContainEqual(expect.objectContaining({ sha: mainSha, context: 'regops/rollout', state: 'success' }));
    expect(review.checkRuns).toContainEqual(expect.objectContaining({ head_sha: mainSha, name: 'regops rollout', conclusion: 'success' }));

    // every log line of a cluster step names the commit; reconcile lines name the cluster too
    const reconcileLines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['service'] === 'regops-reconcile-cluster' && l['_aws'] === undefined);
    expect(reconcileLines.length).toBeGreaterThan(0);
    for (const line of reconcileLines) expect(line['cluster']).not.toBeNull();
    expect(reconcileLines.filter((l) => l['commit'] === mainSha).length).toBeGreaterThan(0);
  });

  it('a redelivered push starts nothing new', async () => {
    const before = sfn.executions.length;
    const answer = await deliver('push', pushPayload(mainSha, ['base/registry.yaml']));
    expect(answer.body['result']).toBe('already-started');
    expect(sfn.executions.length).toBe(before);
  });

  it('an S3 500 at Publish rollout is retried by the state machine and the rollout succeeds (Retry on TransientStepError)', async () => {
    const historyBefore = await reports.list('history/rollout/');
    // three 500s: the SDK's own three attempts of one PutObject all fail, so the step throws once,
    // after its first attempt wrote the history entry (history is written first: publish-report.ts)
    Object.assign(putFaults, { keySuffix: '/latest/rollout.json', count: 3, served: 0 });
    try {
      const result = await runStateMachine(machines.rollout, { commit: mainSha }, { executionName: `rollout-${mainSha}-rerun`, invoke, s3: runBucket });
      expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
      expect(putFaults.served).toBe(3);
      expect(result.retried).toEqual(['Publish rollout']);
    } finally {
      Object.assign(putFaults, { keySuffix: '', count: 0 });
    }
    expect(await readJson<RolloutReport>('latest/rollout.json')).toMatchObject({ commit: mainSha, status: 'succeeded' });
    expect(review.statuses.at(-1)).toMatchObject({ sha: mainSha, context: 'regops/rollout', state: 'success' });
    // the retry published the report its first attempt stored: one history entry for this execution,
    // the same report in latest/, and the commit's one check run updated in place
    const added = (await reports.list('history/rollout/')).filter((key) => !historyBefore.includes(key));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(new RegExp(`-${mainSha.slice(0, 12)}\\.json$`));
    expect(await reports.get(added[0] ?? '')).toBe(await reports.get('latest/rollout.json'));
    expect(review.checkRuns.filter((r) => r.head_sha === mainSha && r.name === 'regops rollout')).toHaveLength(1);
  });

  it('the drift workflow reports an outside change, opens an issue, corrects enforce clusters, and closes the issue once back in sync', async () => {
    await sandbox.outsideWrite('aws-main-1', configRef, { spec: { logLevel: 'Trace' } });
    await sandbox.outsideWrite('prod-eu-1', configRef, { spec: { logLevel: 'Trace' } });
    const first = await runStateMachine(machines.drift, { trigger: 'schedule' }, { invoke, waitMs: 0, s3: runBucket });
    expect(first.status, `${first.error ?? ''} ${first.cause ?? ''}`).toBe('SUCCEEDED');
    const drift = await readJson<DriftReport>('latest/drift.json');
    expect(drift.commit).toBe(mainSha);
    const byCluster = new Map(drift.clusters.map((c) => [c.cluster, c]));
    expect(byCluster.get('aws-main-1')).toMatchObject({ state: 'drifted', policy: 'inform' });
    expect(byCluster.get('aws-main-1')?.resources[0]?.changes).toContainEqual(expect.objectContaining({ path: 'spec.logLevel', before: 'Trace', after: 'Normal' }));
    // prod is policy enforce: corrected through the same apply path
    expect(byCluster.get('prod-eu-1')).toMatchObject({ policy: 'enforce', corrected: { outcome: 'succeeded' } });
    expect(((sandbox.getObject('prod-eu-1', configRef) as JsonObject)['spec'] as JsonObject)['logLevel']).toBe('Normal');
    expect(review.issues.filter((i) => i.state === 'open').map((i) => i.title)).toEqual(['regops: aws-main-1 is drifted']);
    expect(review.statuses.at(-1)).toMatchObject({ sha: mainSha, context: 'regops/drift', state: 'failure' });
    const metrics = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['_aws'] !== undefined && l['DriftedClusters'] !== undefined);
    // both clusters drifted; one of them was corrected (ApplyFailures counts failed corrections)
    expect(metrics.at(-1)).toMatchObject({ DriftedClusters: 2, DriftedFields: 2, ApplyFailures: 0, Function: 'publish-report', commit: mainSha });

    await sandbox.outsideWrite('aws-main-1', configRef, { spec: { logLevel: 'Normal' } });
    const second = await runStateMachine(machines.drift, { trigger: 'schedule' }, { invoke, waitMs: 0, s3: runBucket });
    expect(second.status).toBe('SUCCEEDED');
    expect(review.issues.map((i) => [i.title, i.state])).toEqual([['regops: aws-main-1 is drifted', 'closed']]);
    expect(review.statuses.at(-1)).toMatchObject({ context: 'regops/drift', state: 'success' });
    expect(await reports.list('history/drift/')).toHaveLength(2);
  });

  it('a pull request gets a plan check run and one comment, updated in place; invalid config fails the check with FILE:LINE', async () => {
    const changed = { ...baseFiles, 'base/registry.yaml': (baseFiles['base/registry.yaml'] ?? '').replace('logLevel: Normal', 'logLevel: Debug') };
    const headSha = github.addCommit('acme', 'fleet', changed, 'feature');
    expect((await deliver('pull_request', pullRequestPayload('opened', 5, headSha))).status).toBe(202);
    const planned = await runStarted(started.at(-1), machines.plan);
    expect(planned.status, `${planned.error ?? ''} ${planned.cause ?? ''}`).toBe('SUCCEEDED');
    expect(review.checkRuns).toContainEqual(expect.objectContaining({ head_sha: headSha, name: 'regops plan', conclusion: 'success' }));
    const comments = () => review.comments.filter((c) => c.issue === 5);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain('spec.logLevel');
    // nothing was written: planning is read-only
    expect(((sandbox.getObject('aws-main-1', configRef) as JsonObject)['spec'] as JsonObject)['logLevel']).toBe('Normal');

    const broken = { ...changed, 'base/registry.yaml': (changed['base/registry.yaml'] ?? '').replace('managementState: Managed', 'managementState: Manged') };
    const brokenSha = github.addCommit('acme', 'fleet', broken, 'feature');
    expect((await deliver('pull_request', pullRequestPayload('synchronize', 5, brokenSha))).status).toBe(202);
    const rejected = await runStarted(started.at(-1), machines.plan);
    expect(rejected.status).toBe('SUCCEEDED');
    expect(rejected.history).not.toContain('Plan clusters');
    const run = review.checkRuns.find((r) => r.head_sha === brokenSha);
    expect(run).toMatchObject({ name: 'regops plan', conclusion: 'failure' });
    const line = (broken['base/registry.yaml'] ?? '').split('\n').findIndex((l) => l.includes('Manged')) + 1;
    expect(run?.output.annotations).toContainEqual(expect.objectContaining({ path: 'base/registry.yaml', start_line: line, annotation_level: 'failure' }));
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain(`base/registry.yaml:${line}:`);
  });

  it('GitHub loses its answers to the check run and the PR comment it created (502): the plan publishes one of each, and one history entry', async () => {
    const changed = { ...baseFiles, 'base/registry.yaml': (baseFiles['base/registry.yaml'] ?? '').replace('logLevel: Normal', 'logLevel: TraceAll') };
    const headSha = github.addCommit('acme', 'fleet', changed, 'feature');
    const historyBefore = (await reports.list('history/plan/')).length;
    const lostRun = githubFront.lose('POST', /\/check-runs$/, 1);
    const lostComment = githubFront.lose('POST', /\/issues\/7\/comments$/, 1);
    expect((await deliver('pull_request', pullRequestPayload('opened', 7, headSha))).status).toBe(202);
    const planned = await runStarted(started.at(-1), machines.plan);
    expect(planned.status, `${planned.error ?? ''} ${planned.cause ?? ''}`).toBe('SUCCEEDED');
    expect([lostRun.lost, lostComment.lost]).toEqual([1, 1]);
    // @octokit/plugin-retry would have sent each POST again (two check runs, two comments); the
    // publisher looks them up by name and commit, by marker, and finds what its POST made
    expect(review.checkRuns.filter((r) => r.head_sha === headSha)).toMatchObject([{ name: 'regops plan', conclusion: 'success' }]);
    expect(review.comments.filter((c) => c.issue === 7)).toHaveLength(1);
    expect(await reports.list('history/plan/')).toHaveLength(historyBefore + 1);
  });

  it('a push of invalid config rolls nothing out and marks the commit failed with the reason', async () => {
    const broken = { ...baseFiles, 'base/registry.yaml': (baseFiles['base/registry.yaml'] ?? '').replace('managementState: Managed', 'managementState: Manged') };
    const sha = github.addCommit('acme', 'fleet', broken, 'main');
    const writes = sandbox.stats().byCluster;
    const before = Object.values(writes).reduce((n, c) => n + c.writes, 0);
    expect((await deliver('push', pushPayload(sha, ['base/registry.yaml']))).status).toBe(202);
    const result = await runStarted(started.at(-1), machines.rollout);
    expect(result).toMatchObject({ status: 'FAILED', error: 'WorkflowError' });
    expect(result.history).toEqual(['Plan waves', 'Publish refused rollout', 'Rollout not planned']);
    expect(Object.values(sandbox.stats().byCluster).reduce((n, c) => n + c.writes, 0)).toBe(before);
    const status = review.statuses.at(-1);
    expect(status).toMatchObject({ sha, context: 'regops/rollout', state: 'failure' });
    expect(status?.description).toMatch(/^not rolled out: config [0-9a-f]+: \d+ validation error\(s\), first: base\/registry\.yaml:\d+:\d+ /);
  });

  it('an execution started by hand with a malformed input fails at once with StepInputError, never retried (Powertools Parser)', async () => {
    const result = await runStateMachine(machines.rollout, { commit: 42 }, { executionName: 'rollout-by-hand-malformed', invoke, s3: runBucket });
    // Plan waves refuses it, and so does Publish refused rollout, which has no commit to report on
    expect(result).toMatchObject({ status: 'FAILED', error: 'StepInputError', retried: [], history: ['Plan waves', 'Publish refused rollout'] });
    expect(result.cause).toContain('publish-report input: commit: Invalid input: expected string, received number');
  });

  it('a canary that cannot be reached halts the rollout: later waves untouched, the report and GitHub say where and why', async () => {
    const changed = { ...baseFiles, 'groups/aws/registry.yaml': (baseFiles['groups/aws/registry.yaml'] ?? '').replace('replicas: 2', 'replicas: 3') };
    const sha = github.addCommit('acme', 'fleet', changed, 'main');
    sandbox.faults('aws-canary-1').set({ down: true });
    try {
      expect((await deliver('push', pushPayload(sha, ['groups/aws/registry.yaml']))).status).toBe(202);
      const result = await runStarted(started.at(-1), machines.rollout);
      expect(result.status).toBe('FAILED');
      expect(result.history).not.toContain('Wave 2 main');
      expect(result.history).toContain('Publish halted rollout 1 canary');
    } finally {
      sandbox.faults('aws-canary-1').clear();
    }
    const report = await readJson<RolloutReport>('latest/rollout.json');
    expect(report).toMatchObject({ commit: sha, status: 'failed', halted: { wave: 'canary' } });
    expect(report.halted?.reason).toMatch(/aws-canary-1 failed at/);
    expect(report.waves.map((w) => w.status)).toEqual(['failed', 'not-started', 'not-started']);
    expect(((sandbox.getObject('aws-main-1', configRef) as JsonObject)['spec'] as JsonObject)['replicas']).toBe(2);
    expect(review.statuses.at(-1)).toMatchObject({ sha, context: 'regops/rollout', state: 'failure' });
    expect(review.checkRuns.find((r) => r.head_sha === sha)?.output.summary).toContain('`aws-canary-1` (wave canary)');

    // the canary fixed by hand, the rollout resumes at the next wave (started by hand, another name)
    const resumed = await runStateMachine(machines.rollout, { commit: sha, fromWave: 'main' }, { invoke, s3: runBucket });
    expect(resumed.status, `${resumed.error ?? ''} ${resumed.cause ?? ''}`).toBe('SUCCEEDED');
    // the skipped canary wave changed nothing: no bake after it
    expect(resumed.history.filter((s) => s.startsWith('Bake after wave'))).toEqual(['Bake after wave 2 main']);
    const after = await readJson<RolloutReport>('latest/rollout.json');
    expect(after.waves.map((w) => w.status)).toEqual(['skipped', 'succeeded', 'succeeded']);
    expect(((sandbox.getObject('aws-main-1', configRef) as JsonObject)['spec'] as JsonObject)['replicas']).toBe(3);
    expect(review.statuses.at(-1)).toMatchObject({ sha, context: 'regops/rollout', state: 'success' });
  });

  it('every log line of the run names its commit, and every line of a cluster step its cluster (docs/run-in-aws.md "Logs")', () => {
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(100);
    const withoutCommit = lines.filter((l) => typeof l['commit'] !== 'string' || !/^[0-9a-f]{40}$/.test(l['commit']));
    expect(withoutCommit.map((l) => `${String(l['service'])}: ${String(l['message'] ?? '(metrics)')}`)).toEqual([]);
    const clusterStep = lines.filter((l) => l['service'] === 'regops-reconcile-cluster');
    expect(clusterStep.filter((l) => typeof l['cluster'] !== 'string')).toEqual([]);
  });

  it('every log line carries the Lambda context of its invocation: request id, function name, cold start (docs/run-in-aws.md "Logs")', () => {
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['_aws'] === undefined);
    const services = new Set(lines.map((l) => String(l['service'])));
    expect([...services].sort()).toEqual(['regops-drift-scan', 'regops-github-webhook', 'regops-plan-waves', 'regops-publish-report', 'regops-reconcile-cluster']);
    const without = lines.filter((l) => typeof l['function_request_id'] !== 'string' || typeof l['cold_start'] !== 'boolean' || typeof l['function_name'] !== 'string');
    expect(without.map((l) => `${String(l['service'])}: ${String(l['message'])}`)).toEqual([]);
    for (const service of services) {
      const of = lines.filter((l) => l['service'] === service);
      // one container per function here: at most one invocation is a cold start, every later one warm
      expect(new Set(of.filter((l) => l['cold_start'] === true).map((l) => l['function_request_id'])).size, service).toBeLessThanOrEqual(1);
      expect(of.at(-1)?.['cold_start'], service).toBe(false);
      expect(of.at(-1)?.['function_name'], service).toBe(`E2E-${service.replace(/^regops-/, '')}`);
    }
    // functions invoked one at a time start with their cold start; the Map children of reconcile-cluster
    // and drift-scan run side by side on one in-process logger here (Lambda runs one invocation per
    // environment), so which of their lines comes first is a race
    for (const service of ['regops-github-webhook', 'regops-plan-waves', 'regops-publish-report']) {
      expect(lines.find((l) => l['service'] === service)?.['cold_start'], service).toBe(true);
    }
  });

  it('every AWS call the functions made in this run is allowed by their synthesized role (IAM from the calls made)', () => {
    // the reports bucket of the stack is the sandbox bucket this run writes to
    const endpointPath = new URL(sandbox.aws.endpoint).pathname.replace(/\/$/, '');
    const { calls, refused } = checkRoleCalls(template, awsRequests, { bucket, endpointPath, functions: ['github-webhook', 'plan-waves', 'reconcile-cluster', 'drift-scan', 'publish-report'] });
    // the run exercised reports, connection secrets and registry buckets
    expect(calls.map((c) => c.action)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 'secretsmanager:GetSecretValue', 's3:CreateBucket']));
    expect(refused).toEqual([]);
  });
});
