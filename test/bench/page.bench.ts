// The drift page for 1,000 clusters (30 scans of history): page weight, render time in Node, and
// load/paint times in Debian's Chromium (/usr/bin/chromium via playwright-core) opening it from disk.
// Targets (issue 5): under 1 MB, rendered in under 1 s; issue 12: load event under 1 s in Chromium.
// Before/after, side by side in one run (interleaved, so a busy machine slows both alike): the page
// as served (details bodies are <noscript> text built when a panel opens; cells and panels are
// content-visibility:auto) and the page as it was before issue 12, rebuilt from it: every body parsed
// into the DOM at load, every cell and panel laid out. Figures are printed, never asserted.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { DriftReport } from '../../functions/core/model.ts';
import { renderReportPage } from '../../functions/core/report/html-page.ts';
import { generateDriftScans } from '../fixtures/reports/generate-fleet-reports.ts';

const CLUSTERS = 1000;
const RUNS = 9;
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

/** The page without its on-demand parts: <noscript> wrappers and content-visibility rules gone, the CSP's style hash redone. */
function rebuildEagerPage(page: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  const eagerStyle = style.replace(/^(\.t|\.dense \.t|\.cd|\.t,\.cd)\{(content-visibility|contain-intrinsic-size):[^}]*\}\n/gm, '');
  if (eagerStyle === style) throw new Error('page.bench: the content-visibility rules were not found in the page style');
  const hash = (text: string): string => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
  return page
    .replace(/<noscript>|<\/noscript>/g, '')
    .replace(`<style>${style}</style>`, `<style>${eagerStyle}</style>`)
    .replace(`'${hash(style)}'`, `'${hash(eagerStyle)}'`);
}

type Figures = Record<'domContentLoaded' | 'load' | 'firstContentfulPaint' | 'gridPaint' | 'nodes', number[]>;
const dir = mkdtempSync(join(tmpdir(), 'regops-page-bench-'));
const variants = [
  { name: 'after: details built on demand', html },
  { name: 'before: every body in the DOM, every cell laid out', html: rebuildEagerPage(html) },
].map((variant, index) => {
  const file = join(dir, `page-${index}.html`);
  writeFileSync(file, variant.html);
  const figures: Figures = { domContentLoaded: [], load: [], firstContentfulPaint: [], gridPaint: [], nodes: [] };
  return { ...variant, url: pathToFileURL(file).href, figures };
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  for (let run = 0; run < RUNS; run += 1) {
    for (const { url, figures } of variants) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      // a blocked style or script (a CSP hash that does not match) would make the figures meaningless
      page.on('console', (message) => {
        if (message.type() === 'error') throw new Error(`page.bench: ${url}: ${message.text()}`);
      });
      await page.goto(url, { waitUntil: 'load' });
      // evaluated in the page (no DOM typings here): navigation timing, paint timing, element timing
      const timing = await page.evaluate<{ dcl: number; load: number; fcp: number; grid: number; nodes: number }>(`new Promise((resolve) => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const nodes = document.getElementsByTagName('*').length;
        const done = (grid) => resolve({ dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : NaN, grid, nodes });
        new PerformanceObserver((list) => {
          const grid = list.getEntries().find((e) => e.identifier === 'grid');
          if (grid) done(grid.renderTime || grid.loadTime);
        }).observe({ type: 'element', buffered: true });
        setTimeout(() => done(NaN), 5000);
      })`);
      figures.domContentLoaded.push(timing.dcl);
      figures.load.push(timing.load);
      figures.firstContentfulPaint.push(timing.fcp);
      figures.gridPaint.push(timing.grid);
      figures.nodes.push(timing.nodes);
      await page.close();
    }
  }
  for (const { name, figures } of variants) {
    console.log(`Chromium, file://, ${name} (median of ${RUNS} fresh pages, ms from navigation start; target < 1000):`);
    console.log(`  elements at load       ${median(figures.nodes).toFixed(0)}`);
    console.log(`  DOMContentLoaded end   ${median(figures.domContentLoaded).toFixed(0)}`);
    console.log(`  load event end         ${median(figures.load).toFixed(0)}`);
    console.log(`  first contentful paint ${median(figures.firstContentfulPaint).toFixed(0)}`);
    console.log(`  first grid paint       ${median(figures.gridPaint).toFixed(0)}`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
