/**
 * Approval gates in the Step Functions rollout (issue 13 item 2, AWS half): the rollout definition
 * the stack synthesizes from a fleet.yaml whose prod wave says `approval: required`, run by
 * aws-local-stepfunctions (test/support/local-step-functions.ts, with its waitForTaskToken shim)
 * with every Task calling the function code against the sandbox fleet and the GitHub stand-in.
 * Before prod, `Approve 3 prod` (publish-report, engine/steps/approval-request-step.ts) stores the
 * task token and creates the check run `regops approval: prod`; the webhook handler then receives a
 * signed check_run.requested_action delivery (the real payload of @octokit/webhooks-examples, ids
 * filled in as GitHub would) and answers the token with SendTaskSuccess through the real
 * @aws-sdk/client-sfn, which reaches the shim through the local Step Functions stand-in
 * (test/support/sfn-stand-in.ts: no Step Functions service runs here).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Webhooks } from '@octokit/webhooks';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubWebhookVerifier } from '../../../functions/adapters/github/github-webhook-verifier.ts';
import { createJsonLogger } from '../../../functions/adapters/observability/json-logger.ts';
import { S3ReportStore } from '../../../functions/adapters/s3/s3-report-store.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { systemClock } from '../../../functions/adapters/system-clock.ts';
import type { JsonObject, RolloutReport } from '../../../functions/core/model.ts';
import { createPlanWavesHandler } from '../../../functions/handlers/plan-waves.ts';
import { createPublishReportHandler } from '../../../functions/handlers/publish-report.ts';
import { createReconcileClusterHandler } from '../../../functions/handlers/reconcile-cluster.ts';
import { createWebhookHandler, type WebhookDependencies } from '../../../functions/handlers/github-webhook.ts';
import { buildAwsStepRuntime } from '../../../functions/handlers/wiring/aws-runtime.ts';
import { createAwsClusterAccess } from '../../../functions/handlers/wiring/cluster-access.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import { SfnTaskTokens } from '../../../functions/handlers/wiring/sfn-task-tokens.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { readFleetWaves } from '../../../infra/fleet-waves.ts';
import { RegopsStack } from '../../../infra/regops-stack.ts';
import { fixtureProps } from '../../infra/stack-fixture.ts';
import { buildFunctionUrlEvent } from '../../support/function-url-event.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { installReviewRoutes, type ReviewState } from '../../support/github/review-routes.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { createLocalTaskTokens, extractStateMachines, localFunctionArnPrefix, runStateMachine, type Asl, type ExecutionResult } from '../../support/local-step-functions.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';
import { startSfnStandIn, type SfnStandIn } from '../../support/sfn-stand-in.ts';

process.env['CDK_VALIDATION'] = 'false';
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const reportsBucket = 'regops-reports';
const webhookSecret = 'approval-test-webhook-secret';
const baseFiles = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));
// prod is gated; its approvalTimeout (2h) is the Task's TimeoutSeconds, shortened here (taskTokenTimeoutMs)
const gatedFleet = (baseFiles['fleet.yaml'] ?? '').replace(/(- name: prod\n\s+selector: \{wave: prod\}\n)/, '$1      approval: required\n      approvalTimeout: 2h\n');
/** Who may approve in the stand-in's repository (GET /repos/{o}/{r}/collaborators/{login}/permission). */
const permissions: Record<string, string> = { 'alice': 'write', 'bob': 'admin', 'mallory': 'read' };

let sandbox: Sandbox;
let github: GitHubStandIn;
let review: ReviewState;
let sfn: SfnStandIn;
const rolloutArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Rollout';
let rollout: Asl;
let reports: S3ReportStore;
let handlers: Record<string, (input: never) => Promise<unknown>>;
let webhook: ReturnType<typeof createWebhookHandler>;
const taskTokens = createLocalTaskTokens();
/** Every log line any function wrote: the token must be in none. */
const logLines: string[] = [];
let deliveries = 0;

function appliedCommit(cluster: string): unknown {
  const live = sandbox.getObject(cluster, configRef) as JsonObject;
  return ((live['metadata'] as JsonObject)['annotations'] as JsonObject | undefined)?.['regops.io/applied-commit'];
}

async function invoke(resource: string, input: unknown): Promise<unknown> {
  const handler = handlers[resource.slice(localFunctionArnPrefix.length)];
  if (handler === undefined) throw new Error(`no local handler for ${resource}`);
  return handler(input as never);
}

