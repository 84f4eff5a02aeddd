/**
 * A 10,000-cluster fleet through the synthesized rollout and drift definitions (issue 14 item 5),
 * run by aws-local-stepfunctions with this project's Distributed Map shim (test/support/local-step-
 * functions.ts): Plan waves / Load branch head and Publish are the real engine steps over in-memory
 * ports (the run store is the reports bucket the ItemReader and ResultWriter reach); the clusters
 * are FAKED AT THE LAMBDA BOUNDARY: reconcile-cluster and drift-scan are stand-ins answering as the
 * real functions do (apply → poll → done, storing the cluster's outcome in the run store; one
 * scanned result stored per cluster), since 10,000 sandbox clusters cannot run here. What is
 * measured is what AWS would hold each execution to: the largest state passed between steps
 * (payload limit 256 KB) and the history events of the parent and of every child execution
 * (25,000 per execution), printed for docs/run-in-aws.md "Limits".
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ClusterDrift, ClusterRollout, ConfigSnapshot, DriftReport, RolloutReport } from '../../../functions/core/model.ts';
import { publishStep, type PublishStepInput } from '../../../functions/engine/publish-step.ts';
import type { DriftScanStepInput } from '../../../functions/engine/steps/drift-scan-step.ts';
import { planWavesStep, type PlanWavesInput } from '../../../functions/engine/steps/plan-waves-step.ts';
import type { ReconcileStepInput, ReconcileStepOutput } from '../../../functions/engine/steps/reconcile-step.ts';
import { runKeys } from '../../../functions/engine/steps/run-store.ts';
import { checkWaveWindowStep, type WaveWindowInput } from '../../../functions/engine/steps/wave-window-step.ts';
import { RegopsStack } from '../../../infra/regops-stack.ts';
import { fixtureProps } from '../../infra/stack-fixture.ts';
import { StoredApprovalRecords } from '../../../functions/adapters/secrets/stored-approval-records.ts';
import { FakeClock, InMemoryReportStore } from '../../support/in-memory-ports.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { extractStateMachines, localFunctionArnPrefix, runStateMachine, serveReportsBucket, type Asl, type ExecutionResult } from '../../support/local-step-functions.ts';
import { silentPublisher } from '../../support/silent-publisher.ts';

process.env['CDK_VALIDATION'] = 'false';

const fleetSize = 10_000;
const waves = [
  { name: 'canary', count: 10, maxConcurrency: 5, maxFailures: 0 },
  { name: 'main', count: 2_990, maxConcurrency: 100, maxFailures: 30 },
  { name: 'prod', count: 7_000, maxConcurrency: 200, maxFailures: 70 },
];
const payloadLimit = 256 * 1024;
const historyLimit = 25_000;
// a 10-minute health gate polled every 15 s (reconcile-step.ts defaults): the longest child history
const pollsOfSlowCluster = 40;

/** config/ with its fleet.yaml replaced by 10,000 clusters in three waves (and no per-cluster overlays). */
function fleetSnapshot(commit: string): ConfigSnapshot {
  const base = loadSnapshot('config', '');
  const clusters = waves.flatMap((wave) => Array.from({ length: wave.count }, (_, i) => {
    const name = `${wave.name}-${String(i).padStart(5, '0')}`;
    return `    - name: ${name}\n      labels: {env: ${wave.name === 'prod' ? 'prod' : 'staging'}, platform: aws, wave: ${wave.name}}\n      connection: {context: ${name}, secretId: regops/clusters/${name}}\n`;
  }));
  const waveYaml = waves.map((w) => `    - name: ${w.name}\n      selector: {wave: ${w.name}}\n      maxConcurrency: ${w.maxConcurrency}\n      maxFailures: ${w.maxFailures}\n      bakeTime: 1m\n`).join('');
  const fleet = `apiVersion: regops/v1\nkind: Fleet\nmetadata:\n  name: acme\nspec:\n  clusters:\n${clusters.join('')}  groups:\n    - name: aws\n      selector: {platform: aws}\n    - name: prod\n      selector: {env: prod}\n  waves:\n${waveYaml}  policy:\n    default: inform\n    overrides:\n      - {group: prod, policy: enforce}\n`;
  const files = base.files.filter((f) => !f.path.startsWith('clusters/') && f.path !== 'fleet.yaml');
  return { commit, files: [...files, { path: 'fleet.yaml', content: fleet }] };
}

