// The drift page for 1,000 clusters (30 scans of history): page weight, render time in Node, and
// load/paint times in Debian's Chromium (/usr/bin/chromium via playwright-core) opening it from disk.
// Targets (issue 5): under 1 MB, rendered in under 1 s. Figures are printed, never asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { DriftReport } from '../../functions/core/model.ts';
import { renderReportPage } from '../../functions/core/report/html-page.ts';
import { generateDriftScans } from '../fixtures/reports/generate-fleet-reports.ts';

const CLUSTERS = 1000;
const RUNS = 7;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const scans = generateDriftScans({ clusters: CLUSTERS, scans: 30 });
const current = scans[scans.length - 1] as DriftReport;
const history = scans.slice(0, -1);

const renderTimes: number[] = [];
let html = '';
for (let run = 0; run < RUNS; run += 1) {
  const start = performance.now();
  html = renderReportPage(current, history);
  renderTimes.push(performance.now() - start);
}
const bytes = Buffer.byteLength(html, 'utf8');
const { summary } = current;
console.log(`fleet: ${CLUSTERS} clusters (${summary.drifted} drifted, ${summary.degraded} degraded, ${summary.unreachable} unreachable), ${scans.length} scans`);
console.log(`page weight: ${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB; target < 1,000,000)`);
console.log(`renderReportPage in Node: median ${median(renderTimes).toFixed(1)} ms over ${RUNS} runs`);

const dir = mkdtempSync(join(tmpdir(), 'regops-page-bench-'));
const file = join(dir, 'index.html');
writeFileSync(file, html);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const figures: Record<'domContentLoaded' | 'load' | 'firstContentfulPaint' | 'gridPaint', number[]> = {
    domContentLoaded: [],
    load: [],
    firstContentfulPaint: [],
    gridPaint: [],
  };
  for (let run = 0; run < RUNS; run += 1) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // evaluated in the page (no DOM typings here): navigation timing, paint timing, element timing
    const timing = await page.evaluate<{ dcl: number; load: number; fcp: number; grid: number }>(`new Promise((resolve) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      new PerformanceObserver((list) => {
        const grid = list.getEntries().find((e) => e.identifier === 'grid');
        if (grid) resolve({ dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : NaN, grid: grid.renderTime || grid.loadTime });
      }).observe({ type: 'element', buffered: true });
      setTimeout(() => resolve({ dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : NaN, grid: NaN }), 5000);
    })`);
    figures.domContentLoaded.push(timing.dcl);
    figures.load.push(timing.load);
    figures.firstContentfulPaint.push(timing.fcp);
    figures.gridPaint.push(timing.grid);
    await page.close();
  }
  console.log(`Chromium, file:// (median of ${RUNS} fresh pages, ms from navigation start; target < 1000):`);
  console.log(`  DOMContentLoaded end   ${median(figures.domContentLoaded).toFixed(0)}`);
  console.log(`  load event end         ${median(figures.load).toFixed(0)}`);
  console.log(`  first contentful paint ${median(figures.firstContentfulPaint).toFixed(0)}`);
  console.log(`  first grid paint       ${median(figures.gridPaint).toFixed(0)}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
