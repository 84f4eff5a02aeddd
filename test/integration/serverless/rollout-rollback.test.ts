/**
 * Automatic rollback in the Step Functions rollout (issue 13 item 1, AWS half): the rollout
 * definition the stack synthesizes, run by aws-local-stepfunctions (test/support/local-step-functions.ts)
 * with every Task calling the function code against the sandbox fleet and a GitHub stand-in. The
 * canary wave says `rollback: automatic`; a commit adds a nodeSelector no node matches, so the
 * canary's registry stays Progressing (the sandbox's simulated scheduler) and its health gate fails:
 * `Roll back 1 canary` gives it its previous values back through the same reconcile loop, later
 * waves are untouched, and the report says "rolled back to <commit>". A restore that fails (the
 * cluster goes down just before it) fails the execution with rollout.rollback-failed and opens an issue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3StateStore } from '../../../functions/adapters/s3/s3-state-store.ts';
import { renderRolloutText } from '../../../functions/core/report/rollout-text.ts';
import { readReleaseRecord } from '../../../functions/engine/release-record.ts';
import { createPlanWavesHandler } from '../../../functions/handlers/plan-waves.ts';
import { createPublishReportHandler } from '../../../functions/handlers/publish-report.ts';
import { createReconcileClusterHandler } from '../../../functions/handlers/reconcile-cluster.ts';
import { buildAwsStepRuntime } from '../../../functions/handlers/wiring/aws-runtime.ts';
import { createAwsClusterAccess } from '../../../functions/handlers/wiring/cluster-access.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { startLocalRolloutFleet, type LocalRolloutFleet } from '../../support/local-rollout-fleet.ts';
import { localFunctionArnPrefix, runStateMachine } from '../../support/local-step-functions.ts';
import type { RecordedRequest } from '../../support/aws-call-recorder.ts';
import { checkRoleCalls } from '../../support/check-role-calls.ts';
import type { HttpHandlerOptions } from '@smithy/types';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const operatorRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
const baseFiles = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));

let fleet: LocalRolloutFleet;
let state: S3StateStore;
let handlers: Record<string, (input: never) => Promise<unknown>>;
/** Every AWS request a function's clients sent, with the function's name (checked against its role, last test). */
const awsRequests: Array<{ fn: string; request: RecordedRequest }> = [];
/** Runs before a restore step reaches its handler (the second test takes the cluster down there). */
let beforeRestore: (input: { cluster: string }) => void = () => undefined;
/** Every reconcile-cluster input with restore set, as the Roll back Map sent it. */
const restores: Array<{ cluster: string; phase: string; startedAt?: string }> = [];

type LiveConfig = { metadata: { annotations?: Record<string, string> }; spec: { nodeSelector?: Record<string, string> } };

function liveConfig(cluster: string): LiveConfig {
  return fleet.sandbox.getObject(cluster, configRef) as LiveConfig;
}

function appliedCommit(cluster: string): string | undefined {
  return fleet.appliedCommit(cluster);
}

function conditionsOf(cluster: string): Record<string, string> {
  const operator = fleet.sandbox.getObject(cluster, operatorRef) as { status?: { conditions?: Array<{ type: string; status: string }> } };
  return Object.fromEntries((operator.status?.conditions ?? []).map((c) => [c.type, c.status]));
}

async function invoke(resource: string, input: unknown): Promise<unknown> {
  const name = resource.slice(localFunctionArnPrefix.length);
  const handler = handlers[name];
  if (handler === undefined) throw new Error(`no local handler for ${resource}`);
  const step = input as { restore?: boolean; cluster: string; phase: string; startedAt?: string };
  if (name === 'reconcile-cluster' && step.restore === true) {
    restores.push({ cluster: step.cluster, phase: step.phase, ...(step.startedAt === undefined ? {} : { startedAt: step.startedAt }) });
    beforeRestore(step);
  }
  return handler(input as never);
}

function runOptions(sha: string): Parameters<typeof runStateMachine>[2] {
  return fleet.runOptions(sha, invoke);
}

/** The example config with `rollback: automatic` on the canary wave, plus `nodeSelector` in base/registry.yaml when given. */
function fleetFiles(nodeSelector?: string): Record<string, string> {
  const fleet = (baseFiles['fleet.yaml'] ?? '').replace('      bakeTime: 30s\n', '      bakeTime: 30s\n      rollback: automatic\n');
  const registry = baseFiles['base/registry.yaml'] ?? '';
  return { ...baseFiles, 'fleet.yaml': fleet, 'base/registry.yaml': nodeSelector === undefined ? registry : `${registry}  nodeSelector:\n    ${nodeSelector}: "true"\n` };
}