function startRollout(sha: string, taskTokenTimeoutMs: number, input: Record<string, unknown> = { commit: sha }): Promise<ExecutionResult> {
  const s3 = { get: (_bucket: string, key: string) => reports.get(key), put: (_bucket: string, key: string, body: string) => reports.put(key, body, 'application/json') };
  return runStateMachine(structuredClone(rollout), input, { executionName: `rollout-${sha}`, invoke, waitMs: 20, s3, taskTokens, taskTokenTimeoutMs });
}

/** Signs and delivers `payload` as GitHub would (X-GitHub-Event `event`) to the webhook function. */
async function deliver(event: string, payload: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(payload);
  deliveries += 1;
  const headers = { 'X-GitHub-Event': event, 'X-GitHub-Delivery': `approval-${deliveries}`, 'X-Hub-Signature-256': await new Webhooks({ secret: webhookSecret }).sign(body) };
  const result = await webhook(buildFunctionUrlEvent(body, headers));
  if (typeof result === 'string') throw new Error('expected a structured result');
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

/** GitHub's push delivery (the real example of @octokit/webhooks-examples) of `sha` to main by `login`, fleet.yaml changed. */
function pushPayload(sha: string, login: string): Record<string, unknown> {
  const payload = structuredClone(examples.find((e) => e.name === 'push')?.examples.find((p) => p['deleted'] === false && Array.isArray(p['commits']) && (p['commits'] as unknown[]).length > 0));
  if (payload === undefined) throw new Error('no push example');
  Object.assign(payload, { ref: 'refs/heads/main', after: sha, head_commit: null });
  Object.assign(payload['repository'] as Record<string, unknown>, { full_name: 'acme/fleet', pushed_at: Math.floor(Date.now() / 1000) });
  for (const commit of payload['commits'] as Array<Record<string, unknown>>) Object.assign(commit, { added: [], removed: [], modified: ['fleet.yaml'] });
  (payload['sender'] as Record<string, unknown>)['login'] = login;
  return payload;
}

/**
 * The approval check run of `wave` on `sha`, once the Approve step created it and kept its record
 * (the step creates the check run first, then stores the token: a press in between is `unknown`).
 */
async function waitForApprovalCheck(sha: string, wave: string, execution: Promise<ExecutionResult>): Promise<ReviewState['checkRuns'][number]> {
  let finished = false;
  void execution.finally(() => {
    finished = true;
  });
  for (let i = 0; i < 600 && !finished; i += 1) {
    const run = review.checkRuns.find((r) => r.head_sha === sha && r.name === `regops approval: ${wave}`);
    const stored = run === undefined ? undefined : JSON.parse((await reports.get(`runs/rollout/${sha}/approvals/${wave}.json`)) ?? '{}') as Record<string, unknown>;
    if (run !== undefined && stored?.['checkRunId'] === run.id) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const result = await execution;
  throw new Error(`no approval check run for ${wave}; the execution ended ${result.status} ${result.error ?? ''} ${result.cause ?? ''}`);
}

/** GitHub's check_run.requested_action delivery for a press of the button by `login`, signed with the webhook secret. */
async function press(run: { id: number; head_sha: string; name: string }, login: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = structuredClone(examples.find((e) => e.name === 'check_run')?.examples.find((p) => p['action'] === 'requested_action'));
  if (payload === undefined) throw new Error('no check_run requested_action example');
  // the example is another repository's run (electron/electron, "API Review"): ours, as GitHub would send it
  const checkRun = payload['check_run'] as Record<string, unknown>;
  Object.assign(checkRun, { id: run.id, head_sha: run.head_sha, name: run.name });
  payload['requested_action'] = { identifier: 'approve-wave' };
  (payload['repository'] as Record<string, unknown>)['full_name'] = 'acme/fleet';
  (payload['sender'] as Record<string, unknown>)['login'] = login;
  return deliver('check_run', payload);
}

/** Half a second after a refused press prod is still untouched and nobody is recorded as approver; the stored record. */
async function expectStillWaiting(sha: string): Promise<Record<string, unknown>> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(appliedCommit('prod-eu-1')).not.toBe(sha);
  const stored = JSON.parse((await reports.get(`runs/rollout/${sha}/approvals/prod.json`)) ?? '{}') as Record<string, unknown>;
  expect(stored['approvedBy']).toBeUndefined();
  return stored;
}

async function latestRollout(): Promise<RolloutReport> {
  return JSON.parse((await reports.get('latest/rollout.json')) ?? 'null') as RolloutReport;
}

function gatedCommit(logLevel: string, windows = '', fleet = gatedFleet): string {
  const registry = (baseFiles['base/registry.yaml'] ?? '').replace('logLevel: Normal', `logLevel: ${logLevel}`);
  return github.addCommit('acme', 'fleet', { ...baseFiles, 'fleet.yaml': `${fleet}${windows}`, 'base/registry.yaml': registry }, 'main');
}

beforeAll(async () => {
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', progressingMs: 200, degradedAfterMs: 60_000 });
  github = await startGitHubStandIn();
  review = installReviewRoutes(github);
  github.route('GET', /^\/repos\/acme\/fleet\/collaborators\/([^/]+)\/permission$/, (req) => {
    const permission = permissions[req.match[1] ?? ''];
    return permission === undefined ? { status: 404, body: { message: 'Not Found' } } : { status: 200, body: { permission, role_name: permission, user: { login: req.match[1] } } };
  });
  sfn = await startSfnStandIn(undefined, taskTokens);
  const aws = buildSandboxAwsSettings(sandbox, { keepAlive: true });
  await new S3Client({ ...aws, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: reportsBucket }));
  reports = new S3ReportStore(new S3Client({ ...aws, forcePathStyle: true }), reportsBucket);

  // the stack is shaped from the gated fleet.yaml, as `npx cdk deploy` would be (infra/fleet-waves.ts)
  const fleetFile = join(mkdtempSync(join(tmpdir(), 'regops-approval-')), 'fleet.yaml');
  writeFileSync(fleetFile, gatedFleet);
  const stack = new RegopsStack(new App(), 'Approval', fixtureProps({ repository: 'acme/fleet', waves: readFleetWaves(fleetFile) }));
  const machines = extractStateMachines(Template.fromStack(stack).toJSON() as Parameters<typeof extractStateMachines>[0]);
  const id = Object.keys(machines).find((k) => k.includes('Rollout'));
  if (id === undefined) throw new Error('no Rollout state machine');
  rollout = machines[id] as Asl;

  const env = { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: reportsBucket, REGOPS_FIRST_LOOK_MS: '0', REGOPS_POLL_SECONDS: '1', REGOPS_HEALTH_TIMEOUT_MS: '30000' };
  const clients = { aws, githubBaseUrl: github.url, write: (line: string) => logLines.push(line) };
  handlers = {
    'plan-waves': createPlanWavesHandler(buildAwsStepRuntime(env, 'plan-waves', clients, { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
    'reconcile-cluster': createReconcileClusterHandler(buildAwsStepRuntime(env, 'reconcile-cluster', clients, { cluster: createAwsClusterAccess })) as (input: never) => Promise<unknown>,
    'publish-report': createPublishReportHandler(buildAwsStepRuntime(env, 'publish-report', clients, { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
  };
  // the webhook function as buildWebhookDependencies wires it, its clients pointed at the stand-ins
  const sfnClient = new SFNClient({ endpoint: sfn.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const checks = createGitHubAccess({ owner: 'acme', repo: 'fleet', branch: 'main', secret: undefined, baseUrl: github.url }).approvals;
  if (checks === undefined) throw new Error('createGitHubAccess gave no approval checks');
  const deps: WebhookDependencies = {
    verifier: new GitHubWebhookVerifier(() => Promise.resolve(createSecretValue(webhookSecret))),
    sfn: sfnClient,
    stateMachines: { rollout: rolloutArn, plan: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Plan' },
    settings: { repository: 'acme/fleet', branch: 'main', maxAgeSeconds: 3600 },
    now: () => new Date(),
    logger: createJsonLogger({ service: 'regops-github-webhook', write: (line) => logLines.push(line) }),
    seenDeliveries: new Set(),
    approvals: () => Promise.resolve({ approvals: new StoredApprovalRecords(reports), checks, tasks: new SfnTaskTokens(sfnClient), clock: systemClock }),
  };
  webhook = createWebhookHandler(deps);
}, 120_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), github?.stop(), sfn?.stop()]);
});

describe('approval gates in the Step Functions rollout', { timeout: 180_000 }, () => {
  it('waits before the gated prod wave with an approval check run; a signed press by a writer continues it and the report says who approved', async () => {
    const sha = gatedCommit('Debug');
    const execution = startRollout(sha, 60_000);
    const run = await waitForApprovalCheck(sha, 'prod', execution);
    // waiting: the earlier waves rolled out, prod untouched, the token kept in the run store
    expect(run.status).toBe('in_progress');
    expect(run.output.summary).toContain('**Approve wave** starts it on 2 cluster(s): `prod-eu-1`, `prod-us-1`');
    expect(appliedCommit('aws-main-1')).toBe(sha);
    expect(appliedCommit('prod-eu-1')).not.toBe(sha);
    const token = taskTokens.issued.at(-1) ?? '';
    const stored = JSON.parse((await reports.get(`runs/rollout/${sha}/approvals/prod.json`)) ?? '{}') as Record<string, unknown>;
    expect(stored).toMatchObject({ commit: sha, wave: 'prod', checkRunId: run.id, token });
    // the button GitHub shows: POST /check-runs with one requested action
    const created = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/check-runs') && JSON.stringify(r.body).includes('regops approval: prod'));
    expect((created?.body as { actions?: unknown }).actions).toEqual([{ identifier: 'approve-wave', label: 'Approve wave', description: 'Start wave prod of this rollout' }]);

    const answer = await press(run, 'alice');
    expect(answer).toEqual({ status: 200, body: { result: 'approved', reason: `wave prod of ${sha.slice(0, 12)}: approved by alice` } });
    const result = await execution;
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    expect(result.history.filter((s) => s.endsWith(' 3 prod')).slice(0, 4)).toEqual(['Needs approval? 3 prod', 'Approve 3 prod', 'Record approval 3 prod', 'Check window 3 prod']);
    expect(appliedCommit('prod-eu-1')).toBe(sha);
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('success');

    const report = await latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'succeeded' });
    const prod = report.waves.find((w) => w.name === 'prod');
    expect(prod?.approvedBy?.by).toBe('alice');
    expect(Date.parse(prod?.approvedBy?.at ?? '')).toBeGreaterThan(Date.parse(report.generatedAt) - 120_000);
    expect(report.waves.filter((w) => w.approvedBy !== undefined).map((w) => w.name)).toEqual(['prod']);
    // the token was a credential: gone from the run store once used, in no log line and no report
    expect(await reports.get(`runs/rollout/${sha}/approvals/prod.json`)).not.toContain(token);
    expect(logLines.filter((line) => line.includes(token))).toEqual([]);
    expect(await reports.get('latest/rollout.json')).not.toContain(token);
  });

  it('halts before prod when nobody approves within the approvalTimeout (rollout.approval-timeout), prod untouched, report published; a late press starts nothing', async () => {
    const before = appliedCommit('prod-eu-1');
    const sha = gatedCommit('Trace');
    const execution = startRollout(sha, 1_500);
    const run = await waitForApprovalCheck(sha, 'prod', execution);
    const result = await execution;
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('rollout.approval-timeout');
    expect(result.cause).toBe('wave prod: nobody approved it within 2h (approvalTimeout in fleet.yaml); the rollout halted before the wave and changed nothing in it; to go on, start the rollout again with fromWave prod (docs/run-in-aws.md) and approve in time');
    expect(result.history).toEqual(expect.arrayContaining(['Approve 3 prod', 'Approval timed out 3 prod', 'Expire approval 3 prod', 'Publish held rollout 3 prod']));
    // the check run says so at once, and the token is gone from the run store
    expect(run).toMatchObject({ status: 'completed', conclusion: 'timed_out', output: { title: 'Approval expired: wave prod' } });
    expect(await reports.get(`runs/rollout/${sha}/approvals/prod.json`)).not.toContain(taskTokens.issued.at(-1) ?? '');
    expect(result.history).not.toContain('Wave 3 prod');
    expect(appliedCommit('aws-main-1')).toBe(sha);
    expect(appliedCommit('prod-eu-1')).toBe(before);
    const report = await latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'failed', halted: { wave: 'prod', reason: expect.stringMatching(/^approval timed out, the rollout stopped waiting: wave prod: nobody approved it within 2h/) } });
    expect(report.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'not-started', held: { kind: 'approval-expired', detail: result.cause }, clusters: [{ outcome: 'not-started' }, { outcome: 'not-started' }] });

    // a late press: 200, expired, nothing started
    const late = await press(run, 'alice');
    expect(late.status).toBe(200);
    expect(late.body['result']).toBe('expired');
    expect(run).toMatchObject({ status: 'completed', conclusion: 'timed_out' });
    expect(appliedCommit('prod-eu-1')).toBe(before);
  });

  it('a wave approved and then held by its change window (opening after the execution limit) keeps who approved it in the report', async () => {
    // prod may start only on January 1st: after the 24 h execution limit, so Check window halts the run (wave-window-step.ts)
    const before = appliedCommit('prod-eu-1');
    const sha = gatedCommit('Normal', '  windows:\n    - {kind: allow, schedule: "0 0 1 1 *", duration: 1h, waves: [prod]}\n');
    const execution = startRollout(sha, 60_000);
    const run = await waitForApprovalCheck(sha, 'prod', execution);
    expect((await press(run, 'alice')).body['result']).toBe('approved');
    const result = await execution;
    expect(result.status).toBe('FAILED');
    expect(result.history).toEqual(expect.arrayContaining(['Record approval 3 prod', 'Check window 3 prod', 'Publish held rollout 3 prod']));
    expect(result.history).not.toContain('Wave 3 prod');
    expect(appliedCommit('prod-eu-1')).toBe(before);
    const report = await latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'failed', halted: { wave: 'prod', reason: expect.stringMatching(/^held by a change window: outside every allow window/) as unknown } });
    const prod = report.waves.find((w) => w.name === 'prod');
    expect(prod).toMatchObject({ status: 'not-started', held: { kind: 'window' }, approvedBy: { by: 'alice' } });
    expect(Date.parse(prod?.approvedBy?.at ?? '')).toBeGreaterThan(Date.parse(report.generatedAt) - 120_000);
    // the Markdown GitHub shows and the page carry both, in describe-wave-gate.ts's words
    const gate = /approved by alice at \d{4}-\d\d-\d\d \d\d:\d\d UTC, then held by a change window: outside every allow window/;
    expect((await reports.get('latest/rollout.md')) ?? '').toMatch(gate);
    expect((await reports.get('latest/index.html')) ?? '').toMatch(gate);
  });

  it('a press by someone without write permission approves nothing: the rollout keeps waiting, the check run says why', async () => {
    const sha = gatedCommit('TraceAll');
    const execution = startRollout(sha, 60_000);
    const run = await waitForApprovalCheck(sha, 'prod', execution);
    const refused = await press(run, 'mallory');
    expect(refused).toEqual({ status: 200, body: { result: 'refused', reason: `wave prod of ${sha.slice(0, 12)}: mallory may not approve (permission read; write, maintain or admin needed)` } });
    const outsider = await press(run, 'eve');
    expect(outsider.body['result']).toBe('refused');
    expect(run.status).toBe('in_progress');
    expect(run.output.title).toBe('Waiting for approval: wave prod (eve may not approve)');
    // still waiting a while later: nothing answered the token
    await expectStillWaiting(sha);
    // a writer then approves, and only the writer is recorded
    expect((await press(run, 'alice')).body['result']).toBe('approved');
    const result = await execution;
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    expect((await latestRollout()).waves.find((w) => w.name === 'prod')?.approvedBy?.by).toBe('alice');
  });

  it('approvers: different-from-pusher: the pusher\'s own press is refused (200, the check run says why, the wave keeps waiting); another writer\'s approves', async () => {
    const separated = gatedFleet.replace('      approval: required\n', '      approval: required\n      approvers: different-from-pusher\n');
    expect(separated).toContain('approvers: different-from-pusher');
    const sha = gatedCommit('Debug', '', separated);
    // alice pushes: the webhook starts the rollout with who pushed in the execution input
    const pushed = await deliver('push', pushPayload(sha, 'alice'));
    expect(pushed).toEqual({ status: 202, body: { result: 'started', workflow: 'rollout', execution: `rollout-${sha}` } });
    const started = sfn.executions.find((e) => e.stateMachineArn === rolloutArn && e.name === `rollout-${sha}`);
    expect(started?.input).toMatchObject({ commit: sha, trigger: 'push', pushedBy: 'alice' });
    const execution = startRollout(sha, 60_000, started?.input as Record<string, unknown>);
    const run = await waitForApprovalCheck(sha, 'prod', execution);
    expect(run.output.summary).toContain('other than **alice**, who pushed this commit (`approvers: different-from-pusher`');

    // alice has write permission, yet pushed the commit: refused, answered 200, said on the check run
    const self = await press(run, 'alice');
    expect(self).toEqual({ status: 200, body: { result: 'refused', reason: `wave prod of ${sha.slice(0, 12)}: alice pushed this commit and may not approve it (approvers: different-from-pusher); another person with write, maintain or admin permission must` } });
    expect(run.status).toBe('in_progress');
    expect(run.output.title).toBe('Waiting for approval: wave prod (alice pushed this commit)');
    expect((await expectStillWaiting(sha))['separation']).toEqual({ pushedBy: 'alice' });

    // bob, another writer, approves: the wave runs and the report names bob
    expect(await press(run, 'bob')).toEqual({ status: 200, body: { result: 'approved', reason: `wave prod of ${sha.slice(0, 12)}: approved by bob` } });
    const result = await execution;
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    expect(appliedCommit('prod-eu-1')).toBe(sha);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'Approved by bob' } });
    expect((await latestRollout()).waves.find((w) => w.name === 'prod')?.approvedBy?.by).toBe('bob');
  });
});
