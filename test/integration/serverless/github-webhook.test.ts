/**
 * The webhook handler against the real push and pull_request payloads of @octokit/webhooks-examples,
 * signed here with @octokit/webhooks, starting executions through the real @aws-sdk/client-sfn
 * against a local StartExecution stand-in (no Step Functions service runs here).
 */
import { createRequire } from 'node:module';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubWebhookVerifier } from '../../../functions/adapters/github/github-webhook-verifier.ts';
import { createJsonLogger } from '../../../functions/adapters/observability/json-logger.ts';
import { createSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { createWebhookHandler, maxWebhookBodyBytes, type WebhookDependencies } from '../../../functions/handlers/github-webhook.ts';
import { buildFunctionUrlEvent } from '../../support/function-url-event.ts';
import { startSfnStandIn, type SfnStandIn } from '../../support/sfn-stand-in.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

function example(name: string, pick: (payload: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

// The examples' push to refs/heads/master of Codertocat/Hello-World (pushed_at 1557933657).
function pushToMaster(modified: string[] = ['base/registry.yaml']): Record<string, unknown> {
  const payload = example('push', (p) => p['ref'] === 'refs/heads/master' && p['deleted'] === false);
  // docs/toolchain-facts.md "GitHub": no example lists files changed; fill them in as GitHub would
  for (const commit of payload['commits'] as Array<Record<string, unknown>>) commit['modified'] = modified;
  return payload;
}

const secret = 'test-webhook-secret';
const signer = new Webhooks({ secret });
const rolloutArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Rollout';
const planArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Plan';
const pushedAt = new Date(1557933657 * 1000);

let sfn: SfnStandIn;
let logLines: string[];
let deps: WebhookDependencies;
let deliveries = 0;

beforeAll(async () => {
  sfn = await startSfnStandIn();
});
afterAll(async () => {
  await sfn.stop();
});
beforeEach(() => {
  logLines = [];
  deps = {
    verifier: new GitHubWebhookVerifier(() => Promise.resolve(createSecretValue(secret))),
    sfn: new SFNClient({ endpoint: sfn.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    stateMachines: { rollout: rolloutArn, plan: planArn },
    settings: { repository: 'Codertocat/Hello-World', branch: 'master', maxAgeSeconds: 3600 },
    now: () => new Date(pushedAt.getTime() + 5_000),
    logger: createJsonLogger({ service: 'test', write: (line) => logLines.push(line) }),
    seenDeliveries: new Set(),
  };
});

async function deliver(event: string, payload: unknown, options: { signature?: string | null; delivery?: string; base64?: boolean; tamper?: boolean } = {}) {
  const body = JSON.stringify(payload);
  const signature = options.signature === null ? undefined : options.signature ?? (await signer.sign(body));
  const sent = options.tamper === true ? body.replace('Hello-World', 'Hello-Worle') : body;
  deliveries += 1;
  const headers: Record<string, string> = { 'X-GitHub-Event': event, 'X-GitHub-Delivery': options.delivery ?? `delivery-${deliveries}` };
  if (signature !== undefined) headers['X-Hub-Signature-256'] = signature;
  const result = await createWebhookHandler(deps)(buildFunctionUrlEvent(sent, headers, { base64: options.base64 ?? false }));
  if (typeof result === 'string') throw new Error('expected a structured result');
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

describe('github-webhook: signatures', () => {
  const cases: Array<{ name: string; signature: string | null | (() => Promise<string>); tamper?: boolean }> = [
    { name: 'missing signature', signature: null },
    { name: 'signed with another secret', signature: () => new Webhooks({ secret: 'not-the-secret' }).sign(JSON.stringify(pushToMaster())) },
    { name: 'body changed after signing', signature: () => signer.sign(JSON.stringify(pushToMaster())), tamper: true },
    { name: 'sha1 signature only', signature: 'sha1=0123456789abcdef0123456789abcdef01234567' },
    { name: 'malformed sha256', signature: 'sha256=zz' },
  ];
  it.each(cases)('$name → 401 and nothing started', async ({ signature, tamper }) => {
    const before = sfn.calls.length;
    const sig = typeof signature === 'function' ? await signature() : signature;
    const answer = await deliver('push', pushToMaster(), { signature: sig, ...(tamper === undefined ? {} : { tamper }) });
    expect(answer.status).toBe(401);
    expect(sfn.calls.length).toBe(before);
  });
});

describe('github-webhook: push', () => {
  it('a signed push to the branch starts one rollout named after the commit', async () => {
    const payload = pushToMaster();
    const answer = await deliver('push', payload, { base64: true });
    expect(answer).toEqual({ status: 202, body: { result: 'started', workflow: 'rollout', execution: `rollout-${String(payload['after'])}` } });
    const started = sfn.executions.find((e) => e.name === `rollout-${String(payload['after'])}`);
    expect(started?.stateMachineArn).toBe(rolloutArn);
    // pushedBy: the sender's login, for approvers: different-from-pusher (route-delivery.ts)
    expect(started?.input).toMatchObject({ commit: payload['after'], ref: 'refs/heads/master', trigger: 'push', pushedBy: (payload['sender'] as { login: string }).login });
    const line = JSON.parse(logLines.find((l) => l.includes('rollout started')) ?? '{}') as Record<string, unknown>;
    expect(line['commit']).toBe(payload['after']);
  });

  it('a redelivery from another container finds the execution and starts nothing new', async () => {
    const payload = { ...pushToMaster(), after: 'a'.repeat(40) };
    const name = `rollout-${'a'.repeat(40)}`;
    expect((await deliver('push', payload)).status).toBe(202);
    deps.seenDeliveries = new Set(); // a fresh container: the delivery id was never seen here
    const answer = await deliver('push', payload);
    expect(answer).toEqual({ status: 200, body: { result: 'already-started', workflow: 'rollout', execution: name } });
    expect(sfn.executions.filter((e) => e.name === name)).toHaveLength(1);
  });

  it('a replayed delivery id is ignored before anything is called', async () => {
    const payload = pushToMaster();
    const first = await deliver('push', payload, { delivery: 'replayed-1' });
    expect([200, 202]).toContain(first.status);
    const calls = sfn.calls.length;
    const again = await deliver('push', payload, { delivery: 'replayed-1' });
    expect(again).toEqual({ status: 200, body: { result: 'ignored', reason: 'delivery replayed-1 already handled' } });
    expect(sfn.calls.length).toBe(calls);
  });

  const ignored: Array<{ name: string; payload: () => Record<string, unknown>; reason: RegExp; now?: Date }> = [
    { name: 'a tag', payload: () => example('push', (p) => p['ref'] === 'refs/tags/simple-tag' && p['created'] === true), reason: /refs\/tags\/simple-tag is not a branch/ },
    { name: 'a deleted tag', payload: () => example('push', (p) => p['ref'] === 'refs/tags/simple-tag' && p['deleted'] === true), reason: /is not a branch/ },
    { name: 'another branch', payload: () => ({ ...pushToMaster(), ref: 'refs/heads/feature' }), reason: /refs\/heads\/feature is not refs\/heads\/master/ },
    { name: 'a deleted branch', payload: () => ({ ...pushToMaster(), deleted: true, after: '0'.repeat(40) }), reason: /was deleted/ },
    { name: 'a stale delivery', payload: () => pushToMaster(), reason: /stale delivery: pushed 7200s ago/, now: new Date(pushedAt.getTime() + 7_200_000) },
    { name: 'a push touching no config file', payload: () => pushToMaster(['README.md', 'docs/x.md']), reason: /changes fleet\.yaml or base/ },
    { name: 'another repository', payload: () => ({ ...pushToMaster(), repository: { ...(pushToMaster()['repository'] as object), full_name: 'someone/else' } }), reason: /someone\/else is not Codertocat\/Hello-World/ },
  ];
  it.each(ignored)('$name → 200 with the reason, nothing started', async ({ payload, reason, now }) => {
    if (now !== undefined) deps.now = () => now;
    const calls = sfn.calls.length;
    const answer = await deliver('push', payload());
    expect(answer.status).toBe(200);
    expect(answer.body['result']).toBe('ignored');
    expect(String(answer.body['reason'])).toMatch(reason);
    expect(sfn.calls.length).toBe(calls);
  });

  it('a ping answers 200', async () => {
    const answer = await deliver('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(answer.body).toEqual({ result: 'ignored', reason: 'ping' });
  });
});

describe('github-webhook: pull_request', () => {
  const now = new Date(Date.parse('2019-05-15T15:20:33Z') + 10_000);
  it.each(['opened', 'synchronize', 'reopened'])('%s starts the plan of the head commit', async (action) => {
    deps.now = () => now;
    const payload = example('pull_request', (p) => p['action'] === action);
    const pr = payload['pull_request'] as { head: { sha: string } };
    // each action is its own delivery of a different head in real life; make the names distinct
    pr.head.sha = `${action.slice(0, 2)}${pr.head.sha.slice(2)}`;
    const answer = await deliver('pull_request', payload);
    expect(answer).toEqual({ status: 202, body: { result: 'started', workflow: 'plan', execution: `plan-${String(payload['number'])}-${pr.head.sha}` } });
    expect(sfn.executions.at(-1)).toMatchObject({ stateMachineArn: planArn, input: { commit: pr.head.sha, pullRequest: payload['number'], trigger: 'pull_request' } });
  });

  it.each(['closed', 'labeled', 'assigned'])('%s needs no plan', async (action) => {
    deps.now = () => now;
    const calls = sfn.calls.length;
    const answer = await deliver('pull_request', example('pull_request', (p) => p['action'] === action));
    expect(answer.body).toEqual({ result: 'ignored', reason: `pull_request ${action} needs no plan` });
    expect(sfn.calls.length).toBe(calls);
  });

  it('a stale pull_request delivery is ignored', async () => {
    deps.now = () => new Date(now.getTime() + 86_400_000);
    const answer = await deliver('pull_request', example('pull_request', (p) => p['action'] === 'opened'));
    expect(String(answer.body['reason'])).toMatch(/^stale delivery: pull request updated/);
  });
});

describe('github-webhook: malformed but validly signed payloads', () => {
  const now = new Date(Date.parse('2019-05-15T15:20:33Z') + 10_000);
  const opened = (): Record<string, unknown> => example('pull_request', (p) => p['action'] === 'opened');
  const cases: Array<{ name: string; event: string; payload: () => unknown; reason: string }> = [
    { name: 'a JSON null', event: 'push', payload: () => null, reason: 'push payload: expected a JSON object, got null' },
    { name: 'an array', event: 'pull_request', payload: () => [opened()], reason: 'pull_request payload: expected a JSON object, got array' },
    { name: 'a push without repository', event: 'push', payload: () => ({ ...pushToMaster(), repository: undefined }), reason: 'push payload: repository.full_name must be a string, got undefined' },
    { name: 'a push whose ref is a number', event: 'push', payload: () => ({ ...pushToMaster(), ref: 42 }), reason: 'push payload: ref must be a string, got number' },
    { name: 'a push whose commits is an object', event: 'push', payload: () => ({ ...pushToMaster(), commits: {} }), reason: 'push payload: commits must be an array, got object' },
    { name: 'a push with a null commit', event: 'push', payload: () => ({ ...pushToMaster(), commits: [null] }), reason: 'push payload: commits[0] must be an object' },
    { name: 'a pull_request without pull_request', event: 'pull_request', payload: () => ({ ...opened(), pull_request: undefined }), reason: 'pull_request payload: pull_request.head.sha must be a string, got undefined' },
    { name: 'a pull_request whose base.repo is null', event: 'pull_request', payload: () => {
      const payload = opened();
      (payload['pull_request'] as { base: Record<string, unknown> }).base['repo'] = null;
      return payload;
    }, reason: 'pull_request payload: pull_request.base.repo.full_name must be a string, got undefined' },
    { name: 'an unhandled event with a string body', event: 'issues', payload: () => 'hello', reason: 'issues payload: expected a JSON object, got string' },
  ];
  it.each(cases)('$name → 400 with the reason, nothing started', async ({ event, payload, reason }) => {
    deps.now = () => now;
    const calls = sfn.calls.length;
    const answer = await deliver(event, payload());
    expect(answer).toEqual({ status: 400, body: { error: reason } });
    expect(sfn.calls.length).toBe(calls);
  });
});

describe('github-webhook: pull requests from forks', () => {
  const now = new Date(Date.parse('2019-05-15T15:20:33Z') + 10_000);
  // the examples' PRs come from a branch of the base repository; a fork PR differs only in head.repo
  function fromFork(headRepo: Record<string, unknown> | null): Record<string, unknown> {
    const payload = example('pull_request', (p) => p['action'] === 'opened');
    const pr = payload['pull_request'] as { head: Record<string, unknown> & { sha: string } };
    pr.head['repo'] = headRepo === null ? null : { ...(pr.head['repo'] as object), ...headRepo };
    pr.head.sha = `f0${pr.head.sha.slice(2)}`;
    return payload;
  }

  it('a PR whose head repository is a fork starts the plan marked fork, with the base branch to read the opt-in from', async () => {
    deps.now = () => now;
    const payload = fromFork({ full_name: 'mallory/Hello-World', fork: true });
    const answer = await deliver('pull_request', payload);
    expect(answer.status).toBe(202);
    expect(sfn.executions.at(-1)?.input).toMatchObject({ fork: true, headRepository: 'mallory/Hello-World', baseRef: 'master', pullRequest: payload['number'] });
  });

  it('a PR whose fork was deleted (head.repo null) counts as a fork', async () => {
    deps.now = () => now;
    const payload = fromFork(null);
    (payload['pull_request'] as { head: { sha: string } }).head.sha = `fd${'0'.repeat(38)}`;
    expect((await deliver('pull_request', payload)).status).toBe(202);
    expect(sfn.executions.at(-1)?.input).toMatchObject({ fork: true, headRepository: '(deleted)', baseRef: 'master' });
  });

  it('a PR from a branch of the base repository is not a fork', async () => {
    deps.now = () => now;
    const payload = example('pull_request', (p) => p['action'] === 'opened');
    (payload['pull_request'] as { head: { sha: string } }).head.sha = `b0${'1'.repeat(38)}`;
    expect((await deliver('pull_request', payload)).status).toBe(202);
    expect(sfn.executions.at(-1)?.input).toMatchObject({ fork: false });
    expect(sfn.executions.at(-1)?.input).not.toHaveProperty('headRepository');
  });
});

describe('github-webhook: the event (Powertools Parser)', () => {
  it('an invoke that is no Function URL event answers 400 naming the field, before anything is verified or started', async () => {
    const before = sfn.calls.length;
    const event = { ...buildFunctionUrlEvent('{}', { 'X-GitHub-Event': 'push' }), isBase64Encoded: 'no' } as unknown as Parameters<ReturnType<typeof createWebhookHandler>>[0];
    const result = await createWebhookHandler(deps)(event);
    if (typeof result === 'string') throw new Error('expected a structured result');
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '{}')).toEqual({ error: expect.stringMatching(/^github-webhook input: isBase64Encoded: Invalid input: expected boolean, received string;/) as unknown });
    expect(sfn.calls.length).toBe(before);
  });
});

describe('github-webhook: body size (Lambda answers 413 itself over 6 MB; below, ours is maxWebhookBodyBytes)', () => {
  /** A signed push whose body, as JSON text, is `bytes` long. */
  const pushOfSize = (bytes: number): Record<string, unknown> => {
    const payload = pushToMaster();
    const base = JSON.stringify({ ...payload, padding: '' }).length;
    return { ...payload, padding: 'x'.repeat(bytes - base) };
  };

  it('answers 413 for a 3 MB body (under Lambda\'s 6 MB) before verifying or parsing it: an unsigned non-JSON body is not 401 or 400', async () => {
    const before = sfn.executions.length;
    const result = await createWebhookHandler(deps)(buildFunctionUrlEvent('{'.repeat(3_000_000), { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'big-1' }));
    if (typeof result === 'string') throw new Error('expected a structured result');
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body ?? '{}')).toEqual({ error: `body is 3000000 bytes; regops reads webhook bodies up to ${maxWebhookBodyBytes} bytes (push and pull_request deliveries are far smaller)` });
    expect(sfn.executions.length).toBe(before);
    expect(logLines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([expect.objectContaining({ level: 'warn', message: 'webhook rejected: body too large', bytes: 3_000_000, delivery: 'big-1' })]);
  });

  it('measures a base64 body decoded: one whose base64 text is over the limit but decodes under it starts the rollout; one byte over is 413', async () => {
    const fits = await deliver('push', pushOfSize(maxWebhookBodyBytes), { base64: true });
    expect(Buffer.from(JSON.stringify(pushOfSize(maxWebhookBodyBytes))).toString('base64').length).toBeGreaterThan(maxWebhookBodyBytes);
    // the rollout of this commit (an earlier test may have started it already)
    expect(fits).toMatchObject({ body: { result: expect.stringMatching(/^(started|already-started)$/), workflow: 'rollout' } });
    const over = await deliver('push', pushOfSize(maxWebhookBodyBytes + 1), { base64: true });
    expect(over).toMatchObject({ status: 413, body: { error: expect.stringContaining(`body is ${maxWebhookBodyBytes + 1} bytes`) } });
  });
});
