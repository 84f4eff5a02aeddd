import { describe, expect, it } from 'vitest';
import type { WavePlan } from '../../../functions/core/model.ts';
import { runRollout } from '../../../functions/engine/rollout.ts';
import { desiredRegistry, entryFor } from '../../support/desired-fixtures.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemorySecretSource, RecordingProgress, configRef } from '../../support/in-memory-ports.ts';

const plan: WavePlan = {
  waves: [
    { name: 'canary', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 300, clusters: ['canary-1'] },
    { name: 'main', maxConcurrency: 2, maxFailures: 1, bakeSeconds: 60, clusters: ['main-1', 'main-2', 'main-3', 'main-4'] },
    { name: 'last', maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0, clusters: ['last-1'] },
  ],
  unassigned: [],
};
const names = plan.waves.flatMap((w) => w.clusters);

function setup() {
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  for (const name of names) connector.add(name);
  const progress = new RecordingProgress();
  const ports = { connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, progress };
  const clusters = new Map(names.map((n) => [n, { desired: desiredRegistry(n, { replicas: 3 }), entry: entryFor(n) }]));
  return { clock, connector, progress, ports, clusters };
}
const reconcile = { healthGate: { timeoutMs: 60_000, pollMs: 1_000 } };
const outcomes = (report: Awaited<ReturnType<typeof runRollout>>) => report.waves.map((w) => [w.name, w.status, w.clusters.map((c) => c.outcome).join(',')]);

describe('runRollout', () => {
  it('runs the waves in order with bake time between them', async () => {
    const t = setup();
    const report = await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile });
    expect(report).toMatchObject({ apiVersion: 'regops/v1', kind: 'RolloutReport', status: 'succeeded', commit: 'c1' });
    expect(outcomes(report)).toEqual([
      ['canary', 'succeeded', 'succeeded'],
      ['main', 'succeeded', 'succeeded,succeeded,succeeded,succeeded'],
      ['last', 'succeeded', 'succeeded'],
    ]);
    expect(t.clock.sleeps).toContain(300_000);
    expect(t.clock.sleeps).toContain(60_000);
    const healthy = t.progress.events.filter((e) => e.phase === 'healthy' && e.message === undefined).map((e) => e.cluster);
    expect(healthy[0]).toBe('canary-1');
    expect(healthy.at(-1)).toBe('last-1');
  });

  it('keeps at most maxConcurrency clusters of a wave in flight', async () => {
    const t = setup();
    let inFlight = 0;
    let peak = 0;
    for (const name of ['main-1', 'main-2', 'main-3', 'main-4']) {
      const cluster = t.connector.get(name);
      const make = cluster.client.bind(cluster);
      cluster.client = () => {
        const inner = make();
        return { ...inner, get: async (ref) => { inFlight += 1; peak = Math.max(peak, inFlight); await new Promise((r) => setImmediate(r)); inFlight -= 1; return inner.get(ref); } };
      };
    }
    await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile });
    expect(peak).toBe(2);
  });

  it('halts at a degraded canary: later waves are not started and the report says where and why', async () => {
    const t = setup();
    t.connector.get('canary-1').operator = { mode: 'degraded', reason: 'Unavailable', message: 'The deployment does not have available replicas' };
    const report = await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile });
    expect(report.status).toBe('failed');
    expect(outcomes(report)).toEqual([
      ['canary', 'failed', 'failed'],
      ['main', 'not-started', 'not-started,not-started,not-started,not-started'],
      ['last', 'not-started', 'not-started'],
    ]);
    expect(report.halted).toEqual({ wave: 'canary', reason: expect.stringMatching(/^1 of 1 clusters failed \(maxFailures 0\): canary-1 failed at health-gate: .*Degraded=True Unavailable/) });
    expect(report.waves[0]?.clusters[0]).toMatchObject({ step: 'health-gate', error: { code: 'cluster.degraded' } });
    expect((t.connector.get('main-1').read(configRef)?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(t.connector.get('main-1').requestCount).toEqual({ reads: 0, writes: 0 });
  });

  it('tolerates failures up to maxFailures; one more fails the wave and stops starting its clusters', async () => {
    const t = setup();
    t.connector.get('main-1').unreachable = true;
    const tolerated = await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile: { ...reconcile, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } });
    // within maxFailures the rollout goes on to the last wave, yet a failed cluster fails the
    // wave and the rollout (exit 1): only `halted` is absent
    expect(outcomes(tolerated)[1]).toEqual(['main', 'failed', 'failed,succeeded,succeeded,succeeded']);
    expect(outcomes(tolerated)[2]).toEqual(['last', 'succeeded', 'succeeded']);
    expect(tolerated.status).toBe('failed');
    expect(tolerated.halted).toBeUndefined();

    const u = setup();
    u.connector.get('main-1').unreachable = true;
    u.connector.get('main-2').unreachable = true;
    const failed = await runRollout(u.ports, { commit: 'c1', plan, clusters: u.clusters, reconcile: { ...reconcile, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } });
    expect(outcomes(failed)[1]).toEqual(['main', 'failed', 'failed,failed,not-started,not-started']);
    expect(failed.halted?.wave).toBe('main');
    expect(outcomes(failed)[2]).toEqual(['last', 'not-started', 'not-started']);
  });

  it('resumes from a wave: earlier waves are skipped and untouched', async () => {
    const t = setup();
    const report = await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, fromWave: 'main', reconcile });
    expect(outcomes(report)).toEqual([
      ['canary', 'skipped', 'skipped'],
      ['main', 'succeeded', 'succeeded,succeeded,succeeded,succeeded'],
      ['last', 'succeeded', 'succeeded'],
    ]);
    expect(t.connector.get('canary-1').requestCount).toEqual({ reads: 0, writes: 0 });
    await expect(runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, fromWave: 'nope', reconcile })).rejects.toMatchObject({ code: 'selection.invalid' });
  });

  it('does not bake after a wave that changed nothing, and honours a bake override', async () => {
    const t = setup();
    await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile, bakeSeconds: 2 });
    expect(t.clock.sleeps.filter((s) => s === 2_000).length).toBeGreaterThanOrEqual(2);
    const sleepsBefore = t.clock.sleeps.length;
    const again = await runRollout(t.ports, { commit: 'c1', plan, clusters: t.clusters, reconcile });
    expect(again.waves.flatMap((w) => w.clusters.map((c) => c.outcome)).every((o) => o === 'unchanged')).toBe(true);
    expect(t.clock.sleeps.length).toBe(sleepsBefore);
    expect(t.connector.totals().writes).toBe(names.length * 2);
  });
});
