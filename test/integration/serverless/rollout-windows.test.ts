/**
 * Change windows in the Step Functions rollout (issue 13 item 3, AWS half): the rollout definition
 * the stack synthesizes, run by aws-local-stepfunctions (test/support/local-step-functions.ts) with
 * every Task calling the function code against the sandbox fleet and a GitHub stand-in, holds a wave
 * its windows close: `Check window` (plan-waves function, engine/steps/wave-window-step.ts) answers
 * the next opening, the Wait (TimestampPath) holds, and the check runs again after it.
 *
 * The clock: the interpreter shortens every Wait (waitMs) and the window check reads a fake clock
 * that moves to the time the previous check said the wave may start, which is what the Wait would
 * have done in AWS. Everything else (plan, reconcile, publish) runs on real time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanWavesHandler } from '../../../functions/handlers/plan-waves.ts';
import { createPublishReportHandler } from '../../../functions/handlers/publish-report.ts';
import { createReconcileClusterHandler } from '../../../functions/handlers/reconcile-cluster.ts';
import { buildAwsStepRuntime } from '../../../functions/handlers/wiring/aws-runtime.ts';
import { createAwsClusterAccess } from '../../../functions/handlers/wiring/cluster-access.ts';
import { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
import type { StepRuntime } from '../../../functions/handlers/wiring/step-runtime.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { startLocalRolloutFleet, type LocalRolloutFleet } from '../../support/local-rollout-fleet.ts';
import { localFunctionArnPrefix, runStateMachine } from '../../support/local-step-functions.ts';

const baseFiles = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));

let fleet: LocalRolloutFleet;
let handlers: Record<string, (input: never) => Promise<unknown>>;
/** The window check's clock (see the header). */
const windowClock = { now: new Date(), sleep: () => Promise.resolve(), random: () => 0.5 };
/** Each window check, as answered, with prod-eu-1's applied commit at that moment. */
const checks: Array<{ wave: string; open: boolean; at: string; nextOpen?: string; prodCommit: unknown }> = [];

async function invoke(resource: string, input: unknown): Promise<unknown> {
  const name = resource.slice(localFunctionArnPrefix.length);
  const gate = (input as { gate?: string; wave?: string }).gate === 'window';
  const handler = handlers[gate ? 'window-check' : name];
  if (handler === undefined) throw new Error(`no local handler for ${resource}`);
  if (!gate) return handler(input as never);
  // the Wait before this check held until the time the last check of this wave named
  const wave = String((input as { wave: string }).wave);
  const last = checks.filter((c) => c.wave === wave).at(-1);
  if (last?.nextOpen !== undefined) windowClock.now = new Date(last.nextOpen);
  const answer = (await handler(input as never)) as { open: boolean; checkedAt: string; nextOpen?: string };
  checks.push({ wave, open: answer.open, at: answer.checkedAt, ...(answer.nextOpen === undefined ? {} : { nextOpen: answer.nextOpen }), prodCommit: fleet.appliedCommit('prod-eu-1') });
  return answer;
}

function runOptions(sha: string): Parameters<typeof runStateMachine>[2] {
  return fleet.runOptions(sha, invoke);
}

beforeAll(async () => {
  fleet = await startLocalRolloutFleet('Windows', { healthTimeoutMs: 30_000 });
  const { env } = fleet;
  const clients = { aws: fleet.aws, githubBaseUrl: fleet.github.url, write: () => undefined };
  const planWaves = buildAwsStepRuntime(env, 'plan-waves', clients, { github: createGitHubAccess });
  const withWindowClock: StepRuntime = { ...planWaves, ports: async () => ({ ...(await planWaves.ports()), clock: { now: () => windowClock.now, sleep: windowClock.sleep, random: windowClock.random } }) };
  handlers = {
    'plan-waves': createPlanWavesHandler(planWaves) as (input: never) => Promise<unknown>,
    'window-check': createPlanWavesHandler(withWindowClock) as (input: never) => Promise<unknown>,
    'reconcile-cluster': createReconcileClusterHandler(buildAwsStepRuntime(env, 'reconcile-cluster', clients, { cluster: createAwsClusterAccess })) as (input: never) => Promise<unknown>,
    'publish-report': createPublishReportHandler(buildAwsStepRuntime(env, 'publish-report', clients, { github: createGitHubAccess })) as (input: never) => Promise<unknown>,
  };
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
});

function fleetWith(windows: string, logLevel = 'Normal'): Record<string, string> {
  const registry = (baseFiles['base/registry.yaml'] ?? '').replace('logLevel: Normal', `logLevel: ${logLevel}`);
  return { ...baseFiles, 'base/registry.yaml': registry, 'fleet.yaml': `${baseFiles['fleet.yaml'] ?? ''}  windows:\n${windows}` };
}

