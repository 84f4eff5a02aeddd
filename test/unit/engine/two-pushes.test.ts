/**
 * "A newer commit supersedes an older one" (DESIGN.md, Fleet safety; issue 10 item 4): two quick
 * pushes A then B never end with A applied last, whichever rollout gets the fleet lease first.
 * The Step Functions steps (PlanWaves → reconcile → Publish) and the CLI's rolloutFleet run on
 * in-memory clusters with a fake clock; the lease and the release record live in a real
 * FsStateStore in a temporary folder.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsStateStore } from '../../../functions/adapters/local-fs/fs-state-store.ts';
import type { ConfigSnapshot } from '../../../functions/core/model.ts';
import { publishStep } from '../../../functions/engine/publish-step.ts';
import { readReleaseRecord } from '../../../functions/engine/release-record.ts';
import { rolloutFleet } from '../../../functions/engine/rollout-fleet.ts';
import { planWavesStep } from '../../../functions/engine/steps/plan-waves-step.ts';
import { reconcileStep, type ReconcileSettings, type ReconcileStepOutput } from '../../../functions/engine/steps/reconcile-step.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemoryReportStore, InMemorySecretSource, configRef } from '../../support/in-memory-ports.ts';
import { silentPublisher } from '../../support/silent-publisher.ts';

const fleet = `apiVersion: regops/v1
kind: Fleet
metadata:
  name: pushes
spec:
  clusters:
    - name: aws-canary-1
      labels: {wave: canary}
      connection: {context: aws-canary-1}
    - name: prod-eu-1
      labels: {wave: prod}
      connection: {context: prod-eu-1}
  waves:
    - name: canary
      selector: {wave: canary}
      maxConcurrency: 1
      maxFailures: 0
      bakeTime: 0s
    - name: prod
      selector: {wave: prod}
      maxConcurrency: 1
      maxFailures: 0
      bakeTime: 0s
  policy:
    default: enforce
`;

function snapshotAt(commit: string, logLevel: string): ConfigSnapshot {
  const registry = `apiVersion: imageregistry.operator.openshift.io/v1
kind: Config
metadata:
  name: cluster
spec:
  managementState: Managed
  logLevel: ${logLevel}
`;
  return { commit, files: [{ path: 'fleet.yaml', content: fleet }, { path: 'base/registry.yaml', content: registry }] };
}

const pushes = { A: snapshotAt('aaaa1111', 'Debug'), B: snapshotAt('bbbb2222', 'Trace') };
const startedAt = { A: '2026-12-04T01:00:00.000Z', B: '2026-12-04T01:00:05.000Z' };
const waves = ['canary', 'prod'];
const settings: ReconcileSettings = { firstLookMs: 60_000, gateTimeoutMs: 60_000, pollSeconds: 15, maxRounds: 5 };

// GitHub is not what is under test
const publisher = silentPublisher;

async function setup() {
  const clock = new FakeClock(Date.parse('2026-12-04T01:00:10Z'));
  const connector = new InMemoryConnector(clock);
  for (const name of ['aws-canary-1', 'prod-eu-1']) connector.add(name);
  const config = { load: (ref?: string) => Promise.resolve(ref === pushes.A.commit ? pushes.A : pushes.B) };
  const state = new FsStateStore(await mkdtemp(join(tmpdir(), 'regops-pushes-')));
  const reports = new InMemoryReportStore();
  const ports = { config, connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, reports, state, approvals: new StoredApprovalRecords(reports) };
  const logLevel = (cluster: string): unknown => (connector.get(cluster).read(configRef)?.['spec'] as { logLevel?: unknown } | undefined)?.logLevel;
  return { ports, logLevel };
}

type Ports = Awaited<ReturnType<typeof setup>>['ports'];

/** One execution's PlanWaves step (throws what the state machine would catch or retry). */
function planWaves(ports: Ports, push: 'A' | 'B') {
  return planWavesStep(ports, { kind: 'rollout', commit: pushes[push].commit, expectedWaves: waves, startedAt: startedAt[push] }, { maxClusters: 10 });
}

