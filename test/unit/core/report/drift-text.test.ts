import { describe, expect, it } from 'vitest';
import { renderDriftMarkdown } from '../../../../functions/core/report/drift-markdown.ts';
import { renderDriftText } from '../../../../functions/core/report/drift-text.ts';
import { sampleDriftReport, secretDigest } from '../support/sample-reports.ts';
import type { DriftReport, PrunerEffect } from '../../../../functions/core/model.ts';
import { PRUNER_REGISTRY_REMOVED } from '../../../../functions/core/describe-pruner-effect.ts';
import { describePrunerLine } from '../../../../functions/core/report/describe-pruner-line.ts';
import { escapeMarkdown } from '../../../../functions/core/report/markdown-text.ts';

describe('renderDriftText', () => {
  const text = renderDriftText(sampleDriftReport());
  const lines = text.split('\n');

  it('one line per cluster with its state, policy and wave', () => {
    expect(lines).toContain('bm-1       unreachable  inform');
    expect(lines).toContain('prod-eu-1  drifted      enforce  wave main  applied 4b825dc642cb');
    expect(lines).toContain('prod-us-1  in-sync      inform');
  });

  it('each drifted field with Git value and live value; removals say so', () => {
    expect(lines).toContain('  Config/cluster spec.replicas: git 3, live 2');
    expect(lines).toContain('  Config/cluster spec.readOnly: git (not in Git: regops removes it), live true');
  });

  it('the degraded reason, the error and the correction outcome', () => {
    expect(lines).toContain('  clusteroperator/image-registry Degraded=True ImagePrunerJobFailed: Job has reached the specified backoff limit');
    expect(lines).toContain('  error: cluster.unreachable: cluster bm-1: connect ECONNREFUSED');
    expect(lines).toContain('  corrected (policy enforce): succeeded');
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 clusters: 1 in sync, 1 drifted (3 fields), 1 unreachable, 0 unmanaged, 1 degraded; 1 corrected.');
  });

  it('digests only, shortened; colour only when asked', () => {
    expect(text).not.toContain(secretDigest);
    expect(text).not.toContain('\x1b[');
    expect(renderDriftText(sampleDriftReport(), { color: true })).toContain('\x1b[33mdrifted    \x1b[0m');
  });
});

describe('renderDriftText columns and counts', () => {
  it('lines up policy, wave and applied commit across inform/enforce and wave names of different lengths', () => {
    const report = sampleDriftReport();
    const informed = report.clusters.find((c) => c.cluster === 'prod-us-1');
    if (informed === undefined) throw new Error('sample changed: no prod-us-1');
    Object.assign(informed, { wave: 'canary', appliedCommit: '4b825dc642cb9a0e' });
    const lines = renderDriftText(report).split('\n');
    expect(lines).toContain('prod-eu-1  drifted      enforce  wave main    applied 4b825dc642cb');
    expect(lines).toContain('prod-us-1  in-sync      inform   wave canary  applied 4b825dc642cb');
    expect(lines).toContain('bm-1       unreachable  inform');
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });

  it.each([
    { clusters: 1, fields: 1, text: '1 cluster: 0 in sync, 1 drifted (1 field)', markdown: '**1 cluster**: 0 in sync, 1 drifted (1 field)' },
    { clusters: 2, fields: 2, text: '2 clusters: 0 in sync, 1 drifted (2 fields)', markdown: '**2 clusters**: 0 in sync, 1 drifted (2 fields)' },
  ])('says $clusters cluster(s) and $fields field(s) in good grammar', ({ clusters, fields, text, markdown }) => {
    const report = sampleDriftReport();
    report.summary = { 'in-sync': 0, drifted: 1, unreachable: 0, unmanaged: 0, degraded: 0, clusters, driftedFields: fields, corrected: 0 };
    expect(renderDriftText(report)).toContain(text);
    expect(renderDriftMarkdown(report)).toContain(markdown);
  });
});

