import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClusterDrift, DriftReport, RolloutReport } from '../../../../functions/core/model.ts';
import { renderReportPage } from '../../../../functions/core/report/html-page.ts';
import { escapeHtml } from '../../../../functions/core/report/html/escape-html.ts';
import { PRUNER_REGISTRY_REMOVED } from '../../../../functions/core/describe-pruner-effect.ts';
import { describePrunerLine } from '../../../../functions/core/report/describe-pruner-line.ts';
import { HOSTILE, generateDriftScans, generateRolloutReport } from '../../../fixtures/reports/generate-fleet-reports.ts';
import { GATED, approvalTimedOutRollout, approvedThenWindowHeldRollout, windowHeldRollout } from '../../../fixtures/reports/gated-rollout-reports.ts';

function cluster(name: string, state: ClusterDrift['state'], extra: Partial<ClusterDrift> = {}): ClusterDrift {
  return { cluster: name, labels: { env: 'prod' }, wave: 'main', policy: 'inform', state, resources: [], conditions: [], ...extra };
}

function driftReport(generatedAt: string, clusters: ClusterDrift[]): DriftReport {
  const summary = { 'in-sync': 0, drifted: 0, degraded: 0, unreachable: 0, unmanaged: 0, error: 0, clusters: clusters.length, driftedFields: 0, corrected: 0 };
  for (const c of clusters) summary[c.state] += 1;
  return { apiVersion: 'regops/v1', kind: 'DriftReport', commit: 'c'.repeat(40), generatedAt, durationMs: 1200, clusters, summary };
}

const replicas = (before: number, after: number): ClusterDrift['resources'] => [
  {
    target: { type: 'object', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' } },
    changes: [{ path: 'spec.replicas', op: 'change', before, after }],
  },
];

/** The counts bar: state → number, read back from the markup. */
function readCounts(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of html.matchAll(/data-s="([a-z-]+)"[^>]*><span class="n">(\d+)<\/span>/g)) counts[match[1] as string] = Number(match[2]);
  return counts;
}

/** The markup without the bodies of script and style elements. */
function stripScriptsAndStyles(html: string): string {
  return html.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2').replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2');
}

const ALLOWED_TAGS = new Set(
  'html head meta title style body header p h1 h2 h3 h4 code main section ul ol li button span div dl dt dd svg line text g rect figure figcaption caption details summary noscript table thead tbody tr th td label input select option a b i footer script strong'.split(' '),
);

