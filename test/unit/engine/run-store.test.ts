// A run's snapshot is rendered from the run store; the cache lives in the ports the caller builds
// (aws-runtime.ts keeps one per Lambda container), not in a module, so two callers never share it.
import { describe, expect, it } from 'vitest';
import { loadRun, runKeys, type RenderedRuns } from '../../../functions/engine/steps/run-store.ts';
import { InMemoryReportStore } from '../../support/in-memory-ports.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';

/** Counts reads of the snapshot key. */
class CountingReportStore extends InMemoryReportStore {
  snapshotReads = 0;
  override async get(key: string): Promise<string | undefined> {
    if (key.startsWith('runs/snapshots/')) this.snapshotReads += 1;
    return super.get(key);
  }
}

const commit = 'c0ffee'.repeat(6) + 'c0ff';

async function storeWithSnapshot(): Promise<CountingReportStore> {
  const reports = new CountingReportStore();
  await reports.put(runKeys.snapshot(commit), JSON.stringify({ ...loadSnapshot('config', ''), commit }), 'application/json');
  return reports;
}

describe('loadRun', () => {
  it('renders the snapshot once per cache: later invocations with the same renderedRuns read nothing', async () => {
    const reports = await storeWithSnapshot();
    const renderedRuns: RenderedRuns = new Map();
    const first = await loadRun({ reports, renderedRuns }, commit);
    const second = await loadRun({ reports, renderedRuns }, commit);
    expect(second).toBe(first);
    expect(reports.snapshotReads).toBe(1);
    expect([...first.fleet.keys()].sort()).toEqual(['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1']);
  });

  it('without a cache each call reads the store again, and separate caches share nothing', async () => {
    const reports = await storeWithSnapshot();
    await loadRun({ reports }, commit);
    await loadRun({ reports }, commit);
    await loadRun({ reports, renderedRuns: new Map() }, commit);
    expect(reports.snapshotReads).toBe(3);
  });

  it('a run with no snapshot fails with run.no-snapshot and is not cached: the next call reads again', async () => {
    const reports = new CountingReportStore();
    const renderedRuns: RenderedRuns = new Map();
    await expect(loadRun({ reports, renderedRuns }, commit)).rejects.toMatchObject({ code: 'run.no-snapshot' });
    await reports.put(runKeys.snapshot(commit), JSON.stringify({ ...loadSnapshot('config', ''), commit }), 'application/json');
    await expect(loadRun({ reports, renderedRuns }, commit)).resolves.toMatchObject({ fleet: expect.any(Map) });
    expect(reports.snapshotReads).toBe(2);
  });
});
