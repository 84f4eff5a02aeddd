/**
 * The drift workflow's steps with in-memory ports and a state store in a temporary folder, as the
 * state machine runs them: Load branch head stores the clusters and takes the fleet lease, one
 * driftScanStep per cluster (a child execution each) stores its result at once, Publish drift
 * assembles the report from those results, publishes it and gives the lease back. A cluster with no
 * stored result (its child failed or timed out, or the Map stopped first) is reported as an error.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsStateStore } from '../../../functions/adapters/local-fs/fs-state-store.ts';
import type { DriftReport } from '../../../functions/core/model.ts';
import { publishStep } from '../../../functions/engine/publish-step.ts';
import { driftScanStep } from '../../../functions/engine/steps/drift-scan-step.ts';
import { planWavesStep, type DriftItem } from '../../../functions/engine/steps/plan-waves-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { takeWorkflowLease } from '../../../functions/engine/workflow-lease.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemoryReportStore, InMemorySecretSource } from '../../support/in-memory-ports.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { silentPublisher } from '../../support/silent-publisher.ts';

const publisher = silentPublisher;

async function setup() {
  const commit = 'd1f7'.repeat(10);
  const clock = new FakeClock(Date.parse('2026-11-25T12:00:00Z'));
  const connector = new InMemoryConnector(clock);
  for (const name of ['aws-canary-1', 'aws-main-1', 'lab-bm-1', 'edge-vs-1', 'prod-eu-1', 'prod-us-1']) connector.add(name);
  const reports = new InMemoryReportStore();
  const snapshot = { ...loadSnapshot('config', ''), commit };
  const state = new FsStateStore(await mkdtemp(join(tmpdir(), 'regops-drift-step-')));
  const ports = { config: { load: () => Promise.resolve(snapshot) }, connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, reports, state, approvals: new StoredApprovalRecords(reports) };
  return { commit, clock, reports, ports, startedAt: clock.now().toISOString() };
}

describe('drift workflow steps', () => {
  it('each cluster scanned by its own step and stored at once; Publish drift assembles every stored result into the published report', async () => {
    const t = await setup();
    const planned = await planWavesStep(t.ports, { kind: 'drift', expectedWaves: ['canary', 'main', 'prod'], startedAt: t.startedAt }, { maxClusters: 100 });
    const items = JSON.parse((await t.reports.get(planned.clustersKey)) ?? '[]') as DriftItem[];
    expect(items).toEqual([
      { cluster: 'aws-canary-1', wave: 'canary' }, { cluster: 'aws-main-1', wave: 'main' }, { cluster: 'edge-vs-1', wave: 'main' },
      { cluster: 'lab-bm-1', wave: 'canary' }, { cluster: 'prod-eu-1', wave: 'prod' }, { cluster: 'prod-us-1', wave: 'prod' },
    ]);
    const scan = planned.scan ?? '';
    expect(scan).toBe('20261125T120000000Z');
    for (const item of items) {
      const out = await driftScanStep(t.ports, { commit: planned.commit, scan, ...item });
      expect(out.cluster).toBe(item.cluster);
      // stored as soon as it is scanned, before any other step runs
      expect(JSON.parse((await t.reports.get(runKeys.driftResult(planned.commit, scan, item.cluster))) ?? '{}')).toMatchObject({ cluster: item.cluster, state: out.state, wave: item.wave });
    }
    const published = await publishStep(t.ports, publisher, { kind: 'drift', commit: planned.commit, scan, startedAt: t.startedAt });
    const report = JSON.parse((await t.reports.get('latest/drift.json')) ?? 'null') as DriftReport;
    expect(report.clusters.map((c) => c.cluster)).toEqual(items.map((i) => i.cluster));
    expect(report.summary.clusters).toBe(6);
    // the scan's history entry is keyed by its execution (start time and commit): a retried publish finds it
    expect(published.keys).toContain(`history/drift/2026/11/25/${t.startedAt}-${planned.commit.slice(0, 12)}.json`);
    expect(published.drift?.summary).toEqual(report.summary);
  });

  it('the scan holds the fleet lease from Load branch head to Publish drift: a rollout meanwhile is refused (lease.held), afterwards it starts', async () => {
    const t = await setup();
    const planned = await planWavesStep(t.ports, { kind: 'drift', expectedWaves: ['canary', 'main', 'prod'], startedAt: t.startedAt }, { maxClusters: 100 });
    await expect(takeWorkflowLease(t.ports, 'a'.repeat(40), '2026-11-25T12:00:01Z')).rejects.toMatchObject({ code: 'lease.held' });
    await publishStep(t.ports, publisher, { kind: 'drift', commit: planned.commit, scan: planned.scan ?? '', startedAt: t.startedAt });
    await expect(takeWorkflowLease(t.ports, 'a'.repeat(40), '2026-11-25T12:00:01Z')).resolves.toBeUndefined();
  });

  it('a cluster whose child left no result is in the report as an error naming why, with the Map failure when the scan stopped', async () => {
    const t = await setup();
    const planned = await planWavesStep(t.ports, { kind: 'drift', expectedWaves: ['canary', 'main', 'prod'], startedAt: t.startedAt }, { maxClusters: 100 });
    const scan = planned.scan ?? '';
    // two clusters scanned, then the Map failed as a whole
    for (const item of [{ cluster: 'aws-canary-1', wave: 'canary' }, { cluster: 'prod-eu-1', wave: 'prod' }]) await driftScanStep(t.ports, { commit: planned.commit, scan, ...item });
    await publishStep(t.ports, publisher, { kind: 'drift', commit: planned.commit, scan, startedAt: t.startedAt, stopped: { error: 'States.ItemReaderFailed', cause: 'throttled' } });
    const report = JSON.parse((await t.reports.get('latest/drift.json')) ?? 'null') as DriftReport;
    expect(report.clusters).toHaveLength(6);
    const lost = report.clusters.filter((c) => c.error?.code === 'drift.no-result');
    expect(lost.map((c) => [c.cluster, c.state, c.wave, c.policy])).toEqual([
      ['aws-main-1', 'error', 'main', 'inform'], ['edge-vs-1', 'error', 'main', 'inform'], ['lab-bm-1', 'error', 'canary', 'inform'], ['prod-us-1', 'error', 'prod', 'enforce'],
    ]);
    expect(lost[0]?.error?.message).toMatch(/^cluster aws-main-1: this scan stored no result for it .*the scan stopped: States\.ItemReaderFailed throttled/);
    expect(report.summary.error).toBe(4);
  });
});
