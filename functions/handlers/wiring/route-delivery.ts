/**
 * Decides what a verified GitHub delivery asks for: a rollout of a pushed commit, a plan of a pull
 * request's head, nothing (with the reason, answered 200 so GitHub does not retry), or a rejection
 * of a payload that lacks the fields this event must carry (answered 400: a signed but malformed
 * body is the sender's bug, and retrying it cannot help).
 *
 * A pull request whose head repository is not the base repository (a fork) is marked `fork` in the
 * plan input: the plan step then reads the opt-in from the base branch (engine/steps/plan-waves-step.ts).
 */
import { createEventHandler, type EmitterWebhookEvent } from '@octokit/webhooks';
import { CONFIG_FOLDERS, FLEET_FILE, isConfigPath } from '../../core/config-paths.ts';
import { approvalCheck } from '../../engine/steps/approval-check.ts';
import type { ApprovalPress } from '../../engine/steps/approval-grant-step.ts';

export interface DeliverySettings {
  /** `owner/name` of the config repository. */
  repository: string;
  branch: string;
  /** Deliveries whose event happened longer ago than this are stale (redelivered old events). */
  maxAgeSeconds: number;
}

export type DeliveryRoute =
  | { action: 'start'; workflow: 'rollout' | 'plan'; executionName: string; input: Record<string, unknown> }
  | { action: 'approve'; press: ApprovalPress }
  | { action: 'ignore'; reason: string }
  | { action: 'reject'; reason: string };

type PushPayload = EmitterWebhookEvent<'push'>['payload'];
type PullRequestPayload = EmitterWebhookEvent<'pull_request'>['payload'];
type CheckRunActionPayload = EmitterWebhookEvent<'check_run.requested_action'>['payload'];

const planActions = new Set(['opened', 'synchronize', 'reopened']);

// GitHub lists at most 2048 commits in a push payload ("push" webhook reference); past that, or
// with no commits listed (a force push to an older commit), the files changed are unknown.
const maxListedCommits = 2048;

/** false only when the payload lists every commit and none touches a path regops reads. */
function touchesConfig(push: PushPayload): boolean {
  if (push.commits.length === 0 || push.commits.length >= maxListedCommits) return true;
  const paths = (list: unknown): string[] => (Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : []);
  return push.commits.some((commit) => [...paths(commit.added), ...paths(commit.removed), ...paths(commit.modified)].some(isConfigPath));
}

function ageSeconds(now: Date, when: string | number | null | undefined): number | undefined {
  if (when === undefined || when === null) return undefined;
  const ms = typeof when === 'number' ? when * 1000 : Date.parse(when);
  return Number.isNaN(ms) ? undefined : (now.getTime() - ms) / 1000;
}

type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'array';

function kindOf(value: unknown): FieldKind | 'null' | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as FieldKind | 'undefined';
}

