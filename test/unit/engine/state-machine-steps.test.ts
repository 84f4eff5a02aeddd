/**
 * The Step Functions steps on the engine, with in-memory ports and a fake clock: PlanWaves stores
 * the run and checks the deployed waves; reconcile hands a still-progressing health gate over to
 * polls ({phase: 'poll', waitSeconds}) and finishes on a later invocation; plan, failure and
 * halt are values the publish step can report.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterPlan, ClusterRollout, ConfigSnapshot, Diagnostic } from '../../../functions/core/model.ts';
import { assembleRolloutReport } from '../../../functions/engine/steps/assemble-rollout-report.ts';
import { planWavesStep } from '../../../functions/engine/steps/plan-waves-step.ts';
import { reconcileStep, type ReconcileSettings, type ReconcileStepInput, type ReconcileStepOutput } from '../../../functions/engine/steps/reconcile-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemoryReportStore, InMemorySecretSource, configRef } from '../../support/in-memory-ports.ts';

const snapshot: ConfigSnapshot = { ...loadSnapshot('config', ''), commit: 'c0mmit1' };
const waves = ['canary', 'main', 'prod'];

function setup(commit = `c-${Math.random().toString(16).slice(2)}`) {
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  for (const name of ['aws-canary-1', 'aws-main-1', 'prod-eu-1', 'prod-us-1']) connector.add(name);
  const reports = new InMemoryReportStore();
  const config = { load: () => Promise.resolve({ ...snapshot, commit }) };
  const ports = { config, connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, reports, approvals: new StoredApprovalRecords(reports) };
  return { clock, connector, reports, ports, commit };
}
const settings: ReconcileSettings = { firstLookMs: 0, gateTimeoutMs: 60_000, pollSeconds: 15, maxRounds: 5 };

/** What the state machine does with a poll answer: pass it back as the next input. */
function fedBack(output: ReconcileStepOutput): ReconcileStepInput {
  if (output.phase !== 'poll') throw new Error(`expected a poll answer, got ${output.phase}`);
  return { ...output, phase: 'poll' };
}

