/**
 * The drift page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
 * A generated 200-cluster fleet (with hostile names, labels and messages) and its history are
 * rendered, written to a file and opened from a file:// URL, as someone opening it from disk would.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../functions/core/model.ts';
import { renderReportPage } from '../../functions/core/report/html-page.ts';
import { HOSTILE, generateDriftScans, generateRolloutReport } from '../fixtures/reports/generate-fleet-reports.ts';
import { GATED, approvalTimedOutRollout, windowHeldRollout } from '../fixtures/reports/gated-rollout-reports.ts';
import { PRUNER_REGISTRY_REMOVED } from '../../functions/core/describe-pruner-effect.ts';
import { describePrunerLine } from '../../functions/core/report/describe-pruner-line.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

const scans = generateDriftScans({ clusters: 200, scans: 24, hostile: true });
const report = scans[scans.length - 1] as DriftReport;
const history = scans.slice(0, -1);

let browser: Browser;
let page: Page;
let dir: string;
let pageUrl: string;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regops-page-'));
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReportPage(report, history));
  pageUrl = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('request', (request) => requests.push(request.url()));
  // a CSP violation (a blocked inline script or style) or a script error shows up here
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function visibleTiles(): Promise<number> {
  return page.locator('#grid .t:visible').count();
}

async function resetFilters(): Promise<void> {
  await page.reload({ waitUntil: 'load' });
}

describe('the drift page in Chromium', () => {
  it('shows the counts of the JSON report, one cell per cluster, and runs its script under its CSP', async () => {
    for (const state of ['in-sync', 'drifted', 'degraded', 'unreachable', 'unmanaged'] as const) {
      expect(await page.locator(`.chip[data-s="${state}"] .n`).textContent(), state).toBe(String(report.summary[state]));
    }
    expect(await page.locator('.chip.total .n').textContent()).toBe(String(report.summary.clusters));
    expect(await visibleTiles()).toBe(200);
    // the toolbar is shown by the page script: it ran, so its CSP hash matched
    await expect.poll(() => page.locator('#toolbar').isVisible()).toBe(true);
    expect(await page.locator('#shown').textContent()).toBe('Showing 200 of 200 clusters');
    expect(problems).toEqual([]);
  });

  it('filters by state with the count buttons', async () => {
    await resetFilters();
    await page.locator('.chip[data-s="drifted"]').click();
    expect(await visibleTiles()).toBe(report.summary.drifted);
    expect(await page.locator('#shown').textContent()).toBe(`Showing ${report.summary.drifted} of 200 clusters with state drifted`);
    expect(await page.locator('details.cd:visible').count()).toBe(report.summary.drifted);
    await page.locator('.chip[data-s="degraded"]').click();
    expect(await visibleTiles()).toBe(report.summary.drifted + report.summary.degraded);
    await page.locator('.chip[data-s="drifted"]').click();
    await page.locator('.chip[data-s="degraded"]').click();
    expect(await visibleTiles()).toBe(200);
  });

  it('filters by label and by search, alone and together', async () => {
    await resetFilters();
    const prod = report.clusters.filter((c) => c.labels.env === 'prod');
    const option = await page.locator('#label option', { hasText: /^env=prod \(/ }).getAttribute('value');
    await page.locator('#label').selectOption(option ?? '');
    expect(await visibleTiles()).toBe(prod.length);

    await page.locator('#label').selectOption('');
    await page.locator('#q').fill('spec.replicas');
    const withReplicas = report.clusters.filter((c) => c.cluster.includes('spec.replicas') || c.resources.some((r) => r.changes.some((ch) => ch.path.includes('spec.replicas'))));
    expect(withReplicas.length).toBeGreaterThan(0);
    expect(await visibleTiles()).toBe(withReplicas.length);

    await page.locator('#q').fill('EUW1');
    const euw1 = report.clusters.filter((c) => c.cluster.toLowerCase().includes('euw1'));
    expect(await visibleTiles()).toBe(euw1.length);

    await page.locator('#label').selectOption(option ?? '');
    await page.locator('.chip[data-s="in-sync"]').click();
    const expected = euw1.filter((c) => c.labels.env === 'prod' && c.state === 'in-sync').length;
    expect(await visibleTiles()).toBe(expected);
    expect(await page.locator('#shown').textContent()).toBe(`Showing ${expected} of 200 clusters with state in-sync, label env=prod, matching \u201cEUW1\u201d`);

    await page.locator('#q').fill('no-such-cluster-or-field');
    expect(await visibleTiles()).toBe(0);
    expect(await page.locator('#none').isVisible()).toBe(true);

    await page.locator('#clear').click();
    expect(await visibleTiles()).toBe(200);
    expect(await page.locator('#none').isVisible()).toBe(false);
  });

  it('regroups the grid by a label the viewer picks', async () => {
    await resetFilters();
    await page.locator('#group').selectOption('l:platform');
    const platforms = new Set(report.clusters.map((c) => c.labels.platform ?? ''));
    expect(await page.locator('#grid .g').count()).toBe(platforms.size);
    expect(await visibleTiles()).toBe(200);
    const awsGroup = page.locator('#grid .g', { has: page.locator('h3', { hasText: /^platform = aws / }) });
    expect(await awsGroup.locator('.t').count()).toBe(report.clusters.filter((c) => c.labels.platform === 'aws').length);

    // label keys and values named like Object.prototype members group like any other
    for (const key of ['team', '__proto__']) {
      await page.locator('#group').selectOption(`l:${key}`);
      const values = new Set(report.clusters.map((c) => (Object.prototype.hasOwnProperty.call(c.labels, key) ? c.labels[key] : '')));
      expect(await page.locator('#grid .g').count(), key).toBe(values.size);
      expect(await visibleTiles(), key).toBe(200);
    }
    const constructorGroup = page.locator('#grid .g', { has: page.locator('h3', { hasText: /^No __proto__ label / }) });
    expect(await constructorGroup.locator('.t').count()).toBe(199);
    expect(problems).toEqual([]);
  });

  it('works from the keyboard: Tab reaches a state filter, Space toggles it, Enter on a cell opens its details', async () => {
    await resetFilters();
    let focused = '';
    for (let presses = 0; presses < 20 && focused !== 'drifted'; presses += 1) {
      await page.keyboard.press('Tab');
      // a string expression: the test project has no DOM typings (tsconfig lib ES2023)
      focused = await page.evaluate<string>("document.activeElement?.getAttribute('data-s') ?? ''");
    }
    expect(focused).toBe('drifted');
    await page.keyboard.press('Space');
    expect(await page.locator('.chip[data-s="drifted"]').getAttribute('aria-pressed')).toBe('true');
    expect(await visibleTiles()).toBe(report.summary.drifted);
    await page.keyboard.press('Space');
    expect(await page.locator('.chip[data-s="drifted"]').getAttribute('aria-pressed')).toBe('false');

    const tile = page.locator('#grid .t.s-drifted').first();
    const target = (await tile.getAttribute('href')) ?? '';
    await tile.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`details${target}`).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await page.locator(`details${target} .ft`).isVisible()).toBe(true);

    // a panel opened from its own summary with the keyboard gets its body too
    const otherId = await page.locator('details.cd.s-drifted:not([open])').first().getAttribute('id');
    const other = page.locator(`details#${otherId ?? ''}`);
    expect(await other.locator('.bd').count()).toBe(0);
    await other.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await other.locator('.bd .ft').isVisible()).toBe(true);
  });

  it('builds a details body only when its panel opens, from the markup served for script-less readers', async () => {
    await page.goto(pageUrl, { waitUntil: 'load' });
    // at load no body is in the DOM: each is one text node inside <noscript>
    expect(await page.locator('details.cd .bd').count()).toBe(0);
    expect(await page.locator('details.cd > noscript').count()).toBe(200);
    const panel = page.locator('details.cd', { has: page.locator('summary .nm', { hasText: 'evil-<img src=x onerror=alert(1)>' }) });
    expect(await panel.count()).toBe(1);
    await panel.locator('summary').click();
    expect(await panel.locator('.bd').count()).toBe(1);
    expect(await panel.locator('noscript').count()).toBe(0);
    // hostile text in a body (a condition message closing </noscript> and <script>) stays text after the build
    const degraded = page.locator('details.cd.s-degraded').first();
    await degraded.locator('summary').click();
    expect(await degraded.locator('.bd').textContent()).toContain(HOSTILE.message);
    expect(await page.locator('img, details.cd script').count()).toBe(0);
    expect(await page.locator('details.cd .bd').count()).toBe(2);
    expect(problems).toEqual([]);
  });

  it('prints without controls, with every panel expanded and state as text', async () => {
    await resetFilters();
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('#toolbar').isVisible()).toBe(false);
      // the bodies are built when print media starts (the page script listens for it)
      const closed = page.locator('details.cd:not([open])').first();
      await expect.poll(() => closed.locator('.bd').isVisible()).toBe(true);
      expect(await page.locator('details.cd noscript').count()).toBe(0);
      expect(await page.locator('#grid .t i').first().isVisible()).toBe(true);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('shows hostile names as text and makes no request but for the page itself', async () => {
    await resetFilters();
    expect(await page.locator('#grid .t span', { hasText: 'evil-<img src=x onerror=alert(1)>' }).count()).toBe(1);
    expect(await page.locator('img, iframe, link, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    const outside = requests.filter((url) => url !== pageUrl && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('still shows the counts, the grid and the details without script', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 1000 } });
    try {
      const plain = await context.newPage();
      await plain.goto(pageUrl, { waitUntil: 'load' });
      expect(await plain.locator('.chip[data-s="drifted"] .n').textContent()).toBe(String(report.summary.drifted));
      expect(await plain.locator('#grid .t:visible').count()).toBe(200);
      // the filters need the script, so they stay out of the way
      expect(await plain.locator('#toolbar').isVisible()).toBe(false);
      await plain.locator('details.cd summary').first().click();
      expect(await plain.locator('details.cd .bd').first().isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('saves a screenshot of the page and of a rollout page as test artifacts', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await resetFilters();
    await page.locator('#grid .t.s-drifted').nth(1).click();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'drift-page.png'), fullPage: false });

    const rollout = generateRolloutReport(report, { commit: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0', generatedAt: '2026-11-21T08:00:00.000Z', haltIn: 'early' });
    const file = join(dir, 'rollout.html');
    writeFileSync(file, renderReportPage(rollout, scans));
    const rolloutPage = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const rolloutRequests: string[] = [];
    rolloutPage.on('request', (request) => rolloutRequests.push(request.url()));
    await rolloutPage.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await rolloutPage.locator('.chip[data-s="failed"] .n').textContent()).toBe(
      String(rollout.waves.flatMap((w) => w.clusters).filter((c) => c.outcome === 'failed').length),
    );
    await rolloutPage.screenshot({ path: join(ARTIFACTS, 'rollout-page.png') });
    expect(rolloutRequests).toEqual([pathToFileURL(file).href]);
    await rolloutPage.close();
  });
});

describe('approvals, change windows and the pruner effect on the page in Chromium (issue 13)', () => {
  /** Opens a rendered page from a file, as a reader opening it from disk; fails on any script or CSP problem. */
  async function open(name: string, html: string): Promise<Page> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const opened = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    opened.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
    await opened.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return opened;
  }

  /** The visible text of a wave's row in the waves table, spaces collapsed. */
  async function waveRow(opened: Page, wave: string): Promise<string> {
    const row = opened.locator('table.waves tbody tr', { has: opened.locator(`th:text-is("${wave}")`) });
    expect(await row.isVisible()).toBe(true);
    return (await row.innerText()).replace(/\s+/g, ' ').trim();
  }

  it('shows who approved a wave and when, and the window holding the next with when it may start', async () => {
    const opened = await open('rollout-window', renderReportPage(windowHeldRollout(), []));
    try {
      expect(await waveRow(opened, 'canary')).toContain('approved by alice at 2026-11-25 12:10 UTC');
      const held = `held by a change window: ${GATED.window.reason}; the wave may start at 2026-11-25 17:00 UTC`;
      expect(await waveRow(opened, 'main')).toContain(held);
      expect(await waveRow(opened, 'edge')).not.toMatch(/approved|held/);
      expect((await opened.locator('.banner').innerText()).replace(/\s+/g, ' ')).toBe(`Rollout halted in wave main: ${held}`);
    } finally {
      await opened.close();
    }
  });

  it('shows the pruner warning of a drift scan: counted, named on the closed panel, spelled out once it opens', async () => {
    const scan = structuredClone(report);
    const warned = scan.clusters[3];
    if (warned === undefined) throw new Error('the generated scan has fewer than 4 clusters');
    warned.pruner = { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed)', warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}` };
    const prunes = scan.clusters[4];
    if (prunes !== undefined) prunes.pruner = { prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' };
    const opened = await open('drift-pruner', renderReportPage(scan, history));
    try {
      const facts = (await opened.locator('dl.facts').innerText()).replace(/\s+/g, ' ');
      const warnings = scan.clusters.filter((cluster) => cluster.pruner?.warning !== undefined).length;
      expect(warnings).toBeGreaterThan(1);
      expect(facts).toContain(`Pruner warnings ${warnings} clusters`);
      expect(await opened.locator('details.cd summary', { hasText: 'PRUNER WARNING' }).count()).toBe(warnings);
      const panel = opened.locator('details.cd', { has: opened.locator('summary .nm', { hasText: warned.cluster }) });
      expect(await panel.locator('summary').innerText()).toContain('PRUNER WARNING');
      await panel.locator('summary').click();
      const dd = panel.locator('.bd dt:text-is("Image pruner") + dd');
      expect(await dd.isVisible()).toBe(true);
      expect(await dd.innerText()).toBe(describePrunerLine(warned.pruner));
      expect(await dd.innerText()).toMatch(/^pruner will not prune the registry: .*; WARNING: the pruner is scheduled but the registry is Removed/);
      expect(problems).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('shows that the rollout stopped waiting for an approval that timed out', async () => {
    const opened = await open('rollout-timeout', renderReportPage(approvalTimedOutRollout(), []));
    try {
      expect(await waveRow(opened, 'main')).toContain(`approval timed out, the rollout stopped waiting: ${GATED.timeout.detail}`);
      expect(problems).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