describe('change windows in the Step Functions rollout', { timeout: 180_000 }, () => {
  it('holds the prod wave until its allow window opens, checks again after the Wait, holds again while a deny window is open, then rolls it out', async () => {
    // an allow window two hours from now and a deny window over its first half hour, both prod only
    windowClock.now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 30 * 60_000);
    const hour = (windowClock.now.getUTCHours() + 2) % 24;
    const sha = fleet.github.addCommit('acme', 'fleet', fleetWith(`    - {kind: allow, schedule: "0 ${hour} * * *", duration: 1h, waves: [prod]}\n    - {kind: deny, schedule: "0 ${hour} * * *", duration: 30m, waves: [prod]}\n`), 'main');
    checks.length = 0;
    const result = await runStateMachine(structuredClone(fleet.rollout), { commit: sha }, runOptions(sha));
    expect(result.status, `${result.error ?? ''} ${result.cause ?? ''}`).toBe('SUCCEEDED');

    const opening = new Date(windowClock.now);
    expect(checks.map((c) => [c.wave, c.open])).toEqual([['canary', true], ['main', true], ['prod', false], ['prod', false], ['prod', true]]);
    const prod = checks.filter((c) => c.wave === 'prod');
    // first held until the allow window opens, then (deny window open) until its half hour ends
    expect(new Date(prod[0]?.nextOpen ?? '').getUTCHours()).toBe(hour);
    expect(prod[0]?.nextOpen).toMatch(/T\d\d:00:00\.000Z$/);
    expect(prod[1]?.nextOpen).toMatch(/T\d\d:30:00\.000Z$/);
    expect(opening.toISOString()).toBe(prod[1]?.nextOpen);
    // nothing was written to prod while it was held
    expect(prod.map((c) => c.prodCommit === sha)).toEqual([false, false, false]);
    const prodStates = result.history.filter((s) => s.endsWith(' 3 prod'));
    expect(prodStates).toEqual([
      'Check window 3 prod', 'Window open? 3 prod', 'Wait for window 3 prod',
      'Check window 3 prod', 'Window open? 3 prod', 'Wait for window 3 prod',
      'Check window 3 prod', 'Window open? 3 prod', 'Wave 3 prod',
    ]);
    expect(fleet.appliedCommit('prod-eu-1')).toBe(sha);
    const report = await fleet.latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'succeeded' });
  });

  it('halts before a wave whose window opens only after the execution limit (24 h), saying when to start again; earlier waves roll out', async () => {
    windowClock.now = new Date();
    const sha = fleet.github.addCommit('acme', 'fleet', fleetWith('    - {kind: allow, schedule: "0 0 1 1 *", duration: 1h, waves: [prod]}\n', 'Debug'), 'main');
    checks.length = 0;
    const before = fleet.appliedCommit('prod-eu-1');
    const result = await runStateMachine(structuredClone(fleet.rollout), { commit: sha }, runOptions(sha));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('WorkflowError');
    expect(result.cause).toMatch(/wave prod: held by a change window \(outside every allow window \(allow window \\"0 0 1 1 \*\\" \(UTC, 1h\)\)\) until \d{4}-01-01T00:00:00\.000Z, after this execution's limit/);
    expect(result.history).toContain('Publish held rollout 3 prod');
    expect(result.history).not.toContain('Wave 3 prod');
    expect(fleet.appliedCommit('aws-main-1')).toBe(sha);
    expect(fleet.appliedCommit('prod-eu-1')).toBe(before);
    const report = await fleet.latestRollout();
    expect(report).toMatchObject({ commit: sha, status: 'failed', halted: { wave: 'prod', reason: expect.stringMatching(/^held by a change window: outside every allow window \(allow window "0 0 1 1 \*" \(UTC, 1h\)\); the wave may start at \d{4}-01-01 00:00 UTC$/) as unknown } });
    expect(report.waves.find((w) => w.name === 'prod')).toMatchObject({ status: 'not-started', held: { kind: 'window', nextOpen: expect.stringMatching(/^\d{4}-01-01T00:00:00\.000Z$/) as unknown } });
    // aws-canary-1 sets Debug itself (unchanged); every other cluster before prod took the commit
    expect(report.waves.map((w) => [w.name, w.clusters.map((c) => c.outcome)])).toEqual([
      ['canary', ['unchanged', 'succeeded']],
      ['main', ['succeeded', 'succeeded']],
      ['prod', ['not-started', 'not-started']],
    ]);
  });
});
