/**
 * How much a pull request's config is trusted when the plan workflow plans it (issue 10 item 3).
 * A pull request whose head repository is not the config repository (a fork: the webhook marks it,
 * handlers/wiring/route-delivery.ts) carries config nobody with write access reviewed. It can name
 * any connection secret, any secret reference, any S3 endpoint. So:
 * - it is planned only when fleet.yaml on the BASE branch says `spec.pullRequests.forks: plan` (the
 *   fork's own fleet.yaml could say anything);
 * - then only clusters the base fleet.yaml lists, connected with the base's connection settings, and
 *   with no secret resolved and no bucket inspected (core/plan.ts `withheld`);
 * - otherwise nothing of the fork is read at all, and the check run says why.
 */
import { FLEET_FILE } from '../core/config-paths.ts';
import { parseFleet } from '../core/fleet.ts';
import type { ClusterEntry } from '../core/model.ts';
import { parseYamlSource } from '../core/yaml-source.ts';
import type { ConfigSource } from './ports.ts';

/** What the webhook put in the plan execution's input about the pull request's source. */
export interface PullRequestSource {
  fork?: boolean;
  /** `owner/name` of the fork, `(deleted)` when GitHub no longer knows it. */
  headRepository?: string;
  /** The branch the pull request targets: its fleet.yaml decides. */
  baseRef?: string;
}

export type PullRequestTrust =
  | { mode: 'trusted' }
  /** Not planned; `reason` goes into the check run. */
  | { mode: 'refused'; headRepository: string; reason: string }
  /** Planned without secrets or buckets, only the base branch's clusters with their connections. */
  | { mode: 'restricted'; headRepository: string; reason: string; clusters: ClusterEntry[] };

/** Where the plan workflow keeps the decision for the cluster steps and the publish step (the bucket expires runs/). */
export function formatTrustKey(commit: string): string {
  return `runs/plan/${commit}/trust.json`;
}

/** Decides from the base branch's fleet.yaml; a source without `fork: true` (a branch of the repository, a plan started by hand) is trusted. */
export async function decidePullRequestTrust(config: ConfigSource, source: PullRequestSource | undefined): Promise<PullRequestTrust> {
  if (source?.fork !== true) return { mode: 'trusted' };
  const head = source.headRepository ?? '(unknown)';
  const subject = `pull request from fork ${head}`;
  if (source.baseRef === undefined || source.baseRef === '') {
    return { mode: 'refused', headRepository: head, reason: `${subject}: the base branch is unknown, so its fleet.yaml cannot allow the plan; nothing was planned` };
  }
  const base = await config.load(source.baseRef);
  // the repository root may sit under a prefix (core/render.ts): the shallowest fleet.yaml is the fleet's
  const file = base.files.filter((f) => f.path === FLEET_FILE || f.path.endsWith(`/${FLEET_FILE}`)).sort((a, b) => a.path.length - b.path.length)[0];
  const parsed = file === undefined ? undefined : parseFleet(parseYamlSource(file.path, file.content));
  if (parsed?.fleet.pullRequests?.forks !== 'plan') {
    return {
      mode: 'refused',
      headRepository: head,
      reason: `${subject}: not planned; fleet.yaml on ${source.baseRef} does not set spec.pullRequests.forks: plan (config/README.md, "Pull requests from forks")`,
    };
  }
  return {
    mode: 'restricted',
    headRepository: head,
    reason: `${subject} (spec.pullRequests.forks: plan on ${source.baseRef}): secrets are not resolved and buckets not inspected`,
    clusters: parsed.fleet.clusters,
  };
}
