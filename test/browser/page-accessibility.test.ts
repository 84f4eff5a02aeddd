/**
 * The fleet page audited with axe-core (the engine behind Lighthouse's accessibility score) in Debian's
 * Chromium: the 1,000-cluster drift page as it loads and with a panel open, and small drift and
 * rollout pages with every details panel open (so the tables and condition lists are audited too).
 * Serious and critical findings fail the test; the rules are axe's WCAG 2.x A/AA set plus its best practices.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../functions/core/model.ts';
import { renderReportPage } from '../../functions/core/report/html-page.ts';
import { generateDriftScans, generateRolloutReport } from '../fixtures/reports/generate-fleet-reports.ts';
import { windowHeldRollout } from '../fixtures/reports/gated-rollout-reports.ts';
import { PRUNER_REGISTRY_REMOVED } from '../../functions/core/describe-pruner-effect.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regops-page-a11y-'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openPage(name: string, html: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

/**
 * Runs axe in the page. Playwright's evaluate runs outside the page's CSP (which allows only the page's
 * own hashed script), so axe is injected without loosening the page; the page itself loads nothing.
 */
async function audit(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate<AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })`,
  );
  expect(results.passes.length + results.violations.length).toBeGreaterThan(0);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.length} nodes, e.g. ${violation.nodes[0]?.target.join(' ') ?? '?'})`);
}

async function openEveryPanel(page: Page): Promise<number> {
  // the same as a reader clicking each summary: the page script builds each body as it opens
  await page.evaluate("document.querySelectorAll('details.cd summary').forEach((s) => s.click())");
  return page.locator('details.cd[open] .bd').count();
}

describe('the fleet page passes axe-core with no serious or critical finding', () => {
  it('1,000-cluster drift page, as it loads and with a panel open', async () => {
    const scans = generateDriftScans({ clusters: 1000, scans: 30 });
    const { page, problems, requests } = await openPage('fleet-1000', renderReportPage(scans[scans.length - 1] as DriftReport, scans.slice(0, -1)));
    expect(await page.locator('#grid .t').count()).toBe(1000);
    expect(await audit(page)).toEqual([]);
    await page.locator('#grid .t.s-drifted').first().click();
    expect(await page.locator('details.cd[open] .bd .ft').count()).toBe(1);
    expect(await audit(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it('small drift page with hostile names, every panel open', async () => {
    const scans = generateDriftScans({ clusters: 12, scans: 4, hostile: true });
    const { page, problems } = await openPage('fleet-12', renderReportPage(scans[scans.length - 1] as DriftReport, scans.slice(0, -1)));
    expect(await openEveryPanel(page)).toBe(12);
    expect(await audit(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('small rollout page, halted, every panel open', async () => {
    const scans = generateDriftScans({ clusters: 12, scans: 4 });
    const rollout = generateRolloutReport(scans[scans.length - 1] as DriftReport, { commit: 'a'.repeat(40), generatedAt: '2026-11-21T08:00:00.000Z', haltIn: 'early' });
    const { page, problems } = await openPage('rollout-12', renderReportPage(rollout, scans));
    expect(await openEveryPanel(page)).toBe(12);
    expect(await audit(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('small drift page with a pruner warning and pruner lines, every panel open', async () => {
    const scans = generateDriftScans({ clusters: 12, scans: 2 });
    const scan = scans[scans.length - 1] as DriftReport;
    scan.clusters.forEach((cluster, index) => {
      cluster.pruner = index === 0
        ? { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed)', warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}` }
        : { prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' };
    });
    const { page, problems } = await openPage('drift-pruner', renderReportPage(scan, scans.slice(0, -1)));
    expect(await openEveryPanel(page)).toBe(12);
    expect(await page.locator('.bd dt:text-is("Image pruner")').count()).toBe(12);
    expect(await audit(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rollout page with an approved wave and a wave held by a change window, every panel open', async () => {
    const { page, problems } = await openPage('rollout-gated', renderReportPage(windowHeldRollout(), []));
    expect(await page.locator('.waves .gate').count()).toBe(2);
    expect(await openEveryPanel(page)).toBe(4);
    expect(await audit(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