/** The rest of the execution: each wave's clusters through reconcile (polls fed back), then Publish rollout. */
async function runWavesAndPublish(ports: Ports, push: 'A' | 'B', planned: Awaited<ReturnType<typeof planWaves>>): Promise<void> {
  for (const wave of planned.waves) {
    // the wave's Distributed Map reads its clusters from the run store (ItemReader)
    for (const cluster of JSON.parse((await ports.reports.get(wave.itemsKey)) ?? '[]') as string[]) {
      let out: ReconcileStepOutput = await reconcileStep(ports, { phase: 'apply', kind: 'rollout', commit: planned.commit, cluster, wave: wave.name }, settings);
      while (out.phase === 'poll') out = await reconcileStep(ports, { ...out, phase: 'poll' }, settings);
      expect(out.outcome).toBe('succeeded');
    }
  }
  await publishStep(ports, publisher, { kind: 'rollout', commit: planned.commit, startedAt: startedAt[push], status: 'succeeded' });
}

describe('two quick pushes: the older commit is never applied last', () => {
  it('Step Functions, B planned first: A is refused as superseded (not retried), B stays released and applied', async () => {
    const { ports, logLevel } = await setup();
    await runWavesAndPublish(ports, 'B', await planWaves(ports, 'B'));
    await expect(planWaves(ports, 'A')).rejects.toMatchObject({ name: 'RolloutSupersededError', code: 'rollout.superseded', message: expect.stringContaining(`rollout ${pushes.A.commit}: superseded by ${pushes.B.commit}`) });
    await publishStep(ports, publisher, { kind: 'refused', commit: pushes.A.commit, error: 'RolloutSupersededError', cause: 'superseded', startedAt: startedAt.A });
    expect([logLevel('aws-canary-1'), logLevel('prod-eu-1')]).toEqual(['Trace', 'Trace']);
    expect((await readReleaseRecord(ports))?.record).toMatchObject({ commit: pushes.B.commit, clusters: { 'prod-eu-1': { commit: pushes.B.commit } } });
  });

  it('Step Functions, B arriving while A holds the lease: B is retried (lease.held) and applied after A; an older A arriving while B holds it is refused at once', async () => {
    const { ports, logLevel } = await setup();
    const plannedA = await planWaves(ports, 'A');
    await expect(planWaves(ports, 'B')).rejects.toMatchObject({ name: 'LeaseHeldError', code: 'lease.held' });
    await runWavesAndPublish(ports, 'A', plannedA);
    expect(logLevel('prod-eu-1')).toBe('Debug');
    // the state machine's Retry on LeaseHeldError runs B's PlanWaves again
    const plannedB = await planWaves(ports, 'B');
    await expect(planWaves(ports, 'A')).rejects.toMatchObject({ code: 'rollout.superseded', message: expect.stringContaining('superseded by the newer rollout in progress') });
    await runWavesAndPublish(ports, 'B', plannedB);
    expect([logLevel('aws-canary-1'), logLevel('prod-eu-1')]).toEqual(['Trace', 'Trace']);
    expect((await readReleaseRecord(ports))?.record.commit).toBe(pushes.B.commit);
  });

  it('CLI engine: a rollout with an older sequence than the released one is refused and changes nothing', async () => {
    const { ports, logLevel } = await setup();
    const b = await rolloutFleet(ports, { ref: pushes.B.commit, selection: { names: [], selector: {} }, sequence: 2 });
    expect(b.status).toBe('succeeded');
    const writes = ports.connector.totals().writes;
    await expect(rolloutFleet(ports, { ref: pushes.A.commit, selection: { names: [], selector: {} }, sequence: 1 })).rejects.toMatchObject({ code: 'rollout.superseded' });
    expect(ports.connector.totals().writes).toBe(writes);
    expect(logLevel('prod-eu-1')).toBe('Trace');
  });
});
