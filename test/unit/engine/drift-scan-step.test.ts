/** driftScanStep with in-memory ports: the report it answers is the one stored under the key it answers. */
import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../../../functions/core/model.ts';
import { driftScanStep } from '../../../functions/engine/steps/drift-scan-step.ts';
import { planWavesStep } from '../../../functions/engine/steps/plan-waves-step.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemoryReportStore, InMemorySecretSource } from '../../support/in-memory-ports.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';

describe('driftScanStep', () => {
  it('publishes the scan and answers its dated history key, which holds that same report', async () => {
    const commit = 'd1f7'.repeat(10);
    const clock = new FakeClock(Date.parse('2026-11-25T12:00:00Z'));
    const connector = new InMemoryConnector(clock);
    for (const name of ['aws-canary-1', 'aws-main-1', 'lab-bm-1', 'edge-vs-1', 'prod-eu-1', 'prod-us-1']) connector.add(name);
    const reports = new InMemoryReportStore();
    const snapshot = { ...loadSnapshot('config', ''), commit };
    const ports = { config: { load: () => Promise.resolve(snapshot) }, connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, reports };
    await planWavesStep(ports, { kind: 'drift', commit, expectedWaves: ['canary', 'main', 'prod'] }, { maxClusters: 100 });

    const { report, reportKey } = await driftScanStep(ports, { commit }, { concurrency: 2 });

    expect(report.clusters.map((c) => c.cluster)).toEqual(['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1']);
    expect(reportKey).toBe(`history/drift/2026/11/25/${report.generatedAt}.json`);
    expect(JSON.parse((await reports.get(reportKey)) ?? 'null') as DriftReport).toEqual(report);
    expect(await reports.get('latest/drift.json')).toBe(await reports.get(reportKey));
  });
});
