/**
 * The release record: what the last *completed* rollout applied to each cluster (commit, order
 * and a digest of the owned fields), so drift `enforce` restores that and never a commit no rollout
 * released (DESIGN.md, Fleet safety). `releases/record.json` in the state store, updated with
 * compare-and-swap writes; the config snapshot of each released commit is kept beside it
 * (`releases/snapshots/<commit>.json`) so the released desired state can be rendered again even
 * when the branch (or the local folder) has moved on.
 *
 * Order ("a newer commit supersedes an older one"): each rollout carries a `sequence`, a number
 * that grows with the time the rollout was asked for: the Step Functions execution's start time
 * (one execution per push, started as the webhook arrives), or the moment the CLI command started.
 * A rollout whose sequence is below the record's is refused (`rollout.superseded`), so of two quick
 * pushes the older one can never be applied last, whichever execution gets the lease first.
 */
import { createHash } from 'node:crypto';
import { RegopsError } from '../core/errors.ts';
import type { ConfigSnapshot, DesiredCluster } from '../core/model.ts';
import type { Clock, StateStore } from './ports.ts';
import { EngineError, RolloutSupersededError } from './errors.ts';

export const RELEASE_KEY = 'releases/record.json';

/** The key of the config snapshot kept for a released commit. */
export function releaseSnapshotKey(commit: string): string {
  return `releases/snapshots/${commit.replace(/[^A-Za-z0-9._-]/g, '-')}.json`;
}

export interface ClusterRelease {
  commit: string;
  sequence: number;
  /** sha256 of the owned desired state (objects, secret digests, bucket) regops applied. */
  digest: string;
  releasedAt: string;
}

export interface ReleaseRecord {
  apiVersion: 'regops/v1';
  kind: 'ReleaseRecord';
  /** The highest sequence released: an older rollout is refused. */
  sequence: number;
  commit: string;
  releasedAt: string;
  clusters: Record<string, ClusterRelease>;
}

type ReleasePorts = { state: StateStore; clock: Clock };

/** sha256 of what regops owns on the cluster at this commit (render output is key-ordered, core/render.ts). */
export function digestOwnedState(desired: DesiredCluster): string {
  const owned = { objects: desired.objects, secrets: desired.secrets, bucket: desired.bucket ?? null };
  return `sha256:${createHash('sha256').update(JSON.stringify(owned)).digest('hex')}`;
}

function parseRecord(body: string, location: string): ReleaseRecord {
  try {
    const parsed = JSON.parse(body) as ReleaseRecord;
    if (parsed.kind === 'ReleaseRecord' && typeof parsed.clusters === 'object') return parsed;
  } catch (thrown) {
    throw new EngineError('release.bad-record', `release record ${location}: not JSON; restore it from the bucket's history or delete it (drift then enforces nothing until a rollout completes)`, { location }, { cause: thrown });
  }
  throw new EngineError('release.bad-record', `release record ${location}: not a ReleaseRecord; restore it or delete it (drift then enforces nothing until a rollout completes)`, { location });
}

/** The record, or undefined before the first completed rollout. */
export async function readReleaseRecord(ports: { state: StateStore }): Promise<{ record: ReleaseRecord; etag: string } | undefined> {
  const current = await ports.state.read(RELEASE_KEY);
  return current === undefined ? undefined : { record: parseRecord(current.body, ports.state.locate(RELEASE_KEY)), etag: current.etag };
}

/** Refuses (`rollout.superseded`) a rollout older than the last released one. */
export async function checkNotSuperseded(ports: { state: StateStore }, commit: string, sequence: number): Promise<void> {
  const current = await readReleaseRecord(ports);
  if (current !== undefined && current.record.sequence > sequence) {
    const { record } = current;
    throw new RolloutSupersededError('rollout.superseded', `rollout ${commit}: superseded by ${record.commit}, released ${record.releasedAt} by a newer rollout; an older commit is never rolled out after a newer one`, { commit, released: record.commit });
  }
}

/** The config snapshot of a released commit, or undefined when it was never kept. */
export async function readReleasedSnapshot(ports: { state: StateStore }, commit: string): Promise<ConfigSnapshot | undefined> {
  const stored = await ports.state.read(releaseSnapshotKey(commit));
  if (stored === undefined) return undefined;
  try {
    return JSON.parse(stored.body) as ConfigSnapshot;
  } catch (thrown) {
    throw new EngineError('release.bad-snapshot', `release snapshot ${ports.state.locate(releaseSnapshotKey(commit))}: not JSON; delete it and roll ${commit} out again`, { commit }, { cause: thrown });
  }
}

export interface ReleaseInput {
  commit: string;
  sequence: number;
  snapshot: ConfigSnapshot;
  /** The clusters the completed rollout left at this commit (succeeded or unchanged). */
  clusters: readonly DesiredCluster[];
}

/** Records a completed rollout; a cluster already released by a newer rollout keeps that release. */
export async function recordRelease(ports: ReleasePorts, input: ReleaseInput): Promise<ReleaseRecord> {
  await ports.state.write(releaseSnapshotKey(input.commit), JSON.stringify(input.snapshot));
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const current = await readReleaseRecord(ports);
    const releasedAt = ports.clock.now().toISOString();
    const base: ReleaseRecord = current?.record ?? { apiVersion: 'regops/v1', kind: 'ReleaseRecord', sequence: input.sequence, commit: input.commit, releasedAt, clusters: {} };
    const clusters = { ...base.clusters };
    for (const desired of input.clusters) {
      const earlier = clusters[desired.cluster];
      if (earlier !== undefined && earlier.sequence > input.sequence) continue;
      clusters[desired.cluster] = { commit: input.commit, sequence: input.sequence, digest: digestOwnedState(desired), releasedAt };
    }
    const newest = base.sequence > input.sequence ? { sequence: base.sequence, commit: base.commit, releasedAt: base.releasedAt } : { sequence: input.sequence, commit: input.commit, releasedAt };
    const next: ReleaseRecord = { apiVersion: 'regops/v1', kind: 'ReleaseRecord', ...newest, clusters };
    try {
      await ports.state.write(RELEASE_KEY, JSON.stringify(next, null, 2), current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag });
      return next;
    } catch (thrown) {
      if (!(thrown instanceof RegopsError && thrown.code === 'state.precondition-failed')) throw thrown;
    }
  }
  throw new EngineError('release.contended', `release record ${ports.state.locate(RELEASE_KEY)}: changed under us five times running`, {});
}