function synthesize(): { rollout: Asl; drift: Asl } {
  const props = fixtureProps({ maxClusters: fleetSize, waves: waves.map((w) => ({ name: w.name, maxConcurrency: w.maxConcurrency, maxFailures: w.maxFailures, expectedClusters: w.count })) });
  const found = extractStateMachines(Template.fromStack(new RegopsStack(new App(), 'Fleet10k', props)).toJSON() as Parameters<typeof extractStateMachines>[0]);
  const pick = (fragment: string): Asl => Object.entries(found).find(([id]) => id.includes(fragment))?.[1] ?? (() => { throw new Error(`no ${fragment} machine`); })();
  return { rollout: pick('Rollout'), drift: pick('Drift') };
}

function measure(result: ExecutionResult): { parentStateBytes: number; parentEvents: number; childStateBytes: number; childEvents: number; children: number } {
  return {
    parentStateBytes: result.maxStateBytes,
    parentEvents: result.events,
    childStateBytes: Math.max(0, ...result.children.map((c) => c.maxStateBytes)),
    childEvents: Math.max(0, ...result.children.map((c) => c.events)),
    children: result.children.length,
  };
}

describe('a 10,000-cluster fleet through the definitions\' data paths', { timeout: 600_000 }, () => {
  const commit = 'f1ee7'.repeat(8);
  const snapshot = fleetSnapshot(commit);
  const clock = new FakeClock(Date.parse('2026-12-04T05:00:00Z'));
  const reports = new InMemoryReportStore();
  const ports = { config: { load: () => Promise.resolve(snapshot) }, reports, clock, approvals: new StoredApprovalRecords(reports) };
  const machines = synthesize();
  const s3 = serveReportsBucket(reports);
  const slow = new Set(waves.map((w) => `${w.name}-00000`));
  const lostInDrift = new Set(['main-00007', 'prod-01234']);

  const handlers: Record<string, (input: never) => Promise<unknown>> = {
    // the plan-waves function answers Plan waves and each wave's Check window (handlers/plan-waves.ts)
    'plan-waves': (input: PlanWavesInput | WaveWindowInput) => ('gate' in input ? checkWaveWindowStep(ports, input) : planWavesStep(ports, input, { maxClusters: fleetSize })),
    'publish-report': (input: PublishStepInput) => publishStep(ports, silentPublisher, input).then((p) => ({ kind: p.kind, keys: p.keys, ...(p.changed === undefined ? {} : { changed: p.changed }) })),
    // FAKE at the Lambda boundary: a cluster that takes one poll to settle (40 for each wave's first
    // cluster, a full 10-minute gate), then succeeds, its outcome stored as reconcile-step.ts stores it
    'reconcile-cluster': async (input: ReconcileStepInput) => {
      const round = input.round ?? 0;
      if (round < (slow.has(input.cluster) ? pollsOfSlowCluster : 1)) return { ...input, phase: 'poll', round: round + 1, waitSeconds: 15 } satisfies ReconcileStepOutput;
      const outcome: ClusterRollout = { cluster: input.cluster, outcome: 'succeeded', changes: { create: 0, update: 1, prune: 0, unchanged: 3, skipped: 0 }, conditions: [] };
      await reports.put(runKeys.cluster('rollout', input.commit, input.cluster), JSON.stringify({ ...outcome, wave: input.wave }), 'application/json');
      return { kind: input.kind, commit: input.commit, cluster: input.cluster, ...(input.wave === undefined ? {} : { wave: input.wave }), round, phase: 'done', outcome: 'succeeded' } satisfies ReconcileStepOutput;
    },
    // FAKE at the Lambda boundary: each cluster scanned in sync, its result stored as drift-scan-step.ts
    // stores it; two clusters' invocations fail (as a timed-out Lambda would) and store nothing
    'drift-scan': async (input: DriftScanStepInput) => {
      if (lostInDrift.has(input.cluster)) throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
      const result: ClusterDrift = { cluster: input.cluster, labels: {}, policy: 'inform', state: 'in-sync', resources: [], conditions: [], ...(input.wave === null ? {} : { wave: input.wave }) };
      await reports.put(runKeys.driftResult(input.commit, input.scan, input.cluster), JSON.stringify(result), 'application/json');
      return { cluster: input.cluster, state: result.state };
    },
  };
  const invoke = (resource: string, input: unknown): Promise<unknown> => {
    const handler = handlers[resource.slice(localFunctionArnPrefix.length)];
    if (handler === undefined) throw new Error(`no local handler for ${resource}`);
    return handler(input as never);
  };

  it('rollout: every cluster a child execution, the state between steps and every history far under the limits, the report complete', async () => {
    const result = await runStateMachine(machines.rollout, { commit }, { invoke, s3, waitMs: 0, retryMs: 0, executionName: `rollout-${commit}` });
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    const m = measure(result);
    // what the state held before this design: Plan waves' answer listed every cluster twice (per wave and in all)
    const legacyPlanBytes = Buffer.byteLength(JSON.stringify({ waves: waves.map((w) => ({ name: w.name, clusters: Array.from({ length: w.count }, (_, i) => `${w.name}-${String(i).padStart(5, '0')}`) })), clusters: Array.from({ length: fleetSize }, (_, i) => `cluster-${String(i).padStart(5, '0')}`) }));
    console.log(`10k rollout: parent max state ${m.parentStateBytes} B at ${result.largestStateAt}, parent ${m.parentEvents} events; ${m.children} children, max state ${m.childStateBytes} B, max ${m.childEvents} events (a ${pollsOfSlowCluster}-poll health gate); the cluster lists alone, as the state carried them before: ${legacyPlanBytes} B`);
    expect(m.children).toBe(fleetSize);
    expect(m.parentStateBytes).toBeLessThan(payloadLimit);
    expect(m.childStateBytes).toBeLessThan(payloadLimit);
    expect(m.parentEvents).toBeLessThan(historyLimit);
    expect(m.childEvents).toBeLessThan(historyLimit);
    // the slow clusters' children did poll 40 times: the measured child history is the long one
    expect(result.children.filter((c) => c.history.filter((s) => s.startsWith('Wait for health')).length === pollsOfSlowCluster)).toHaveLength(waves.length);
    // the state never carries a cluster list: Plan waves answers keys
    expect(legacyPlanBytes).toBeGreaterThan(payloadLimit);
    const report = JSON.parse((await reports.get('latest/rollout.json')) ?? 'null') as RolloutReport;
    expect(report.waves.map((w) => [w.name, w.status, w.clusters.length])).toEqual(waves.map((w) => [w.name, 'succeeded', w.count]));
    expect(result.history.filter((s) => s.startsWith('Bake after wave'))).toEqual(['Bake after wave 1 canary', 'Bake after wave 2 main']);
  });

  it('drift: one child per cluster, results stored as they come, a child that failed reported as an error, never lost', async () => {
    const result = await runStateMachine(machines.drift, { trigger: 'schedule' }, { invoke, s3, waitMs: 0, retryMs: 0, executionName: 'drift-10k' });
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');
    const m = measure(result);
    console.log(`10k drift: parent max state ${m.parentStateBytes} B at ${result.largestStateAt}, parent ${m.parentEvents} events; ${m.children} children, max state ${m.childStateBytes} B, max ${m.childEvents} events`);
    expect(m.children).toBe(fleetSize);
    expect(m.parentStateBytes).toBeLessThan(payloadLimit);
    expect(m.parentEvents).toBeLessThan(historyLimit);
    expect(m.childEvents).toBeLessThan(historyLimit);
    const report = JSON.parse((await reports.get('latest/drift.json')) ?? 'null') as DriftReport;
    expect(report.summary).toMatchObject({ 'clusters': fleetSize, 'in-sync': fleetSize - lostInDrift.size, 'error': lostInDrift.size });
    expect(report.clusters.filter((c) => c.state === 'error').map((c) => [c.cluster, c.error?.code])).toEqual([...lostInDrift].map((c) => [c, 'drift.no-result']));
  });
});
