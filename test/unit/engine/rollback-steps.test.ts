/**
 * The Step Functions half of `rollback: automatic` (engine/steps/rollback-previous.ts through
 * reconcileStep) and the issue a failed rollback opens (engine/publish-rollback-issue.ts), on the
 * in-memory ports: values kept once per execution before the first write, restored through the same
 * apply loop, the outcome recorded as the cluster's rolledBack; clusters this execution did not
 * change are skipped without a request.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterRollout, ConfigSnapshot, JsonObject, RolloutReport } from '../../../functions/core/model.ts';
import type { CommitPublisher, TrackedIssue } from '../../../functions/engine/ports.ts';
import { publishRollbackIssue } from '../../../functions/engine/publish-rollback-issue.ts';
import { previousStateKey } from '../../../functions/engine/rollback-wave.ts';
import { planWavesStep } from '../../../functions/engine/steps/plan-waves-step.ts';
import { reconcileStep, type ReconcileSettings, type ReconcileStepInput } from '../../../functions/engine/steps/reconcile-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemoryReportStore, InMemorySecretSource, configRef } from '../../support/in-memory-ports.ts';

const settings: ReconcileSettings = { firstLookMs: 5_000, gateTimeoutMs: 60_000, pollSeconds: 15, maxRounds: 5 };
const waves = ['canary', 'main', 'prod'];

async function setup(rollback: boolean) {
  const base = loadSnapshot('config', '');
  const files = base.files.map((f) => f.path === 'fleet.yaml' && rollback ? { ...f, content: f.content.replace('      bakeTime: 30s\n', '      bakeTime: 30s\n      rollback: automatic\n') } : f);
  const commit = `c-${Math.random().toString(16).slice(2)}`;
  const snapshot: ConfigSnapshot = { ...base, files, commit };
  const clock = new FakeClock();
  const connector = new InMemoryConnector(clock);
  for (const name of ['aws-canary-1', 'aws-main-1', 'prod-eu-1', 'prod-us-1']) connector.add(name);
  const reports = new InMemoryReportStore();
  const ports = { config: { load: () => Promise.resolve(snapshot) }, connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock, reports };
  await planWavesStep(ports, { kind: 'rollout', commit, expectedWaves: waves, startedAt: '2026-12-04T10:00:00.000Z' }, { maxClusters: 100 });
  const apply = (cluster: string, wave: string, startedAt = '2026-12-04T10:00:00.000Z'): ReconcileStepInput => ({ phase: 'apply', kind: 'rollout', commit, cluster, wave, startedAt });
  const logLevel = (cluster: string): unknown => (connector.get(cluster).read(configRef)?.['spec'] as JsonObject | undefined)?.['logLevel'];
  const kept = async (cluster: string): Promise<{ run: string; commit: string; objects: Array<{ body: JsonObject }> } | undefined> => JSON.parse((await reports.get(previousStateKey(commit, cluster))) ?? 'null') ?? undefined;
  const record = async (cluster: string): Promise<ClusterRollout> => JSON.parse((await reports.get(runKeys.cluster('rollout', commit, cluster))) ?? '{}') as ClusterRollout;
  return { ports, connector, reports, commit, apply, logLevel, kept, record };
}

describe('rollback: automatic in the workflow steps', () => {
  it('an apply in a rollback: automatic wave keeps the previous owned values before writing, once per execution', async () => {
    const t = await setup(true);
    expect(t.logLevel('aws-canary-1')).toBe('Normal');
    const done = await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    expect(done).toMatchObject({ phase: 'done', outcome: 'succeeded' });
    expect(t.logLevel('aws-canary-1')).toBe('Debug');
    const first = await t.kept('aws-canary-1');
    expect(first).toMatchObject({ run: '2026-12-04T10:00:00.000Z', cluster: 'aws-canary-1', commit: '(before regops)' });
    expect(first?.objects.find((o) => o.body['kind'] === 'Config')?.body['spec']).toMatchObject({ logLevel: 'Normal' });
    // a retried apply of the same execution comes after the write: it must not keep what it wrote
    await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    expect(await t.kept('aws-canary-1')).toEqual(first);
    // another execution of the commit keeps the values it finds
    await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary', '2026-12-04T11:00:00.000Z'), settings);
    expect((await t.kept('aws-canary-1'))?.objects.find((o) => o.body['kind'] === 'Config')?.body['spec']).toMatchObject({ logLevel: 'Debug' });
  });

  it('a wave without rollback: automatic keeps nothing', async () => {
    const t = await setup(false);
    await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    expect(await t.kept('aws-canary-1')).toBeUndefined();
    expect(t.logLevel('aws-canary-1')).toBe('Debug');
  });

  it('a cluster that cannot be read before the write fails at connect and is not written', async () => {
    const t = await setup(true);
    t.connector.get('aws-canary-1').unreachable = true;
    const done = await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    expect(done).toMatchObject({ phase: 'done', outcome: 'failed', error: { code: 'cluster.unreachable', step: 'connect' } });
    expect(t.connector.get('aws-canary-1').requestCount.writes).toBe(0);
    expect(await t.record('aws-canary-1')).toMatchObject({ outcome: 'failed', step: 'connect' });
  });

  it('restore gives a changed cluster its kept values back through the same apply and records rolledBack; an unchanged one is skipped without a request', async () => {
    const t = await setup(true);
    await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    expect(t.logLevel('aws-canary-1')).toBe('Debug');
    const restored = await reconcileStep(t.ports, { ...t.apply('aws-canary-1', 'canary'), restore: true }, settings);
    expect(restored).toMatchObject({ phase: 'done', outcome: 'succeeded', restore: true });
    expect(t.logLevel('aws-canary-1')).toBe('Normal');
    expect((t.connector.get('aws-canary-1').read(configRef)?.['metadata'] as JsonObject)['annotations']).toMatchObject({ 'regops.io/applied-commit': '(before regops)' });
    const record = await t.record('aws-canary-1');
    // the wave's outcome stays what it was; the restore is said beside it
    expect(record).toMatchObject({ outcome: 'succeeded', rolledBack: { commit: '(before regops)', outcome: 'succeeded' } });

    const reads = t.connector.get('prod-eu-1').requestCount.reads;
    const skipped = await reconcileStep(t.ports, { ...t.apply('prod-eu-1', 'prod'), restore: true }, settings);
    expect(skipped).toMatchObject({ phase: 'done', outcome: 'skipped' });
    expect(t.connector.get('prod-eu-1').requestCount.reads).toBe(reads);
    // values kept by another execution are not this run's to restore
    const other = await reconcileStep(t.ports, { ...t.apply('aws-canary-1', 'canary', '2026-12-04T12:00:00.000Z'), restore: true }, settings);
    expect(other).toMatchObject({ outcome: 'skipped' });
  });

  it('a restore that fails is a failed outcome (the Map fails) and the record says the rollback failed', async () => {
    const t = await setup(true);
    await reconcileStep(t.ports, t.apply('aws-canary-1', 'canary'), settings);
    t.connector.get('aws-canary-1').unreachable = true;
    const failed = await reconcileStep(t.ports, { ...t.apply('aws-canary-1', 'canary'), restore: true }, settings);
    expect(failed).toMatchObject({ phase: 'done', outcome: 'failed', error: { code: 'cluster.unreachable' } });
    expect((await t.record('aws-canary-1')).rolledBack).toMatchObject({ commit: '(before regops)', outcome: 'failed', error: { code: 'cluster.unreachable' } });
  });
});

/** A CommitPublisher keeping issues in memory (nothing else is called by publishRollbackIssue). */
function issuePublisher(): CommitPublisher & { issues: Array<TrackedIssue & { labels: string[] }> } {
  const issues: Array<TrackedIssue & { labels: string[] }> = [];
  const unused = (): Promise<never> => Promise.reject(new Error('not used by publishRollbackIssue'));
  return {
    issues,
    setCommitStatus: unused, upsertCheckRun: unused, upsertPullRequestComment: unused, closeIssue: unused,
    listOpenIssues: (label) => Promise.resolve(issues.filter((i) => i.labels.includes(label))),
    openIssue: (title, body, labels) => {
      issues.push({ number: issues.length + 1, title, body, labels });
      return Promise.resolve(issues.length);
    },
    updateIssue: (number, title, body) => {
      const found = issues.find((i) => i.number === number);
      if (found !== undefined) Object.assign(found, { title, body });
      return Promise.resolve();
    },
  };
}