function readField(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

// The fields each event's routing reads, with their JSON types (GitHub's "Webhook events and
// payloads" reference); `?` marks a field that may be null or absent.
const requiredFields: Record<string, ReadonlyArray<readonly [string, FieldKind]>> = {
  push: [['repository.full_name', 'string'], ['ref', 'string'], ['after', 'string'], ['deleted', 'boolean'], ['commits', 'array']],
  pull_request: [
    ['repository.full_name', 'string'], ['action', 'string'], ['number', 'number'], ['pull_request.head.sha', 'string'],
    ['pull_request.base.ref', 'string'], ['pull_request.base.repo.full_name', 'string'],
  ],
  check_run: [['repository.full_name', 'string'], ['action', 'string'], ['check_run.id', 'number'], ['check_run.name', 'string'], ['check_run.head_sha', 'string'], ['sender.login', 'string']],
};

/** The first field the event needs that is missing or of the wrong type, as a reason; undefined when all are there. */
function findMalformed(event: string, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return `${event} payload: expected a JSON object, got ${kindOf(payload)}`;
  for (const [path, kind] of requiredFields[event] ?? []) {
    const found = kindOf(readField(payload, path));
    if (found !== kind) return `${event} payload: ${path} must be ${kind === 'array' ? 'an array' : `a ${kind}`}, got ${found}`;
  }
  if (event === 'push') {
    const bad = (payload as { commits: unknown[] }).commits.findIndex((c) => kindOf(c) !== 'object');
    if (bad >= 0) return `push payload: commits[${bad}] must be an object`;
  }
  return undefined;
}

/** `owner/name` of the pull request's head repository; null when the fork was deleted (GitHub sends head.repo null). */
function readHeadRepository(pr: PullRequestPayload): string | null {
  const name = readField(pr, 'pull_request.head.repo.full_name');
  return typeof name === 'string' ? name : null;
}

function routePush(push: PushPayload, settings: DeliverySettings, now: Date, deliveryId: string): DeliveryRoute {
  if (!push.ref.startsWith('refs/heads/')) return { action: 'ignore', reason: `${push.ref} is not a branch` };
  if (push.ref !== `refs/heads/${settings.branch}`) return { action: 'ignore', reason: `${push.ref} is not refs/heads/${settings.branch}` };
  if (push.deleted) return { action: 'ignore', reason: `${push.ref} was deleted` };
  const age = ageSeconds(now, push.repository.pushed_at ?? push.head_commit?.timestamp);
  if (age !== undefined && age > settings.maxAgeSeconds) return { action: 'ignore', reason: `stale delivery: pushed ${Math.round(age)}s ago (limit ${settings.maxAgeSeconds}s)` };
  if (!touchesConfig(push)) return { action: 'ignore', reason: `no commit of ${push.after.slice(0, 12)} changes ${FLEET_FILE} or ${CONFIG_FOLDERS.join('/, ')}/` };
  // one execution per commit: a redelivery finds the name taken and starts nothing new. `pushedBy`:
  // the sender's login (who pushed), for waves with `approvers: different-from-pusher` (approval-grant-step.ts)
  const sender = readField(push, 'sender.login');
  const pushedBy = typeof sender === 'string' && sender !== '' ? { pushedBy: sender } : {};
  return { action: 'start', workflow: 'rollout', executionName: `rollout-${push.after}`, input: { commit: push.after, ref: push.ref, repository: settings.repository, trigger: 'push', deliveryId, ...pushedBy } };
}

function routePullRequest(pr: PullRequestPayload, settings: DeliverySettings, now: Date, deliveryId: string): DeliveryRoute {
  if (!planActions.has(pr.action)) return { action: 'ignore', reason: `pull_request ${pr.action} needs no plan` };
  const age = ageSeconds(now, pr.pull_request.updated_at);
  if (age !== undefined && age > settings.maxAgeSeconds) return { action: 'ignore', reason: `stale delivery: pull request updated ${Math.round(age)}s ago (limit ${settings.maxAgeSeconds}s)` };
  const sha = pr.pull_request.head.sha;
  // GitHub's own rule: a PR from another repository is a fork PR (a deleted fork's head.repo is null)
  const head = readHeadRepository(pr);
  const fork = head === null || head.toLowerCase() !== pr.pull_request.base.repo.full_name.toLowerCase();
  const source = fork ? { fork: true, headRepository: head ?? '(deleted)', baseRef: pr.pull_request.base.ref } : { fork: false };
  return { action: 'start', workflow: 'plan', executionName: `plan-${pr.number}-${sha}`, input: { commit: sha, pullRequest: pr.number, repository: settings.repository, trigger: 'pull_request', deliveryId, ...source } };
}

/** A press of "Approve wave" on a regops approval check run (engine/steps/approval-check.ts); anything else is ignored. */
function routeRequestedAction(payload: CheckRunActionPayload): DeliveryRoute {
  const identifier = readField(payload, 'requested_action.identifier');
  const wave = approvalCheck.waveOf(payload.check_run.name);
  if (identifier !== approvalCheck.action || wave === undefined) return { action: 'ignore', reason: `check_run requested_action ${typeof identifier === 'string' ? identifier : '(none)'} on "${payload.check_run.name}" is not a regops approval` };
  return { action: 'approve', press: { commit: payload.check_run.head_sha, wave, checkRunId: payload.check_run.id, sender: payload.sender.login } };
}

/**
 * Routes one delivery; `event` is the X-GitHub-Event header. The event is dispatched by
 * @octokit/webhooks' event handler (`on('push')`, `on('pull_request')`), which types each payload by
 * its event name; the signature was checked before (github-webhook-verifier.ts).
 */
export async function routeDelivery(event: string, payload: unknown, settings: DeliverySettings, now: Date, deliveryId: string): Promise<DeliveryRoute> {
  if (event === 'ping') return { action: 'ignore', reason: 'ping' };
  const malformed = findMalformed(event, payload);
  if (malformed !== undefined) return { action: 'reject', reason: malformed };
  const repository = readField(payload, 'repository.full_name');
  if (typeof repository !== 'string' || repository.toLowerCase() !== settings.repository.toLowerCase()) {
    return { action: 'ignore', reason: `repository ${typeof repository === 'string' ? repository : '(none)'} is not ${settings.repository}` };
  }
  let route: DeliveryRoute = { action: 'ignore', reason: `event ${event} is not handled` };
  const events = createEventHandler({});
  events.on('push', ({ payload: push }) => { route = routePush(push, settings, now, deliveryId); });
  events.on('pull_request', ({ payload: pr }) => { route = routePullRequest(pr, settings, now, deliveryId); });
  events.on('check_run', ({ payload: run }) => { if (run.action !== 'requested_action') route = { action: 'ignore', reason: `check_run ${run.action} needs nothing` }; });
  events.on('check_run.requested_action', ({ payload: run }) => { route = routeRequestedAction(run); });
  // the one cast: the header names the event, and findMalformed checked the fields the handlers read
  // (an empty name, no X-GitHub-Event header, is one the library refuses: nothing to dispatch)
  if (event !== '') await events.receive({ id: deliveryId, name: event, payload } as EmitterWebhookEvent);
  return route;
}