describe('renderReportPage', () => {
  const scans = generateDriftScans({ clusters: 200, scans: 12 });
  const current = scans[scans.length - 1] as DriftReport;
  const history = scans.slice(0, -1);

  it('shows a count per drift state equal to the report summary', () => {
    const html = renderReportPage(current, history);
    const { summary } = current;
    expect(readCounts(html)).toEqual({
      'in-sync': summary['in-sync'],
      drifted: summary.drifted,
      degraded: summary.degraded,
      unreachable: summary.unreachable,
      unmanaged: summary.unmanaged,
      error: summary.error,
    });
    expect(html).toContain(`<span class="n">${summary.clusters}</span><span class="l">Clusters</span>`);
    // one grid cell and one details panel per cluster
    expect(html.match(/<a class="t s-/g)).toHaveLength(200);
    expect(html.match(/<details id="c\d+" class="cd /g)).toHaveLength(200);
  });

  it('shows a count per rollout outcome equal to the clusters of the waves', () => {
    const rollout = generateRolloutReport(current, { commit: 'a'.repeat(40), generatedAt: '2026-11-21T08:00:00.000Z', haltIn: 'early' });
    const expected: Record<string, number> = { failed: 0, succeeded: 0, unchanged: 0, skipped: 0, 'not-started': 0 };
    for (const wave of rollout.waves) for (const c of wave.clusters) expected[c.outcome] = (expected[c.outcome] ?? 0) + 1;
    const html = renderReportPage(rollout, scans);
    expect(readCounts(html)).toEqual(expected);
    expect(expected.failed).toBeGreaterThan(0);
    expect(html).toContain('Rollout halted in wave early:');
  });

  it('names the failed step and its reason, and takes labels and policy from the last drift scan', () => {
    const rollout: RolloutReport = {
      apiVersion: 'regops/v1',
      kind: 'RolloutReport',
      commit: 'b'.repeat(40),
      generatedAt: '2026-11-21T08:00:00.000Z',
      durationMs: 5000,
      status: 'failed',
      halted: { wave: 'canary', reason: '1 cluster failed, more than maxFailures 0' },
      waves: [
        {
          name: 'canary',
          status: 'failed',
          maxConcurrency: 1,
          maxFailures: 0,
          clusters: [
            {
              cluster: 'lab-1',
              outcome: 'failed',
              step: 'health-gate',
              error: { code: 'cluster.health-gate', message: 'cluster lab-1: Degraded=True (Unavailable)' },
              changes: { create: 0, update: 1, prune: 0, unchanged: 2, skipped: 0 },
              conditions: [{ object: 'configs.imageregistry.operator.openshift.io/cluster', type: 'Degraded', status: 'True', reason: 'Unavailable', message: 'no replicas' }],
            },
          ],
        },
      ],
    };
    const lastScan = driftReport('2026-11-21T07:00:00.000Z', [cluster('lab-1', 'in-sync', { labels: { env: 'lab', wave: 'canary' }, policy: 'enforce', appliedCommit: 'd'.repeat(40) })]);
    const html = renderReportPage(rollout, [lastScan]);
    expect(html).toContain('<dt>Failed step</dt><dd>health-gate</dd>');
    expect(html).toContain('<dt>Reason</dt><dd><code>cluster.health-gate</code> cluster lab-1: Degraded=True (Unavailable)</dd>');
    expect(html).toContain('env=lab, wave=canary');
    expect(html).toContain('policy enforce');
    // a failed cluster still runs the commit it had before
    expect(html).toContain(`<dt>Applied commit</dt><dd><code>${'d'.repeat(12)}</code></dd>`);
    expect(html).toContain('<li class="ab"><b>Degraded</b> True (Unavailable)<span class="m">no replicas</span></li>');
  });

  it('shows what another writer changed during the apply, secrets as digests only', () => {
    const rollout = generateRolloutReport(current, { commit: 'a'.repeat(40), generatedAt: '2026-11-21T08:00:00.000Z' });
    const first = rollout.waves[0]?.clusters[0];
    if (first === undefined) throw new Error('fixture: the canary wave is empty');
    first.outsideChanges = [
      { resource: 'Config/cluster', changes: [{ path: 'spec.replicas', op: 'change', before: 2, after: 4 }] },
      { resource: 'Secret/openshift-image-registry/image-registry-private-configuration-user', changes: [{ path: 'data.REGISTRY_STORAGE_S3_ACCESSKEY', op: 'change', before: 'AKIAplain', after: `sha256:${'f'.repeat(64)}` }] },
    ];
    const html = renderReportPage(rollout, scans);
    expect(html).toContain('<caption>Changed by another writer during the apply</caption>');
    expect(html).toContain('<tr><th scope="row"><code>spec.replicas</code></th><td><code>2</code></td><td><code>4</code></td></tr>');
    expect(html).not.toContain('AKIAplain');
    expect(html).toContain(`sha256:${'f'.repeat(12)}\u2026`);
  });

  it('prints a condition list many clusters share once, and keeps the conditions off normal in each panel', () => {
    const op = 'ClusterOperator/image-registry';
    const healthy = [
      { object: op, type: 'Available', status: 'True', reason: 'Ready', message: 'Available: The registry is ready' },
      { object: op, type: 'Degraded', status: 'False', reason: 'AsExpected', message: '' },
    ];
    const degraded = [
      { object: op, type: 'Available', status: 'False', reason: 'NoReplicasAvailable', message: 'Available: no replicas' },
      { object: op, type: 'Degraded', status: 'True', reason: 'Unavailable', message: 'Degraded: no replicas' },
    ];
    const clusters = [
      ...['a', 'b', 'c'].map((name) => cluster(name, 'in-sync', { conditions: healthy })),
      ...['d', 'e', 'f'].map((name) => cluster(name, 'degraded', { conditions: degraded })),
      cluster('g', 'degraded', { conditions: [degraded[1] as ClusterDrift['conditions'][number]] }),
    ];
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', clusters), []);
    expect(html).toContain('<section id="cs0" class="set"><h3>Condition set A <span class="mu">\u00b7 3 clusters</span></h3>');
    expect(html).toContain('<section id="cs1" class="set"><h3>Condition set B <span class="mu">\u00b7 3 clusters</span></h3>');
    expect(html.match(/The registry is ready/g)).toHaveLength(1);
    expect(html.match(/<p class="cs">Conditions: all normal, as in <a href="#cs0">condition set A<\/a>.<\/p>/g)).toHaveLength(3);
    // each degraded panel names its abnormal conditions in full: 3 panels + the set itself
    expect(html.match(/<li class="ab"><b>Degraded<\/b> True \(Unavailable\)<span class="m">Degraded: no replicas<\/span><\/li>/g)).toHaveLength(5);
    expect(html.match(/Full list: <a href="#cs1">condition set B<\/a>/g)).toHaveLength(3);
  });

  it('offers every label for filtering and every label key for grouping, and carries the same in its data block', () => {
    const html = renderReportPage(current, history);
    const pairs = new Map<string, number>();
    for (const c of current.clusters) for (const [k, v] of Object.entries(c.labels)) pairs.set(`${k}=${v}`, (pairs.get(`${k}=${v}`) ?? 0) + 1);
    const options = [...html.matchAll(/<option value="\d+">([^<]+) \((\d+)\)<\/option>/g)].map((m) => [m[1], Number(m[2])]);
    expect(new Map(options as Array<[string, number]>)).toEqual(pairs);
    expect([...html.matchAll(/<option value="l:([^"]+)">/g)].map((m) => m[1])).toEqual(['env', 'platform', 'region', 'team', 'wave']);
    const data = JSON.parse(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as {
      s: string[];
      c: Array<[string, number, string, number[], string[]]>;
    };
    expect(data.c).toHaveLength(current.clusters.length);
    expect(data.c.map((c) => data.s[c[1]])).toEqual([...current.clusters].sort((a, b) => (a.cluster < b.cluster ? -1 : 1)).map((c) => c.state));
  });

  it('is deterministic: the same input gives the same bytes, whatever the order of history', () => {
    const first = renderReportPage(current, history);
    expect(renderReportPage(current, history)).toBe(first);
    expect(renderReportPage(current, [...history].reverse())).toBe(first);
    // the current report repeated in history (already stored) is counted once
    expect(renderReportPage(current, [...history, current])).toBe(first);
  });

  it('loads nothing from outside: no URLs, no src attributes, no imports, only its own hashed inline code', () => {
    const html = renderReportPage(current, history);
    for (const forbidden of ['http://', 'https://', 'src=', '@import', 'url(', '//cdn', '<link', '<img', '<iframe']) {
      expect(html, forbidden).not.toContain(forbidden);
    }
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('shows since when each cluster has been drifted, from the unbroken run of scans', () => {
    const t = (hour: number): string => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const past = [
      driftReport(t(1), [cluster('a', 'drifted', { resources: replicas(1, 2) }), cluster('b', 'drifted', { resources: replicas(1, 2) })]),
      driftReport(t(2), [cluster('a', 'drifted', { resources: replicas(1, 2) }), cluster('b', 'in-sync')]),
      driftReport(t(3), [cluster('a', 'drifted', { resources: replicas(1, 2) }), cluster('b', 'drifted', { resources: replicas(1, 2) })]),
    ];
    const now = driftReport(t(4), [cluster('a', 'drifted', { resources: replicas(1, 2) }), cluster('b', 'drifted', { resources: replicas(1, 2) })]);
    const html = renderReportPage(now, past);
    const panel = (name: string): string => new RegExp(`<details[^>]*><summary>(?:(?!</details>).)*<span class="nm">${name}</span>(?:(?!</details>).)*</details>`).exec(html)?.[0] ?? '';
    // drifted in every scan known: the drift may be older than the history
    expect(panel('a')).toContain('<dt>Drifted since</dt><dd>2026-11-20 01:00 UTC or earlier <span class="mu">(3 h 0 min or more)</span></dd>');
    expect(panel('b')).toContain('<dt>Drifted since</dt><dd>2026-11-20 03:00 UTC <span class="mu">(1 h 0 min)</span></dd>');
    expect(panel('a')).toContain('<th scope="row"><code>spec.replicas</code></th><td><code>2</code></td><td><code>1</code></td>');
  });

  it('shows one group of drifted fields per resource, even if the report lists a resource twice', () => {
    const twice = cluster('a', 'drifted', { resources: [...replicas(1, 2), ...replicas(3, 4)] });
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', [twice]), []);
    expect(html.match(/<th colspan="4" scope="rowgroup">Config cluster<\/th>/g)).toHaveLength(1);
    expect(html.match(/<code>spec.replicas<\/code>/g)).toHaveLength(2);
  });

  it('draws the trend from history plus the current scan, with a text alternative', () => {
    const html = renderReportPage(current, history);
    expect(html.match(/<g><title>/g)).toHaveLength(scans.length);
    expect(html).toContain('aria-labelledby="trend-title" aria-describedby="trend-desc"');
    const last = current.clusters.filter((c) => c.state === 'drifted').length;
    expect(html).toMatch(new RegExp(`<span id="trend-desc">12 scans from [^<]* drifted clusters went from \\d+ to ${last} `));
    expect(html).toContain('<summary>Trend as a table</summary>');
  });

  it('keeps at most the last 30 scans on the trend', () => {
    const long = generateDriftScans({ clusters: 5, scans: 40 });
    const html = renderReportPage(long[39] as DriftReport, long.slice(0, 39));
    expect(html.match(/<g><title>/g)).toHaveLength(30);
    expect(html).toContain('Drift trend over the last 30 scans');
  });

  it('renders a rollout without any drift history', () => {
    const rollout = generateRolloutReport(current, { commit: 'a'.repeat(40), generatedAt: '2026-11-21T08:00:00.000Z' });
    const html = renderReportPage(rollout, []);
    expect(html).toContain('No drift scans yet');
    expect(html).toContain(`<h1>Rollout ${rollout.status}:`);
    expect(html.match(/<a class="t s-/g)).toHaveLength(200);
  });

  it('renders an empty fleet without history', () => {
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', []), []);
    expect(readCounts(html)).toEqual({ 'in-sync': 0, drifted: 0, degraded: 0, unreachable: 0, unmanaged: 0, error: 0 });
    expect(html).toContain('Fleet drift: 0 of 0 clusters drifted');
  });
});

describe('renderReportPage: a cluster whose plan has errors (issue #10 item 10)', () => {
  it('is counted and shown as a plan error with its reason, never in sync', () => {
    const planError = cluster('refused-1', 'error', { error: { code: 'plan.refused', message: 'cluster refused-1: plan has 1 error, nothing of it would be applied: plan.destructive-remove: Removed empties the bucket', step: 'plan' } });
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', [planError, cluster('fine-1', 'in-sync')]), []);
    expect(readCounts(html)).toMatchObject({ 'in-sync': 1, error: 1 });
    expect(html).toMatch(/<a class="t s-error"[^>]*>/);
    expect(html).toContain('Plan error');
    expect(html).toContain('plan.destructive-remove: Removed empties the bucket');
  });
});

describe('renderReportPage with hostile input', () => {
  const scans = generateDriftScans({ clusters: 20, scans: 3, hostile: true });
  const current = scans[scans.length - 1] as DriftReport;

  const cases: Array<{ name: string; mutate: (report: DriftReport) => DriftReport }> = [
    { name: 'cluster name', mutate: (r) => r },
    { name: 'label key and value', mutate: (r) => r },
    { name: 'wave', mutate: (r) => ({ ...r, clusters: r.clusters.map((c) => ({ ...c, wave: '</section><script>alert(5)</script>' })) }) },
    { name: 'error message', mutate: (r) => ({ ...r, clusters: r.clusters.map((c) => ({ ...c, state: 'unreachable' as const, error: { code: '"><i onclick=x>', message: '<img src=x onerror=alert(6)>' } })) }) },
    { name: 'commit', mutate: (r) => ({ ...r, commit: '<script>alert(7)</script>', clusters: r.clusters.map((c) => ({ ...c, appliedCommit: '" onfocus="alert(8)' })) }) },
    {
      name: 'field values',
      mutate: (r) => ({ ...r, clusters: r.clusters.map((c) => ({ ...c, state: 'drifted' as const, resources: [{ target: { type: 'object' as const, ref: { apiVersion: 'v1', kind: '<b>Kind', name: '<svg onload=alert(9)>' } }, changes: [{ path: 'spec.x', op: 'change' as const, before: '</code><script>alert(10)</script>', after: { '<k>': '<v onclick=y>' } }] }] })) }),
    },
  ];

  it.each(cases)('escapes hostile text in the $name', ({ mutate }) => {
    const html = renderReportPage(mutate(current), scans.slice(0, -1));
    const markup = stripScriptsAndStyles(html);
    const tags = new Set([...markup.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase()));
    expect([...tags].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    // no attribute can be an event handler: every `on…=` is inside text, where `<`/`"` are escaped
    expect(markup).not.toMatch(/<[^>]*\son[a-z]+=/i);
    // the JSON data block cannot be closed early by a value
    const data = /<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>]/);
    expect(JSON.parse(data)).toBeTypeOf('object');
  });

  it('shows the hostile strings as text', () => {
    const html = renderReportPage(current, []);
    expect(html).toContain(escapeHtml(HOSTILE.name));
    expect(html).toContain(escapeHtml(HOSTILE.name2));
    expect(html).toContain(escapeHtml(`${HOSTILE.labelKey}=${HOSTILE.labelValue}`));
    expect(html).toContain(escapeHtml(HOSTILE.message));
    expect(html).toContain(escapeHtml(HOSTILE.path));
  });
});

describe('renderReportPage: approvals and change windows on the waves (issue 13)', () => {
  /** The waves table's row of one wave, as text without tags. */
  function waveRow(html: string, wave: string): string {
    const row = new RegExp(`<tr><th scope="row">${wave}</th>(.*?)</tr>`).exec(html)?.[1] ?? '';
    return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  }

  it('says who approved a wave and when in UTC, and why the next one was held and when it may start', () => {
    const html = renderReportPage(windowHeldRollout(), []);
    expect(waveRow(html, 'canary')).toBe('Succeeded approved by alice at 2026-11-25 12:10 UTC 1 0 1 at a time, 0 failures allowed');
    const held = escapeHtml(`held by a change window: ${GATED.window.reason}; the wave may start at 2026-11-25 17:00 UTC`);
    expect(waveRow(html, 'main')).toBe(`Not started ${held} 2 0 2 at a time, 0 failures allowed`);
    expect(waveRow(html, 'edge')).toBe('Not started 1 0 1 at a time, 0 failures allowed');
    expect(html).toContain(`<strong>Rollout halted in wave main:</strong> ${held}</p>`);
  });

  it('a wave approved and then held by its window says who approved it, then the window', () => {
    const html = renderReportPage(approvedThenWindowHeldRollout(), []);
    const gate = escapeHtml(`approved by bob at 2026-11-25 12:14 UTC, then held by a change window: ${GATED.window.reason}; the wave may start at 2026-11-25 17:00 UTC`);
    expect(waveRow(html, 'main')).toBe(`Not started ${gate} 2 0 2 at a time, 0 failures allowed`);
  });

  it('says that a rollout stopped waiting for an approval that timed out', () => {
    const html = renderReportPage(approvalTimedOutRollout(), []);
    expect(waveRow(html, 'main')).toContain(escapeHtml(`approval timed out, the rollout stopped waiting: ${GATED.timeout.detail}`));
  });

  it('escapes the approver and the window reason', () => {
    const report = windowHeldRollout('<img src=x onerror=alert(1)>');
    const main = report.waves[1];
    if (main?.held?.kind === 'window') main.held.reason = '</td><script>alert(2)</script>';
    const html = stripScriptsAndStyles(renderReportPage(report, []));
    expect(html).not.toMatch(/<img|<script>alert/);
    expect(html).toContain('approved by &lt;img src=x onerror=alert(1)&gt; at 2026-11-25 12:10 UTC');
    expect(html).toContain('held by a change window: &lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });
});

describe('renderReportPage: the pruner effect per cluster (issue 13 item 6)', () => {
  const prunes = { prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' };
  const warned = { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed)', warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}` };
  const report = driftReport('2026-11-25T12:00:00.000Z', [cluster('bm-1', 'in-sync', { pruner: warned }), cluster('prod-1', 'in-sync', { pruner: prunes }), cluster('old-1', 'in-sync')]);
  const html = renderReportPage(report, []);
  /** One cluster's details panel, as served. */
  const panel = (name: string): string => new RegExp(`<details id="c\\d+" class="cd[^"]*"><summary>(?:(?!</details>).)*?<span class="nm">${name}</span>.*?</details>`).exec(html)?.[0] ?? '';

  it('each panel says whether the pruner frees registry storage: the plan table\'s words where it does, the whole line where it does not', () => {
    expect(panel('prod-1')).toContain('<dt>Image pruner</dt><dd>prunes the registry</dd>');
    const unmanaged = { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty and stays empty while the registry is Unmanaged' };
    const other = renderReportPage(driftReport('2026-11-25T12:00:00.000Z', [cluster('um-1', 'in-sync', { pruner: unmanaged })]), []);
    expect(other).toContain(`<dt>Image pruner</dt><dd>${escapeHtml(describePrunerLine(unmanaged))}</dd>`);
    expect(panel('old-1')).toContain('<span class="nm">old-1</span>');
    expect(panel('old-1')).not.toContain('Image pruner');
  });

  it('a pruner Git schedules for a Removed registry is a warning: in the summary, in bold in the panel, counted in the scan facts', () => {
    expect(panel('bm-1')).toContain('PRUNER WARNING</span></summary>');
    expect(panel('bm-1')).toContain(`<dt>Image pruner</dt><dd><strong>${escapeHtml(describePrunerLine(warned))}</strong></dd>`);
    expect(panel('prod-1')).not.toContain('PRUNER WARNING');
    expect(html).toContain('<dt>Pruner warnings</dt><dd>1 cluster</dd>');
    expect(renderReportPage(driftReport('2026-11-25T12:00:00.000Z', [cluster('prod-1', 'in-sync', { pruner: prunes })]), [])).not.toContain('Pruner warnings');
  });
});

describe('renderReportPage and secrets', () => {
  const digest = (char: string): string => `sha256:${char.repeat(64)}`;
  const secretDrift = (before: string, after: string): ClusterDrift =>
    cluster('s-1', 'drifted', {
      resources: [
        {
          target: { type: 'object', ref: { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' } },
          changes: [{ path: 'data.REGISTRY_STORAGE_S3_SECRETKEY', op: 'change', before, after }],
        },
        {
          target: { type: 'object', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' } },
          changes: [{ path: 'spec.httpSecret', op: 'change', before: 'live-http-secret-value', after: digest('e') }],
        },
      ],
    });

  it('shortens digests and never prints the full digest', () => {
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', [secretDrift(digest('a'), digest('b'))]), []);
    expect(html).toContain(`sha256:${'a'.repeat(12)}\u2026`);
    expect(html).toContain(`sha256:${'b'.repeat(12)}\u2026`);
    expect(html).not.toContain(digest('a'));
    expect(html).not.toContain(digest('b'));
  });

  it('withholds secret values that are not digests, should a report ever carry one', () => {
    const html = renderReportPage(driftReport('2026-11-20T00:00:00.000Z', [secretDrift('AKIAleakedvalue', digest('c'))]), []);
    expect(html).not.toContain('AKIAleakedvalue');
    expect(html).not.toContain('live-http-secret-value');
    expect(html).toContain('(withheld: not a digest)');
  });
});

describe('renderReportPage page weight', () => {
  it('stays under 1 MB for 1,000 clusters with a quarter of them drifted, degraded or unreachable', () => {
    const scans = generateDriftScans({ clusters: 1000, scans: 30 });
    const html = renderReportPage(scans[29] as DriftReport, scans.slice(0, 29));
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(1_000_000);
  });
});