describe('renderDriftMarkdown', () => {
  const markdown = renderDriftMarkdown(sampleDriftReport());

  it('a row per cluster and a section per cluster not in sync', () => {
    expect(markdown).toContain('| `prod-eu-1` | drifted | enforce | main | 3 fields; correction succeeded |');
    expect(markdown).toContain('| `lab-1` | degraded | inform |  | ImagePrunerJobFailed: Job has reached the specified backoff limit |');
    expect(markdown.match(/<details>/g)).toHaveLength(3);
    expect(markdown).not.toContain('<summary><code>prod-us-1</code>');
  });

  it('conditions only where they say something: degraded clusters, not a healthy drifted one', () => {
    expect(markdown).toContain('| clusteroperator/image-registry | Degraded | True | ImagePrunerJobFailed | Job has reached the specified backoff limit |');
    const report = sampleDriftReport();
    const drifted = report.clusters.find((c) => c.state === 'drifted');
    drifted?.conditions.push({ object: 'clusteroperator/image-registry', type: 'Available', status: 'True', reason: 'Ready', message: 'Available: The registry is ready\nNodeCADaemonAvailable: ok' });
    const healthy = renderDriftMarkdown(report);
    expect(healthy).not.toContain('NodeCADaemonAvailable');
    drifted?.conditions.push({ object: 'clusteroperator/image-registry', type: 'Progressing', status: 'True', reason: 'Error', message: 'Progressing: Unable to apply resources' });
    expect(renderDriftMarkdown(report)).toContain('| Available | True | Ready | Available: The registry is ready<br>NodeCADaemonAvailable: ok |');
  });

  it('drifted fields as Git value vs live value', () => {
    expect(markdown).toContain('| `Config/cluster` | `spec.replicas` | `3` | `2` |');
    expect(markdown).toContain(`| \`"sha256:${secretDigest.slice(7, 19)}…"\` |`);
    expect(markdown).not.toContain(secretDigest);
  });
});

describe('a cluster whose plan has errors (issue #10 item 10)', () => {
  function withPlanError() {
    const report = sampleDriftReport();
    const target = report.clusters.find((c) => c.state === 'in-sync');
    if (target === undefined) throw new Error('sample report has an in-sync cluster');
    target.state = 'error';
    target.error = { code: 'plan.refused', message: `cluster ${target.cluster}: plan has 1 error, nothing of it would be applied: plan.destructive-remove: Removed empties the bucket`, step: 'plan' };
    report.summary['in-sync'] -= 1;
    report.summary.error = 1;
    return { report, name: target.cluster };
  }

  it('text: the state error, the reason, and the count in the summary', () => {
    const { report, name } = withPlanError();
    const text = renderDriftText(report);
    expect(text).toMatch(new RegExp(`^${name} +error +inform`, 'm'));
    expect(text).toContain(`  error: plan.refused: cluster ${name}: plan has 1 error, nothing of it would be applied: plan.destructive-remove: Removed empties the bucket`);
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 clusters: 0 in sync, 1 drifted (3 fields), 1 unreachable, 0 unmanaged, 1 degraded, 1 with plan errors; 1 corrected.');
  });

  it('Markdown: a table row and a details section with the reason', () => {
    const { report, name } = withPlanError();
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain(`| \`${name}\` | error | inform |`);
    expect(markdown).toContain(`<summary><code>${name}</code>: error</summary>`);
    expect(markdown).toContain('1 with plan errors');
  });
});

describe('the pruner effect in the drift reports (issue 13 item 6)', () => {
  const warned: PrunerEffect = { prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed)', warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}` };
  function withPruners(): DriftReport {
    const report = sampleDriftReport();
    for (const cluster of report.clusters) cluster.pruner = { prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' };
    const inSync = report.clusters.find((c) => c.cluster === 'prod-us-1');
    if (inSync !== undefined) inSync.pruner = warned;
    return report;
  }
  const line = describePrunerLine(warned);

  it('text: the warning under its cluster, in the plan\'s words; a pruner that prunes adds no line', () => {
    const lines = renderDriftText(withPruners()).split('\n');
    const at = lines.indexOf('prod-us-1  in-sync      inform');
    expect(lines[at + 1]).toBe(`  ${line}`);
    expect(line).toMatch(/^pruner will not prune the registry: .*; WARNING: the pruner is scheduled but the registry is Removed/);
    expect(lines.filter((l) => l.includes('pruner'))).toEqual([`  ${line}`]);
  });

  it('Markdown: the cluster\'s note says so, and its section (an in-sync cluster gets one for it) carries the line', () => {
    const markdown = renderDriftMarkdown(withPruners());
    expect(markdown).toMatch(/\| `prod-us-1` \| in-sync \| inform \| {2}\| pruner warning \|/);
    expect(markdown).toContain(`<summary><code>prod-us-1</code>: in-sync</summary>\n\n**${escapeMarkdown(line)}**\n`);
    expect(renderDriftMarkdown(sampleDriftReport())).not.toContain('prod-us-1</code>');
  });
});
