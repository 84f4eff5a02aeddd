import { describe, expect, it } from 'vitest';
import { buildPlanReport } from '../../../../functions/core/build-plan-report.ts';
import { renderPlanMarkdown } from '../../../../functions/core/report/plan-markdown.ts';
import { samplePlanReport, secretDigest } from '../support/sample-reports.ts';

describe('renderPlanMarkdown', () => {
  const markdown = renderPlanMarkdown(samplePlanReport());

  it('opens with the totals and a row per cluster, in name order', () => {
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('### regops plan for `4b825dc642cb`');
    expect(lines).toContain('**3 clusters**, 1 with changes, 1 with errors: 1 to add, 2 to change, 0 to prune.');
    const rows = lines.filter((line) => line.startsWith('| `'));
    expect(rows).toEqual([
      '| `bm-1` | 0 | 0 | 0 | 0 | 0 | error: cluster.unreachable |',
      '| `lab-1` | 0 | 0 | 0 | 1 | 0 | in sync |',
      '| `prod-eu-1` | 1 | 2 | 0 | 0 | 0 | changes |',
    ]);
  });

  it('puts each cluster with changes or errors in a collapsible section with a diff block', () => {
    expect(markdown).toContain('<details>\n<summary><code>prod-eu-1</code>: Plan: 1 to add, 2 to change, 0 to prune.</summary>');
    expect(markdown).toContain('```diff\n--- live/Secret/openshift-image-registry/image-registry-private-configuration-user');
    expect(markdown).toContain('-spec.replicas: 2\n+spec.replicas: 3\n```');
    expect(markdown).toContain('<summary><code>bm-1</code>: could not plan: cluster bm-1: connect ECONNREFUSED 10.0.0.1:6443</summary>');
    expect(markdown).not.toContain('<summary><code>lab-1</code>');
    expect(markdown.match(/<details>/g)).toHaveLength(2);
    expect(markdown.match(/<\/details>/g)).toHaveLength(2);
  });

  it('never prints a full secret digest', () => {
    expect(markdown).not.toContain(secretDigest);
    expect(markdown).toContain(`sha256:${secretDigest.slice(7, 19)}…`);
  });

  it('escapes Markdown in values from clusters and Git', () => {
    const report = buildPlanReport('abc', '2026-11-25T12:00:00.000Z', [
      { cluster: 'x', entries: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, diagnostics: [], error: { code: 'cluster.forbidden', message: 'a | b <script>' } },
    ]);
    const out = renderPlanMarkdown(report);
    expect(out).toContain('a \\| b &lt;script&gt;');
    expect(out).not.toContain('<script>');
  });

  it('lists plan diagnostics in a table with where and what to do', () => {
    const report = buildPlanReport('abc', 't', [
      {
        cluster: 'x', entries: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 1 },
        diagnostics: [{ code: 'plan.destructive-remove', severity: 'error', file: 'clusters/x/registry.yaml', line: 4, col: 3, message: 'managementState changes to Removed', hint: 'add regops.io/allow: remove' }],
      },
    ]);
    expect(renderPlanMarkdown(report)).toContain('| error | `plan.destructive-remove` | `clusters/x/registry.yaml:4:3` | managementState changes to Removed | add regops.io/allow: remove |');
  });

  it('adds a Pruner column and a details line when the plan says what the pruner does (issue 13.6)', () => {
    const sample = samplePlanReport();
    const clusters = sample.clusters.map((plan) => (plan.cluster === 'prod-eu-1' ? { ...plan, pruner: { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed)' } } : plan));
    const text = renderPlanMarkdown({ ...sample, clusters });
    expect(text.split('\n').filter((line) => line.startsWith('| `'))).toEqual([
      '| `bm-1` | 0 | 0 | 0 | 0 | 0 | error: cluster.unreachable |  |',
      '| `lab-1` | 0 | 0 | 0 | 1 | 0 | in sync |  |',
      '| `prod-eu-1` | 1 | 2 | 0 | 0 | 0 | changes | will not prune the registry |',
    ]);
    expect(text).toContain('- pruner will not prune the registry: images.config status.internalRegistryHostname is empty (registry Removed)');
  });
});
