/**
 * Decides what a verified GitHub delivery asks for: a rollout of a pushed commit, a plan of a pull
 * request's head, or nothing (with the reason, answered 200 so GitHub does not retry).
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { CONFIG_FOLDERS, FLEET_FILE, isConfigPath } from '../../core/config-paths.ts';

export interface DeliverySettings {
  /** `owner/name` of the config repository. */
  repository: string;
  branch: string;
  /** Deliveries whose event happened longer ago than this are stale (redelivered old events). */
  maxAgeSeconds: number;
}

export type DeliveryRoute =
  | { action: 'start'; workflow: 'rollout' | 'plan'; executionName: string; input: Record<string, unknown> }
  | { action: 'ignore'; reason: string };

type PushPayload = EmitterWebhookEvent<'push'>['payload'];
type PullRequestPayload = EmitterWebhookEvent<'pull_request'>['payload'];

const planActions = new Set(['opened', 'synchronize', 'reopened']);

// GitHub lists at most 2048 commits in a push payload ("push" webhook reference); past that, or
// with no commits listed (a force push to an older commit), the files changed are unknown.
const maxListedCommits = 2048;

/** false only when the payload lists every commit and none touches a path regops reads. */
function touchesConfig(push: PushPayload): boolean {
  if (push.commits.length === 0 || push.commits.length >= maxListedCommits) return true;
  return push.commits.some((commit) => [...(commit.added ?? []), ...(commit.removed ?? []), ...(commit.modified ?? [])].some(isConfigPath));
}

function ageSeconds(now: Date, when: string | number | null | undefined): number | undefined {
  if (when === undefined || when === null) return undefined;
  const ms = typeof when === 'number' ? when * 1000 : Date.parse(when);
  return Number.isNaN(ms) ? undefined : (now.getTime() - ms) / 1000;
}

/** Routes one delivery; `event` is the X-GitHub-Event header. */
export function routeDelivery(event: string, payload: unknown, settings: DeliverySettings, now: Date, deliveryId: string): DeliveryRoute {
  if (event === 'ping') return { action: 'ignore', reason: 'ping' };
  const repository = (payload as { repository?: { full_name?: string } }).repository?.full_name;
  if (repository?.toLowerCase() !== settings.repository.toLowerCase()) return { action: 'ignore', reason: `repository ${repository ?? '(none)'} is not ${settings.repository}` };
  if (event === 'push') {
    const push = payload as PushPayload;
    if (!push.ref.startsWith('refs/heads/')) return { action: 'ignore', reason: `${push.ref} is not a branch` };
    if (push.ref !== `refs/heads/${settings.branch}`) return { action: 'ignore', reason: `${push.ref} is not refs/heads/${settings.branch}` };
    if (push.deleted) return { action: 'ignore', reason: `${push.ref} was deleted` };
    const age = ageSeconds(now, push.repository.pushed_at ?? push.head_commit?.timestamp);
    if (age !== undefined && age > settings.maxAgeSeconds) return { action: 'ignore', reason: `stale delivery: pushed ${Math.round(age)}s ago (limit ${settings.maxAgeSeconds}s)` };
    if (!touchesConfig(push)) return { action: 'ignore', reason: `no commit of ${push.after.slice(0, 12)} changes ${FLEET_FILE} or ${CONFIG_FOLDERS.join('/, ')}/` };
    // one execution per commit: a redelivery finds the name taken and starts nothing new
    return { action: 'start', workflow: 'rollout', executionName: `rollout-${push.after}`, input: { commit: push.after, ref: push.ref, repository: settings.repository, trigger: 'push', deliveryId } };
  }
  if (event === 'pull_request') {
    const pr = payload as PullRequestPayload;
    if (!planActions.has(pr.action)) return { action: 'ignore', reason: `pull_request ${pr.action} needs no plan` };
    const age = ageSeconds(now, pr.pull_request.updated_at);
    if (age !== undefined && age > settings.maxAgeSeconds) return { action: 'ignore', reason: `stale delivery: pull request updated ${Math.round(age)}s ago (limit ${settings.maxAgeSeconds}s)` };
    const sha = pr.pull_request.head.sha;
    return { action: 'start', workflow: 'plan', executionName: `plan-${pr.number}-${sha}`, input: { commit: sha, pullRequest: pr.number, repository: settings.repository, trigger: 'pull_request', deliveryId } };
  }
  return { action: 'ignore', reason: `event ${event} is not handled` };
}
