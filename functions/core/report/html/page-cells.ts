import type {
  ClusterDrift,
  ConditionSummary,
  DriftReport,
  FieldChange,
  Json,
  PlanSummary,
  Policy,
  PrunerEffect,
  ReconcileStep,
  ReportError,
  RolloutReport,
} from '../../model.ts';
import { computeDriftSince, fieldKey, type RunStart } from './drift-since.ts';
import { formatFieldWriter } from '../../find-field-writer.ts';
import { compareText } from './compare-text.ts';
import type { PageState } from './page-states.ts';
import { describeTarget } from './resource-key.ts';

/** One drifted field as the page shows it: Git's value beside the live one. */
export interface PageField {
  path: string;
  op: FieldChange['op'];
  /** Desired value from Git; absent when Git no longer sets the field. */
  git?: Json;
  /** Live value; absent when the field is absent on the cluster. */
  live?: Json;
  /** The first scan of the unbroken run that saw this field differ. */
  since?: RunStart;
  /** The value is secret material: only `sha256:` digests may be shown. */
  secret: boolean;
  /** Who wrote the live value (managedFields), as find-field-writer.ts formats it. */
  writer?: string;
}

/** The drifted fields of one resource. */
export interface PageResource {
  label: string;
  fields: PageField[];
}

/** One cluster cell of the fleet grid with everything its details panel shows. */
export interface PageCell {
  name: string;
  state: PageState;
  wave?: string;
  labels: Array<[string, string]>;
  policy?: Policy;
  appliedCommit?: string;
  conditions: ConditionSummary[];
  resources: PageResource[];
  /** The first scan of the unbroken run that saw the cluster drifted. */
  driftSince?: RunStart;
  corrected?: { outcome: 'succeeded' | 'failed'; error?: ReportError };
  error?: ReportError;
  /** Drift only: whether the image pruner frees registry storage, and the warning when it never can. */
  pruner?: PrunerEffect;
  /** Rollout only: what another writer changed while regops applied, per resource. */
  outside?: PageResource[];
  /** Rollout only: the step that failed, the change counts, and when the cluster ran. */
  step?: ReconcileStep;
  /** Rollout only: what an automatic rollback of the failed wave did (engine/rollback-wave.ts). */
  rolledBack?: NonNullable<RolloutReport['waves'][number]['clusters'][number]['rolledBack']>;
  changes?: PlanSummary;
  startedAt?: string;
  finishedAt?: string;
}

/**
 * Turns a drift or rollout report into grid cells, in cluster-name order. `scans` are the drift
 * scans oldest first (ending with the current report on a drift page): they give drift-since, and on a
 * rollout page the labels, policy and last applied commit, which a rollout report does not carry.
 */
export function collectPageCells(report: DriftReport | RolloutReport, scans: readonly DriftReport[]): PageCell[] {
  const cells = report.kind === 'DriftReport' ? collectDriftCells(report, scans) : collectRolloutCells(report, scans);
  return cells.sort((a, b) => compareText(a.name, b.name));
}

function collectDriftCells(report: DriftReport, scans: readonly DriftReport[]): PageCell[] {
  const since = computeDriftSince(scans);
  return report.clusters.map((cluster) => {
    const clusterSince = since.get(cluster.cluster);
    // one group per resource, even if a report lists a resource twice
    const resources = new Map<string, PageResource>();
    for (const resource of cluster.resources) {
      const target = describeTarget(resource.target);
      const secretObject = resource.target.type === 'object' && resource.target.ref.kind === 'Secret';
      const group = resources.get(target.key) ?? { label: target.label, fields: [] };
      for (const change of resource.changes) {
        group.fields.push(toPageField(change, secretObject, clusterSince?.fields.get(fieldKey(target.key, change.path))));
      }
      resources.set(target.key, group);
    }
    return {
      ...describeLastScan(cluster),
      state: cluster.state,
      ...(cluster.wave === undefined ? {} : { wave: cluster.wave }),
      resources: [...resources.values()],
      conditions: cluster.conditions,
      ...(clusterSince?.since === undefined ? {} : { driftSince: clusterSince.since }),
      ...(cluster.corrected === undefined ? {} : { corrected: cluster.corrected }),
      ...(cluster.error === undefined ? {} : { error: cluster.error }),
      ...(cluster.pruner === undefined ? {} : { pruner: cluster.pruner }),
    };
  });
}

function collectRolloutCells(report: RolloutReport, scans: readonly DriftReport[]): PageCell[] {
  const lastSeen = new Map<string, ClusterDrift>();
  for (const scan of scans) for (const cluster of scan.clusters) lastSeen.set(cluster.cluster, cluster);
  return report.waves.flatMap((wave) =>
    wave.clusters.map((cluster) => {
      const seen = lastSeen.get(cluster.cluster);
      const base = seen === undefined ? { name: cluster.cluster, labels: [] } : describeLastScan(seen);
      // a cluster that took or already had this rollout's commit now runs it (DESIGN.md: apply records it)
      const applied = cluster.rolledBack?.outcome === 'succeeded' ? cluster.rolledBack.commit : cluster.outcome === 'succeeded' || cluster.outcome === 'unchanged' ? report.commit : base.appliedCommit;
      return {
        ...base,
        ...(applied === undefined ? {} : { appliedCommit: applied }),
        state: cluster.outcome,
        wave: wave.name,
        resources: [],
        conditions: cluster.conditions,
        changes: cluster.changes,
        ...(cluster.outsideChanges === undefined || cluster.outsideChanges.length === 0
          ? {}
          : {
              outside: cluster.outsideChanges.map((outside) => ({
                label: outside.resource,
                // describeRef (core/resource-ref.ts) writes `Secret/<namespace>/<name>`
                fields: outside.changes.map((change) => toPageField(change, /^Secret\//.test(outside.resource), undefined)),
              })),
            }),
        ...(cluster.step === undefined ? {} : { step: cluster.step }),
        ...(cluster.error === undefined ? {} : { error: cluster.error }),
        ...(cluster.rolledBack === undefined ? {} : { rolledBack: cluster.rolledBack }),
        ...(cluster.startedAt === undefined ? {} : { startedAt: cluster.startedAt }),
        ...(cluster.finishedAt === undefined ? {} : { finishedAt: cluster.finishedAt }),
      };
    }),
  );
}

function describeLastScan(cluster: ClusterDrift): Pick<PageCell, 'name' | 'labels' | 'policy' | 'appliedCommit'> {
  return {
    name: cluster.cluster,
    labels: Object.entries(cluster.labels).sort(([a], [b]) => compareText(a, b)),
    policy: cluster.policy,
    ...(cluster.appliedCommit === undefined ? {} : { appliedCommit: cluster.appliedCommit }),
  };
}

// Secret data and the registry's httpSecret are secret material (docs/registry-operator-facts.md: spec.httpSecret);
// the engine already reduces them to digests, the page checks again.
const SECRET_DATA_PATH = /^(data|stringData)(\.|\[|$)/;
const HTTP_SECRET_PATH = /(^|\.)httpSecret$/;

function toPageField(change: FieldChange, secretObject: boolean, since: RunStart | undefined): PageField {
  return {
    path: change.path,
    op: change.op,
    ...(change.after === undefined ? {} : { git: change.after }),
    ...(change.before === undefined ? {} : { live: change.before }),
    ...(since === undefined ? {} : { since }),
    secret: (secretObject && SECRET_DATA_PATH.test(change.path)) || HTTP_SECRET_PATH.test(change.path),
    ...(change.writer === undefined ? {} : { writer: formatFieldWriter(change.writer) }),
  };
}
