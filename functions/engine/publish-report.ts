/**
 * Publishes a report to a ReportStore (docs/interfaces.md §4): `latest/<kind>.json` and `.md`,
 * `latest/index.html` for drift and rollout reports (the fleet page, with up to TREND_SCANS earlier
 * drift scans from history for its trend), and the dated history entry. Key layout: core/report-keys.ts.
 */
import type { DriftReport, Report } from '../core/model.ts';
import { buildHistoryPrefix, buildReportKeys } from '../core/report-keys.ts';
import { renderDriftMarkdown } from '../core/report/drift-markdown.ts';
import { renderPlanMarkdown } from '../core/report/plan-markdown.ts';
import { renderRolloutMarkdown } from '../core/report/rollout-markdown.ts';
import { renderReportJson } from '../core/report/report-json.ts';
import { renderReportPage, TREND_SCANS } from '../core/report/html-page.ts';
import type { ReportStore } from './ports.ts';

export interface PublishOptions {
  /** Also write `latest/index.html` (default true for drift and rollout reports). */
  page?: boolean;
  /**
   * A workflow run's report: its history entry is keyed by the run's start and commit
   * (core/report-keys.ts), and written only if that key is not there yet, so a retried publish
   * step leaves one history entry per run (readRunReport reads it back).
   */
  run?: { startedAt: string };
}

/** The keys written, for the caller to print. */
export interface PublishedReport {
  keys: string[];
}

function renderMarkdown(report: Report): string {
  switch (report.kind) {
    case 'PlanReport':
      return renderPlanMarkdown(report);
    case 'DriftReport':
      return renderDriftMarkdown(report);
    case 'RolloutReport':
      return renderRolloutMarkdown(report);
  }
}

/** Reads the latest earlier drift scans (oldest first), skipping any that cannot be parsed. */
async function readDriftHistory(store: ReportStore, exclude: string): Promise<DriftReport[]> {
  const keys = (await store.list(buildHistoryPrefix('drift'))).filter((k) => k !== exclude).slice(-TREND_SCANS);
  const history: DriftReport[] = [];
  for (const key of keys) {
    const text = await store.get(key);
    if (text === undefined) continue;
    try {
      const parsed = JSON.parse(text) as DriftReport;
      if (parsed.kind === 'DriftReport') history.push(parsed);
    } catch {
      // a history entry someone truncated is left out of the trend, not fatal to publishing
    }
  }
  return history;
}

/**
 * The report a workflow run already wrote to its history entry, or undefined: a publish step
 * retried after a partial success (history written, then an S3 or GitHub failure) publishes that
 * one again, the same time and content, instead of a second report of the same run.
 */
export async function readRunReport<R extends Report>(store: ReportStore, report: Pick<R, 'kind' | 'commit'>, run: { startedAt: string }): Promise<R | undefined> {
  const key = buildReportKeys({ kind: report.kind, generatedAt: run.startedAt }, { startedAt: run.startedAt, commit: report.commit }).history;
  const text = await store.get(key);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as R;
    if (parsed.kind === report.kind && parsed.commit === report.commit) return parsed;
  } catch {
    // an entry someone truncated: this attempt's report replaces it in latest/ (history keeps the entry)
  }
  return undefined;
}

/** Writes the report's files; history first, so a page built later always finds this scan. */
export async function publishReport(store: ReportStore, report: Report, options: PublishOptions = {}): Promise<PublishedReport> {
  const keys = buildReportKeys(report, options.run === undefined ? undefined : { startedAt: options.run.startedAt, commit: report.commit });
  const json = renderReportJson(report);
  // a run's entry is written once: a retried step finds it there (S3ReportStore would refuse the overwrite)
  const written = options.run === undefined ? undefined : await store.get(keys.history);
  if (written === undefined) await store.put(keys.history, json, 'application/json');
  await store.put(keys.json, json, 'application/json');
  await store.put(keys.markdown, renderMarkdown(report), 'text/markdown; charset=utf-8');
  const published = [keys.json, keys.markdown, keys.history];
  if (report.kind !== 'PlanReport' && options.page !== false) {
    const history = await readDriftHistory(store, keys.history);
    await store.put(keys.html, renderReportPage(report, history), 'text/html; charset=utf-8');
    published.splice(2, 0, keys.html);
  }
  return { keys: published };
}