describe('planWavesStep', () => {
  it('stores the snapshot, the wave plan and each wave\'s clusters, and answers the waves of fleet.yaml with only the keys', async () => {
    const t = setup();
    const out = await planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    expect(out).toMatchObject({ commit: t.commit, valid: true, errors: 0, unassigned: 0, clusterCount: 6 });
    // the wave Maps read their clusters from the run store (ItemReader): the state holds keys, never lists
    const itemsOf = async (key: string): Promise<unknown> => JSON.parse((await t.reports.get(key)) ?? 'null') as unknown;
    expect(await Promise.all(out.waves.map(async (w) => [w.name, await itemsOf(w.itemsKey), w.clusterCount, w.maxConcurrency, w.bakeSeconds]))).toEqual([
      ['canary', ['aws-canary-1', 'lab-bm-1'], 2, 1, 30],
      ['main', ['aws-main-1', 'edge-vs-1'], 2, 2, 60],
      ['prod', ['prod-eu-1', 'prod-us-1'], 2, 1, 300],
    ]);
    expect(JSON.stringify(out)).not.toContain('aws-canary-1');
    expect(await itemsOf(out.clustersKey)).toHaveLength(6);
    expect(JSON.parse((await t.reports.get(runKeys.snapshot(t.commit))) ?? '{}')).toMatchObject({ commit: t.commit });
    expect(await t.reports.get(runKeys.wavePlan('rollout', t.commit))).toBeDefined();
  });

  it.each([
    { name: 'waves changed since the deploy', expectedWaves: ['canary', 'prod'], maxClusters: 100, code: 'rollout.waves-changed' },
    { name: 'more clusters than the stack allows', expectedWaves: waves, maxClusters: 3, code: 'fleet.too-large' },
  ])('a rollout refuses to start: $name', async ({ expectedWaves, maxClusters, code }) => {
    const t = setup();
    await expect(planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves }, { maxClusters })).rejects.toMatchObject({ code });
  });

  it('a rollout with an approval gate is planned: the state machine waits for the approval before the wave (approval-request-step.ts)', async () => {
    const t = setup();
    const files = snapshot.files.map((f) => (f.path === 'fleet.yaml' ? { ...f, content: f.content.replace(/(- name: prod\n\s+selector: \{wave: prod\}\n)/, '$1      approval: required\n') } : f));
    expect(files.find((f) => f.path === 'fleet.yaml')?.content).toContain('approval: required');
    const ports = { ...t.ports, config: { load: () => Promise.resolve({ commit: t.commit, files }) } };
    const out = await planWavesStep(ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    expect(out.waves.map((w) => [w.name, w.approval ?? 'none'])).toEqual(waves.map((w) => [w, w === 'prod' ? 'required' : 'none']));
    const stored = JSON.parse((await t.reports.get(runKeys.wavePlan('rollout', t.commit))) ?? '{}') as { waves: Array<{ name: string; approval?: string }> };
    expect(stored.waves.find((w) => w.name === 'prod')?.approval).toBe('required');
  });

  it('a rollout with change windows is planned: the state machine checks them before each wave (wave-window-step.ts)', async () => {
    const t = setup();
    const files = snapshot.files.map((f) => (f.path === 'fleet.yaml' ? { ...f, content: `${f.content}  windows:\n    - {kind: deny, schedule: "@daily", duration: 1h}\n` } : f));
    const ports = { ...t.ports, config: { load: () => Promise.resolve({ commit: t.commit, files }) } };
    const out = await planWavesStep(ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    expect(out.waves.map((w) => w.name)).toEqual(waves);
  });

  it('a rollout started by hand from a wave leaves the earlier waves empty and unbaked', async () => {
    const t = setup();
    const out = await planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves, execution: { fromWave: 'prod' } }, { maxClusters: 100 });
    expect(out.waves.map((w) => [w.name, w.clusterCount, w.bakeSeconds])).toEqual([['canary', 0, 0], ['main', 0, 0], ['prod', 2, 300]]);
    expect(JSON.parse((await t.reports.get(out.waves[0]?.itemsKey ?? '')) ?? 'null')).toEqual([]);
    const report = await assembleRolloutReport(t.ports, { commit: t.commit, startedAt: t.clock.now().toISOString() });
    expect(report.waves.map((w) => [w.name, w.status, w.clusters.map((c) => c.outcome)])).toEqual([
      ['canary', 'skipped', ['skipped', 'skipped']],
      ['main', 'skipped', ['skipped', 'skipped']],
      ['prod', 'succeeded', ['not-started', 'not-started']],
    ]);
    await expect(planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves, execution: { fromWave: 'qa' } }, { maxClusters: 100 })).rejects.toMatchObject({ code: 'select.unknown-wave' });
  });

  it('invalid config: a plan answers valid=false with the diagnostics stored, a rollout throws config.invalid', async () => {
    const t = setup();
    const broken: ConfigSnapshot = { commit: t.commit, files: snapshot.files.map((f) => (f.path === 'base/registry.yaml' ? { ...f, content: f.content.replace('managementState: Managed', 'managementState: Manged') } : f)) };
    t.ports.config = { load: () => Promise.resolve(broken) };
    const plan = await planWavesStep(t.ports, { kind: 'plan', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    expect(plan).toMatchObject({ valid: false, waves: [], clusterCount: 0 });
    expect(plan.errors).toBeGreaterThan(0);
    const diagnostics = JSON.parse((await t.reports.get(runKeys.diagnostics('plan', t.commit))) ?? '[]') as Diagnostic[];
    expect(diagnostics.some((d) => d.severity === 'error' && d.file === 'base/registry.yaml')).toBe(true);
    await expect(planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 })).rejects.toMatchObject({ code: 'config.invalid' });
  });
});

