import { describe, expect, it } from 'vitest';
import { renderRolloutMarkdown } from '../../../../functions/core/report/rollout-markdown.ts';
import { renderRolloutText } from '../../../../functions/core/report/rollout-text.ts';
import { sampleRolloutReport } from '../support/sample-reports.ts';
import { escapeMarkdown } from '../../../../functions/core/report/markdown-text.ts';
import { GATED, approvalTimedOutRollout, approvedThenWindowHeldRollout, awaitingApprovalRollout, windowHeldRollout } from '../../../fixtures/reports/gated-rollout-reports.ts';

describe('renderRolloutText', () => {
  const text = renderRolloutText(sampleRolloutReport());
  const lines = text.split('\n');

  it('the outcome and where it halted first', () => {
    expect(lines[0]).toBe('regops rollout: commit 4b825dc642cb, generated 2026-11-25T12:00:00.000Z, took 65.0 s: failed');
    expect(lines[1]).toBe('Halted at wave main: 1 cluster failed, more than maxFailures 0');
  });

  it('per wave its status and limits, per cluster the outcome, the failed step and why', () => {
    expect(lines).toContain('Wave canary: succeeded (1 cluster, maxConcurrency 1, maxFailures 0)');
    expect(lines).toContain('Wave main: failed (2 clusters, maxConcurrency 2, maxFailures 0)');
    expect(lines).toContain('  prod-eu-1  failed at health-gate: cluster.degraded: cluster prod-eu-1: image-registry Degraded: ProgressDeadlineExceeded');
    expect(lines).toContain('    clusteroperator/image-registry Degraded=True ProgressDeadlineExceeded: Registry deployment has timed out progressing');
    expect(lines).toContain('Wave rest: not-started (1 cluster, maxConcurrency 5, maxFailures 1)');
    expect(lines).toContain('  edge-1   not-started');
  });

  it('a multi-line operator message stays on one line', () => {
    const report = sampleRolloutReport();
    report.waves[1]?.clusters[0]?.conditions.push({ object: 'clusteroperator/image-registry', type: 'Progressing', status: 'True', reason: 'Error', message: 'Progressing: Unable to apply resources\nNodeCADaemonProgressing: deployed\n' });
    expect(renderRolloutText(report).split('\n')).toContain('    clusteroperator/image-registry Progressing=True Error: Progressing: Unable to apply resources; NodeCADaemonProgressing: deployed');
  });

  it('ends a halted rollout with how to resume it, and a finished one without', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('Fix the cause above, then resume with: regops rollout --from-wave main');
    const done = sampleRolloutReport();
    delete done.halted;
    expect(renderRolloutText(done)).not.toContain('resume');
    expect(renderRolloutMarkdown(sampleRolloutReport())).toContain('Fix the cause, then resume with `regops rollout --from-wave main`.');
    expect(renderRolloutMarkdown(done)).not.toContain('resume');
  });

  it('changes another writer made during the apply', () => {
    expect(lines).toContain('    changed by another writer: Config/cluster spec.replicas 4 → 3');
  });

  it('colour only when asked', () => {
    expect(text).not.toContain('\x1b[');
    expect(renderRolloutText(sampleRolloutReport(), { color: true }).replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });
});

describe('renderRolloutMarkdown', () => {
  const markdown = renderRolloutMarkdown(sampleRolloutReport());
  it('the halt, a table per wave, the failed step and reason', () => {
    expect(markdown).toContain('**Halted at wave `main`**: 1 cluster failed, more than maxFailures 0');
    expect(markdown).toContain('#### Wave `main`: failed');
    expect(markdown).toContain('| `prod-eu-1` | failed | health-gate | failed at health-gate: cluster.degraded: cluster prod-eu-1: image-registry Degraded: ProgressDeadlineExceeded<br>changed by another writer: Config/cluster spec.replicas 4 → 3 |');
    expect(markdown).toContain('| `edge-1` | not-started |  | not-started |');
  });
});