function reportWith(rolledBack: ClusterRollout['rolledBack']): RolloutReport {
  const cluster: ClusterRollout = { cluster: 'lab-1', outcome: 'failed', step: 'health-gate', changes: { create: 0, update: 1, prune: 0, unchanged: 0, skipped: 0 }, conditions: [], ...(rolledBack === undefined ? {} : { rolledBack }) };
  return { apiVersion: 'regops/v1', kind: 'RolloutReport', commit: 'abcdef0123456789', generatedAt: '2026-12-04T10:00:00.000Z', durationMs: 1, status: 'failed', halted: { wave: 'canary', reason: '1 of 1 clusters failed' }, waves: [{ name: 'canary', status: 'failed', maxConcurrency: 1, maxFailures: 0, clusters: [cluster] }] };
}

describe('publishRollbackIssue', () => {
  it('opens one issue for a failed rollback, escaped, then updates it in place; none when every rollback held', async () => {
    const publisher = issuePublisher();
    expect(await publishRollbackIssue(publisher, reportWith({ commit: 'c0', outcome: 'succeeded' }))).toBeUndefined();
    expect(await publishRollbackIssue(publisher, reportWith(undefined))).toBeUndefined();
    expect(publisher.issues).toEqual([]);

    const broken = reportWith({ commit: 'c0', outcome: 'failed', error: { code: 'cluster.conflict', message: 'cluster lab-1: a | b <script>' } });
    expect(await publishRollbackIssue(publisher, broken)).toEqual({ number: 1, action: 'opened' });
    expect(publisher.issues[0]).toMatchObject({ title: 'regops: ROLLBACK FAILED in wave canary (commit abcdef012345)', labels: ['regops-rollback'] });
    expect(publisher.issues[0]?.body).toContain('| `lab-1` | canary | `c0` | cluster.conflict: cluster lab-1: a \\| b &lt;script&gt; |');
    expect(await publishRollbackIssue(publisher, broken)).toEqual({ number: 1, action: 'updated' });
    expect(publisher.issues).toHaveLength(1);
  });
});