let released: string;

beforeAll(async () => {
  // the health gate gives up after 4 s of polls (the canary stays Progressing for good)
  fleet = await startLocalRolloutFleet('Rollback', { healthTimeoutMs: 4000 });
  const { aws, env, github } = fleet;
  state = new S3StateStore(fleet.s3, fleet.reportsBucket, 'state/');
  const clients = (fn: string) => ({
    aws: { ...aws, requestHandler: { handle: (request: Parameters<typeof aws.requestHandler.handle>[0], options?: HttpHandlerOptions) => {
      const body = typeof request.body === 'string' ? { body: request.body } : request.body instanceof Uint8Array ? { body: Buffer.from(request.body).toString('utf8') } : {};
      awsRequests.push({ fn, request: { method: request.method, path: request.path, query: request.query, headers: request.headers, ...body } });
      return aws.requestHandler.handle(request, options);
    } } },
    githubBaseUrl: github.url,
    write: () => undefined,
  });
  handlers = {
    'plan-waves': createPlanWavesHandler(buildAwsStepRuntime(env, 'plan-waves', clients('plan-waves'), { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
    'reconcile-cluster': createReconcileClusterHandler(buildAwsStepRuntime(env, 'reconcile-cluster', clients('reconcile-cluster'), { cluster: createAwsClusterAccess })) as (input: never) => Promise<unknown>,
    'publish-report': createPublishReportHandler(buildAwsStepRuntime(env, 'publish-report', clients('publish-report'), { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
  };

  // the commit the fleet runs before the tests: rolled out whole, released
  released = github.addCommit('acme', 'fleet', fleetFiles(), 'main');
  const first = await runStateMachine(structuredClone(fleet.rollout), { commit: released }, runOptions(released));
  if (first.status !== 'SUCCEEDED') throw new Error(`the first rollout failed: ${first.error ?? ''} ${first.cause ?? ''}`);
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
});

describe('rollback: automatic in the Step Functions rollout', { timeout: 180_000 }, () => {
  it('a canary that stays Progressing is restored to its previous values and healthy before the halted rollout is published; later waves untouched', async () => {
    expect(appliedCommit('aws-canary-1')).toBe(released);
    const mainBefore = liveConfig('aws-main-1');
    const sha = fleet.github.addCommit('acme', 'fleet', fleetFiles('regops.io/no-such-node'), 'main');
    restores.length = 0;
    const result = await runStateMachine(structuredClone(fleet.rollout), { commit: sha }, runOptions(sha));

    expect(result.status).toBe('FAILED');
    expect(result.error).not.toBe('rollout.rollback-failed');
    expect(result.history).toContain('Roll back 1 canary');
    // restored before the halted rollout is published, and nothing after the canary ran
    expect(result.history.indexOf('Roll back 1 canary')).toBeLessThan(result.history.indexOf('Publish halted rollout 1 canary'));
    expect(result.history.filter((s) => / [23] (main|prod)$/.test(s))).toEqual([]);
    // the Roll back Map sent each of the wave's clusters, as this execution (whose kept values they are)
    expect([...new Set(restores.map((r) => r.cluster))].sort()).toEqual(['aws-canary-1', 'lab-bm-1']);
    expect(restores.every((r) => r.startedAt !== undefined && r.startedAt === restores[0]?.startedAt)).toBe(true);

    // the canary has its previous owned values back and is healthy; the next wave was never written
    const canary = liveConfig('aws-canary-1');
    expect(canary.spec.nodeSelector).toBeUndefined();
    expect(appliedCommit('aws-canary-1')).toBe(released);
    expect(conditionsOf('aws-canary-1')).toMatchObject({ Available: 'True', Progressing: 'False', Degraded: 'False' });
    expect(liveConfig('aws-main-1')).toEqual(mainBefore);
    // the values were kept in the run store before the canary was written
    const kept = JSON.parse((await fleet.reports.get(`runs/${sha}/previous/aws-canary-1.json`)) ?? 'null') as { commit: string; cluster: string };
    expect(kept).toMatchObject({ cluster: 'aws-canary-1', commit: released });

    const report = await fleet.latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'failed', halted: { wave: 'canary' } });
    expect(report.halted?.reason).toMatch(/^1 of 2 clusters failed \(maxFailures 0\): aws-canary-1 failed at health-gate: [\s\S]*; rolled back 1 cluster to their previous values$/);
    expect(report.waves[0]?.clusters[0]).toMatchObject({ cluster: 'aws-canary-1', outcome: 'failed', step: 'health-gate', rolledBack: { commit: released, outcome: 'succeeded' } });
    expect(report.waves.slice(1).map((w) => w.status)).toEqual(['not-started', 'not-started']);
    expect(renderRolloutText(report)).toMatch(new RegExp(`aws-canary-1 +failed at health-gate: [\\s\\S]*?; rolled back to ${released}$`, 'm'));
    expect(await fleet.reports.get('latest/rollout.md')).toContain(`rolled back to ${released}`);
    // the page's cluster details and the check run on the commit say it per cluster too
    expect(await fleet.reports.get('latest/index.html')).toContain(`rolled back to <code>${released}</code>`);
    const checkRun = fleet.review.checkRuns.find((c) => c.head_sha === sha && c.name === 'regops rollout');
    expect(checkRun?.output.summary).toMatch(new RegExp(`^- \`aws-canary-1\` \\(wave canary\\) at step \\*\\*health-gate\\*\\*: [\\s\\S]*?; rolled back to \`${released}\`$`, 'm'));
    // the halted commit is not released: drift keeps enforcing the previous one
    const record = await readReleaseRecord({ state });
    expect(record?.record.commit).toBe(released);
    expect(record?.record.clusters['aws-canary-1']?.commit).toBe(released);
    expect(fleet.review.issues.filter((i) => i.labels.includes('regops-rollback'))).toEqual([]);
  });

  it('a restore that fails fails the execution with rollout.rollback-failed, says ROLLBACK FAILED and opens an issue', async () => {
    const sha = fleet.github.addCommit('acme', 'fleet', fleetFiles('regops.io/another-missing-node'), 'main');
    // the canary stops answering once its wave failed: the restore cannot connect
    beforeRestore = (input) => {
      if (input.cluster === 'aws-canary-1') fleet.sandbox.faults('aws-canary-1').set({ down: true });
    };
    try {
      const result = await runStateMachine(structuredClone(fleet.rollout), { commit: sha }, runOptions(sha));
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('rollout.rollback-failed');
      expect(result.cause).toContain('wave canary: the automatic rollback failed');
      expect(result.history).toContain('Publish failed rollback 1 canary');
      expect(result.history).not.toContain('Publish halted rollout 1 canary');
    } finally {
      beforeRestore = () => undefined;
      fleet.sandbox.faults('aws-canary-1').clear();
    }
    const report = await fleet.latestRollout();
    expect(report.halted?.reason).toMatch(/; ROLLBACK FAILED on aws-canary-1: /);
    expect(report.waves[0]?.clusters[0]?.rolledBack).toMatchObject({ commit: released, outcome: 'failed' });
    expect(renderRolloutText(report)).toMatch(new RegExp(`aws-canary-1 +failed at health-gate: [\\s\\S]*?; ROLLBACK to ${released} FAILED: cluster\\.unreachable: `, 'm'));
    expect(await fleet.reports.get('latest/index.html')).toContain(`<strong>ROLLBACK to <code>${released}</code> FAILED</strong>: <code>cluster.unreachable</code>`);
    expect(fleet.review.checkRuns.find((c) => c.head_sha === sha && c.name === 'regops rollout')?.output.summary).toContain(`; **ROLLBACK to \`${released}\` FAILED**: cluster.unreachable `);
    // the cluster keeps what the halted commit wrote, and a person is asked to act
    expect(liveConfig('aws-canary-1').spec.nodeSelector).toEqual({ 'regops.io/another-missing-node': 'true' });
    const issues = fleet.review.issues.filter((i) => i.labels.includes('regops-rollback'));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.title).toBe(`regops: ROLLBACK FAILED in wave canary (commit ${sha.slice(0, 12)})`);
    expect(issues[0]?.body).toContain('| `aws-canary-1` | canary |');
    expect((await readReleaseRecord({ state }))?.record.commit).toBe(released);
  });

  it('every AWS call the functions made, the kept values and the restores included, is allowed by their synthesized role', () => {
    const endpointPath = new URL(fleet.sandbox.aws.endpoint).pathname.replace(/\/$/, '');
    const { calls, refused } = checkRoleCalls(fleet.template, awsRequests, { bucket: fleet.reportsBucket, endpointPath, functions: ['plan-waves', 'reconcile-cluster', 'publish-report'] });
    // the reconcile function kept and read the values to restore in the run store
    expect(calls.some((c) => c.fn === 'reconcile-cluster' && c.action === 's3:PutObject' && /\/runs\/[0-9a-f]+\/previous\/aws-canary-1\.json$/.test(c.resource))).toBe(true);
    expect(refused).toEqual([]);
  });
});
