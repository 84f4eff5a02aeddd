/**
 * Where published reports live in a report store (a folder locally, the reports bucket in AWS):
 * `latest/<kind>.json|.md`, `latest/index.html`, and one JSON per run under
 * `history/<kind>/<YYYY>/<MM>/<DD>/<generatedAt>.json`. Pure: the time comes from the report.
 */
import type { Report } from './model.ts';

/** The short name of a report kind used in keys: `plan`, `drift`, `rollout`. */
export type ReportKindName = 'plan' | 'drift' | 'rollout';

/** `PlanReport` → `plan`, `DriftReport` → `drift`, `RolloutReport` → `rollout`. */
export function nameReportKind(report: Pick<Report, 'kind'>): ReportKindName {
  switch (report.kind) {
    case 'PlanReport':
      return 'plan';
    case 'DriftReport':
      return 'drift';
    case 'RolloutReport':
      return 'rollout';
  }
}

/** The keys one published report is written to. */
export interface ReportKeys {
  json: string;
  markdown: string;
  html: string;
  history: string;
}

/**
 * The keys for a report; `generatedAt` (ISO 8601, UTC) dates the history entry. A workflow run's
 * report passes `run`, the run's start time: its history entry is then
 * `<startedAt>-<commit 12>.json`, the same key on every attempt of a retried publish step
 * (engine/publish-step.ts), so a retry finds the entry its first attempt wrote instead of adding one.
 */
export function buildReportKeys(report: Pick<Report, 'kind' | 'generatedAt'>, run?: { startedAt: string; commit: string }): ReportKeys {
  const kind = nameReportKind(report);
  const dated = run?.startedAt ?? report.generatedAt;
  const at = new Date(dated);
  if (Number.isNaN(at.getTime())) throw new RangeError(`report ${run === undefined ? 'generatedAt' : 'run startedAt'} is not a time: ${dated}`);
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  return {
    json: `latest/${kind}.json`,
    markdown: `latest/${kind}.md`,
    html: 'latest/index.html',
    history: `history/${kind}/${yyyy}/${mm}/${dd}/${at.toISOString()}${run === undefined ? '' : `-${run.commit.slice(0, 12)}`}.json`,
  };
}

/** The prefix under which every history entry of a kind lives (sorted listing = time order). */
export function buildHistoryPrefix(kind: ReportKindName): string {
  return `history/${kind}/`;
}
