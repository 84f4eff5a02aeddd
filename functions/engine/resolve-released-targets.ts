/**
 * Drift compares each cluster with what the last *completed* rollout released to it (release-record.ts),
 * not with the branch head: a commit a halted rollout never finished is not drift to correct. A
 * cluster whose release is an older commit than the head is scanned against that commit's rendered
 * snapshot; a cluster with no release is scanned against the head but never enforced (enforcing it
 * would apply a commit no rollout released). The policy is the head's (policy is today's intent).
 */
import type { DesiredCluster } from '../core/model.ts';
import { renderFleet } from '../core/render.ts';
import type { StateStore } from './ports.ts';
import type { DriftTarget } from './scan-drift.ts';
import { readReleaseRecord, readReleasedSnapshot } from './release-record.ts';

/** Each target as the release record says; `headCommit` is the commit the targets were rendered at. */
export async function resolveReleasedTargets(ports: { state: StateStore }, headCommit: string, targets: readonly DriftTarget[]): Promise<DriftTarget[]> {
  const current = await readReleaseRecord(ports);
  const rendered = new Map<string, Map<string, DesiredCluster> | undefined>();
  const renderAt = async (commit: string): Promise<Map<string, DesiredCluster> | undefined> => {
    if (!rendered.has(commit)) {
      const snapshot = await readReleasedSnapshot(ports, commit);
      rendered.set(commit, snapshot === undefined ? undefined : new Map(renderFleet(snapshot).clusters.map((c) => [c.cluster, c])));
    }
    return rendered.get(commit);
  };
  const out: DriftTarget[] = [];
  for (const target of targets) {
    const release = current?.record.clusters[target.entry.name];
    if (release === undefined) {
      out.push({ ...target, commit: headCommit, hold: 'no completed rollout of this cluster is recorded (regops rollout records one)' });
      continue;
    }
    if (release.commit === headCommit) {
      out.push({ ...target, commit: headCommit });
      continue;
    }
    const desired = (await renderAt(release.commit))?.get(target.entry.name);
    if (desired === undefined) {
      out.push({ ...target, commit: headCommit, hold: `released commit ${release.commit} has no stored snapshot for this cluster; roll out again to record one` });
      continue;
    }
    out.push({ ...target, desired: { ...desired, policy: target.desired.policy }, commit: release.commit });
  }
  return out;
}