describe('reconcileStep', () => {
  async function planned() {
    const t = setup();
    await planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    return t;
  }
  const storedOutcome = async (t: Awaited<ReturnType<typeof planned>>, cluster: string) => JSON.parse((await t.reports.get(runKeys.cluster('rollout', t.commit, cluster))) ?? '{}') as ClusterRollout;

  it('apply hands a progressing health gate to the state machine, a later poll finishes it', async () => {
    const t = await planned();
    t.connector.get('aws-canary-1').operator = { mode: 'healthy', progressingMs: 20_000 };
    const input = { phase: 'apply' as const, kind: 'rollout' as const, commit: t.commit, cluster: 'aws-canary-1', wave: 'canary' };
    const first = await reconcileStep(t.ports, input, settings);
    expect(first).toMatchObject({ phase: 'poll', waitSeconds: 15, round: 1, cluster: 'aws-canary-1' });
    expect(Date.parse(first.deadline ?? '')).toBe(t.clock.now().getTime() + 60_000);
    expect((await storedOutcome(t, 'aws-canary-1')).outcome).toBe('not-started');
    const written = t.connector.get('aws-canary-1').requestCount.writes;
    expect(written).toBeGreaterThan(0);

    await t.clock.sleep(10_000);
    const still = await reconcileStep(t.ports, fedBack(first), settings);
    expect(still).toMatchObject({ phase: 'poll', waitSeconds: 15 });

    await t.clock.sleep(15_000);
    const done = await reconcileStep(t.ports, fedBack(still), settings);
    expect(done).toMatchObject({ phase: 'done', outcome: 'succeeded', cluster: 'aws-canary-1' });
    expect(done.deadline).toBeUndefined();
    const stored = await storedOutcome(t, 'aws-canary-1');
    expect(stored.outcome).toBe('succeeded');
    expect(stored.changes.update).toBeGreaterThan(0);
    // the verifying plan after health wrote nothing more
    expect(t.connector.get('aws-canary-1').requestCount.writes - written).toBe(0);
  });

  it('a poll past the deadline fails the cluster at the health gate with the operator\'s state', async () => {
    const t = await planned();
    t.connector.get('aws-main-1').operator = { mode: 'progressing-error', message: 'Unable to apply resources: storage backend not reachable' };
    const first = await reconcileStep(t.ports, { phase: 'apply', kind: 'rollout', commit: t.commit, cluster: 'aws-main-1', wave: 'main' }, settings);
    expect(first.phase).toBe('poll');
    await t.clock.sleep(61_000);
    const failed = await reconcileStep(t.ports, fedBack(first), settings);
    expect(failed).toMatchObject({ phase: 'done', outcome: 'failed', error: { code: 'cluster.health-timeout', step: 'health-gate' } });
    // the same decision and text as the in-process gate (health-gate.ts decideHealthGate)
    expect(failed.error?.message).toBe('cluster aws-main-1: health gate: not healthy after 61s: Progressing=True Error: Unable to apply resources: storage backend not reachable');
    expect(await storedOutcome(t, 'aws-main-1')).toMatchObject({ outcome: 'failed', step: 'health-gate' });
  });

  it('a cluster that stops answering between polls fails at the health gate, recorded for the report', async () => {
    const t = await planned();
    t.connector.get('prod-us-1').operator = { mode: 'healthy', progressingMs: 20_000 };
    const first = await reconcileStep(t.ports, { phase: 'apply', kind: 'rollout', commit: t.commit, cluster: 'prod-us-1', wave: 'prod' }, settings);
    expect(first.phase).toBe('poll');
    t.connector.get('prod-us-1').unreachable = true;
    const out = await reconcileStep(t.ports, fedBack(first), settings);
    expect(out).toMatchObject({ phase: 'done', outcome: 'failed', error: { step: 'health-gate' } });
    expect(out.error?.message).toMatch(/^cluster prod-us-1: health gate: /);
    expect(await storedOutcome(t, 'prod-us-1')).toMatchObject({ outcome: 'failed', step: 'health-gate' });
  });

  it('a Degraded operator fails at once, without polling', async () => {
    const t = await planned();
    t.connector.get('prod-eu-1').operator = { mode: 'degraded', reason: 'StorageError', message: 'bucket gone' };
    const out = await reconcileStep(t.ports, { phase: 'apply', kind: 'rollout', commit: t.commit, cluster: 'prod-eu-1', wave: 'prod' }, settings);
    expect(out).toMatchObject({ phase: 'done', outcome: 'failed', error: { code: 'cluster.degraded' } });
  });

  it('a retried apply step (the first invocation wrote, then died) waits at the health gate instead of ending unchanged', async () => {
    const t = await planned();
    t.connector.get('aws-main-1').operator = { mode: 'healthy', progressingMs: 20_000 };
    const input = { phase: 'apply' as const, kind: 'rollout' as const, commit: t.commit, cluster: 'aws-main-1', wave: 'main' };
    // the first invocation writes and leaves the cluster pending at the gate; its answer is lost
    // (Lambda timeout, crash) and Step Functions runs the same apply input again
    await reconcileStep(t.ports, input, settings);
    const written = t.connector.get('aws-main-1').requestCount.writes;
    const retried = await reconcileStep(t.ports, input, settings);
    expect(retried).toMatchObject({ phase: 'poll', round: 1, cluster: 'aws-main-1' });
    expect(t.connector.get('aws-main-1').requestCount.writes).toBe(written);
    expect((await storedOutcome(t, 'aws-main-1')).outcome).toBe('not-started');

    await t.clock.sleep(21_000);
    const done = await reconcileStep(t.ports, fedBack(retried), settings);
    expect(done).toMatchObject({ phase: 'done', outcome: 'succeeded' });
    const stored = await storedOutcome(t, 'aws-main-1');
    // what the first invocation changed is kept, and the gate's last reading is in the report
    expect(stored.changes.update).toBeGreaterThan(0);
    expect(stored.conditions).toContainEqual(expect.objectContaining({ object: 'ClusterOperator/image-registry', type: 'Progressing', status: 'False' }));
  });

  it('an apply step on a cluster already as Git says still reads the gate: one GET when healthy, unchanged', async () => {
    const t = await planned();
    const input = { phase: 'apply' as const, kind: 'rollout' as const, commit: t.commit, cluster: 'prod-eu-1', wave: 'prod' };
    await reconcileStep(t.ports, input, { ...settings, firstLookMs: 60_000 });
    await t.clock.sleep(60_000);
    await t.reports.put(runKeys.cluster('rollout', t.commit, 'prod-eu-1'), '{}', 'application/json');
    const cluster = t.connector.get('prod-eu-1');
    const before = cluster.requests.length;
    const out = await reconcileStep(t.ports, input, { ...settings, firstLookMs: 60_000 });
    expect(out).toMatchObject({ phase: 'done', outcome: 'unchanged' });
    const reads = cluster.requests.slice(before).map((r) => r.ref);
    // planning reads each object once; the gate adds only the ClusterOperator (the Config is planning's)
    expect(reads.filter((r) => r === 'ClusterOperator/image-registry')).toHaveLength(1);
    expect(reads.filter((r) => r === 'Config/cluster')).toHaveLength(1);
    expect(await storedOutcome(t, 'prod-eu-1')).toMatchObject({ outcome: 'unchanged', healthGate: { waitedMs: 0 } });
  });

  it('applying the same commit again writes nothing and ends unchanged', async () => {
    const t = await planned();
    const input = { phase: 'apply' as const, kind: 'rollout' as const, commit: t.commit, cluster: 'prod-us-1', wave: 'prod' };
    let out = await reconcileStep(t.ports, input, { ...settings, firstLookMs: 60_000 });
    expect(out).toMatchObject({ phase: 'done', outcome: 'succeeded' });
    const writes = t.connector.get('prod-us-1').requestCount.writes;
    out = await reconcileStep(t.ports, input, { ...settings, firstLookMs: 60_000 });
    expect(out).toMatchObject({ phase: 'done', outcome: 'unchanged' });
    expect(t.connector.get('prod-us-1').requestCount.writes).toBe(writes);
  });

  it('plan phase stores the cluster plan; an unreachable cluster is a plan with an error, not a failed step', async () => {
    const t = setup();
    await planWavesStep(t.ports, { kind: 'plan', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    t.connector.get('aws-main-1').unreachable = true;
    const ok = await reconcileStep(t.ports, { phase: 'plan', kind: 'plan', commit: t.commit, cluster: 'aws-canary-1' }, settings);
    const down = await reconcileStep(t.ports, { phase: 'plan', kind: 'plan', commit: t.commit, cluster: 'aws-main-1' }, settings);
    expect(ok).toMatchObject({ phase: 'done', outcome: 'planned' });
    expect(down).toMatchObject({ phase: 'done', outcome: 'planned', error: { step: 'plan' } });
    const plan = JSON.parse((await t.reports.get(runKeys.cluster('plan', t.commit, 'aws-canary-1'))) ?? '{}') as ClusterPlan;
    expect(plan.summary.update).toBeGreaterThan(0);
    expect(t.connector.get('aws-canary-1').requestCount.writes).toBe(0);
    expect(t.connector.get('aws-canary-1').read(configRef)).toBeDefined();
  });

  it('a cluster the snapshot does not list is an error of the run', async () => {
    const t = await planned();
    await expect(reconcileStep(t.ports, { phase: 'apply', kind: 'rollout', commit: t.commit, cluster: 'nope' }, settings)).rejects.toMatchObject({ code: 'run.unknown-cluster' });
  });
});

describe('assembleRolloutReport', () => {
  it('a halted wave is failed with the first failed cluster, later waves not started, missing outcomes not started', async () => {
    const t = setup();
    await planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    const none = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 };
    await t.reports.put(runKeys.cluster('rollout', t.commit, 'aws-canary-1'), JSON.stringify({ cluster: 'aws-canary-1', outcome: 'succeeded', changes: none, conditions: [], wave: 'canary' }), 'application/json');
    await t.reports.put(runKeys.cluster('rollout', t.commit, 'lab-bm-1'), JSON.stringify({ cluster: 'lab-bm-1', outcome: 'failed', step: 'dry-run', error: { code: 'cluster.dry-run-rejected', message: 'cluster lab-bm-1: Config/cluster: dry run rejected' }, changes: none, conditions: [], wave: 'canary' }), 'application/json');
    const report = await assembleRolloutReport(t.ports, { commit: t.commit, startedAt: new Date(t.clock.now().getTime() - 5_000).toISOString(), halted: { wave: 'canary', error: 'States.TaskFailed' } });
    expect(report).toMatchObject({ kind: 'RolloutReport', status: 'failed', durationMs: 5_000, halted: { wave: 'canary', reason: '1 of 2 clusters failed (maxFailures 0): lab-bm-1 failed at dry-run: cluster lab-bm-1: Config/cluster: dry run rejected' } });
    expect(report.waves.map((w) => [w.name, w.status, w.clusters.map((c) => c.outcome)])).toEqual([
      ['canary', 'failed', ['succeeded', 'failed']],
      ['main', 'not-started', ['not-started', 'not-started']],
      ['prod', 'not-started', ['not-started', 'not-started']],
    ]);
    expect(JSON.stringify(report)).not.toContain('"wave":"canary","cluster"');
  });

  it('a stored cluster outcome that is not JSON is WorkflowError run.bad-state naming the key', async () => {
    const t = setup();
    await planWavesStep(t.ports, { kind: 'rollout', commit: t.commit, expectedWaves: waves }, { maxClusters: 100 });
    const key = runKeys.cluster('rollout', t.commit, 'aws-canary-1');
    await t.reports.put(key, '{"cluster": "aws-canary-1", "outc', 'application/json');
    await expect(assembleRolloutReport(t.ports, { commit: t.commit, startedAt: t.clock.now().toISOString() })).rejects.toMatchObject({ code: 'run.bad-state', context: { key }, message: `run state ${key}: not JSON; start the run again (its steps rewrite it)` });
  });
});
