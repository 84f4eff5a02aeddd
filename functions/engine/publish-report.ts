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

/** Writes the report's files; history first, so a page built later always finds this scan. */
export async function publishReport(store: ReportStore, report: Report, options: PublishOptions = {}): Promise<PublishedReport> {
  const keys = buildReportKeys(report);
  const json = renderReportJson(report);
  await store.put(keys.history, json, 'application/json');
  await store.put(keys.json, json, 'application/json');
  await store.put(keys.markdown, renderMarkdown(report), 'text/markdown; charset=utf-8');
  const written = [keys.json, keys.markdown, keys.history];
  if (report.kind !== 'PlanReport' && options.page !== false) {
    const history = await readDriftHistory(store, keys.history);
    await store.put(keys.html, renderReportPage(report, history), 'text/html; charset=utf-8');
    written.splice(2, 0, keys.html);
  }
  return { keys: written };
}