describe('failed clusters and gated unchanged ones (issue #10 items 1 and 2)', () => {
  function toleratedFailure() {
    const report = sampleRolloutReport();
    delete report.halted;
    const rest = report.waves[2];
    if (rest === undefined) throw new Error('sample report has three waves');
    rest.status = 'failed';
    rest.clusters = [{ cluster: 'edge-1', outcome: 'failed', step: 'connect', error: { code: 'cluster.unreachable', message: 'cluster edge-1: connect ECONNRESET' }, changes: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, conditions: [] }];
    return report;
  }

  it('names every failed cluster and its step in the summary, also failures a wave tolerated', () => {
    const text = renderRolloutText(toleratedFailure());
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 clusters failed: prod-eu-1 at health-gate, edge-1 at connect.');
    expect(renderRolloutMarkdown(toleratedFailure())).toContain('**2 clusters failed: prod-eu-1 at health-gate, edge-1 at connect**');
    const done = sampleRolloutReport();
    delete done.halted;
    done.waves = done.waves.filter((w) => w.status !== 'failed');
    expect(renderRolloutText(done)).not.toContain('failed:');
  });

  it('an unchanged cluster that waited at the health gate says so', () => {
    const report = sampleRolloutReport();
    report.waves[0]?.clusters.push(
      { cluster: 'gated-1', outcome: 'unchanged', healthGate: { waitedMs: 2_900 }, changes: { create: 0, update: 0, prune: 0, unchanged: 5, skipped: 0 }, conditions: [] },
      { cluster: 'gated-2', outcome: 'unchanged', healthGate: { waitedMs: 0 }, changes: { create: 0, update: 0, prune: 0, unchanged: 5, skipped: 0 }, conditions: [] },
    );
    const text = renderRolloutText(report);
    expect(text).toMatch(/^ {2}gated-1 +unchanged: health gate passed after 2\.9 s$/m);
    expect(text).toMatch(/^ {2}gated-2 +unchanged: health gate passed$/m);
  });
});

describe('approvals and change windows in the text and Markdown reports (issue 13)', () => {
  it('an approved wave names who approved it and when (UTC), a window-held wave the window and when it may start', () => {
    const report = windowHeldRollout();
    const text = renderRolloutText(report).split('\n');
    expect(text).toContain('Wave canary: succeeded (1 cluster, maxConcurrency 1, maxFailures 0), approved by alice at 2026-11-25 12:10 UTC');
    const held = `held by a change window: ${GATED.window.reason}; the wave may start at 2026-11-25 17:00 UTC`;
    expect(text).toContain(`Wave main: not-started (2 clusters, maxConcurrency 2, maxFailures 0), ${held}`);
    expect(text).toContain(`Halted at wave main: ${held}`);
    const markdown = renderRolloutMarkdown(report);
    expect(markdown).toContain('maxConcurrency 1, maxFailures 0, 1 cluster, approved by alice at 2026-11-25 12:10 UTC');
    expect(markdown).toContain(`maxConcurrency 2, maxFailures 0, 2 clusters, ${escapeMarkdown(held)}`);
  });

  it('a wave approved and then held by its change window names both: who approved it and when, then the window', () => {
    const report = approvedThenWindowHeldRollout();
    const gate = `approved by bob at 2026-11-25 12:14 UTC, then held by a change window: ${GATED.window.reason}; the wave may start at 2026-11-25 17:00 UTC`;
    expect(renderRolloutText(report).split('\n')).toContain(`Wave main: not-started (2 clusters, maxConcurrency 2, maxFailures 0), ${gate}`);
    expect(renderRolloutMarkdown(report)).toContain(`maxConcurrency 2, maxFailures 0, 2 clusters, ${escapeMarkdown(gate)}`);
  });

  it('a timed-out approval says the rollout stopped waiting; a wave awaiting approval says what to run', () => {
    const timedOut = `approval timed out, the rollout stopped waiting: ${GATED.timeout.detail}`;
    expect(renderRolloutText(approvalTimedOutRollout()).split('\n')).toContain(`Wave main: not-started (2 clusters, maxConcurrency 2, maxFailures 0), ${timedOut}`);
    expect(renderRolloutMarkdown(approvalTimedOutRollout())).toContain(`**Halted at wave \`main\`**: ${escapeMarkdown(timedOut)}`);
    expect(renderRolloutText(awaitingApprovalRollout())).toContain('Wave canary: not-started (1 cluster, maxConcurrency 1, maxFailures 0), wave canary needs approval (approval: required); after review run: regops rollout --approve canary --from-wave canary');
  });

  it('a wave nothing gated says nothing about approvals or windows', () => {
    expect(renderRolloutText(windowHeldRollout())).not.toMatch(/Wave edge:.*(approv|window)/);
    expect(renderRolloutText(sampleRolloutReport())).not.toMatch(/approv|window/);
  });
});
