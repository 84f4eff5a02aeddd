/**
 * Issue 13 item 1 through the real `regops` CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): a commit adds a nodeSelector that matches no node, so the canary's
 * registry stays Progressing (on the sandbox its simulated scheduler, functions/sandbox/simulated-scheduler.ts;
 * on the testbed the real kube-scheduler leaves the pods Pending and the real operator reports
 * Progressing); `regops rollout --timeout 20s` halts at the
 * canary, and with `rollback: automatic` on the wave the canary is back at its previous owned values
 * and healthy, the report says "rolled back to <commit>", and later waves are untouched.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const operatorRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
let target: CliTarget;
let work: string;
let config: string;
let kube: string[];

const regops = runCli;

type LiveConfig = { metadata: { annotations?: Record<string, string> }; spec: { nodeSelector?: Record<string, string>; logLevel?: string } };

async function conditionsOf(cluster: string): Promise<Record<string, string>> {
  const operator = (await target.getObject(cluster, operatorRef)) as { status?: { conditions?: Array<{ type: string; status: string }> } };
  return Object.fromEntries((operator.status?.conditions ?? []).map((c) => [c.type, c.status]));
}

/** The operator's own status on the Config (conditions, observedGeneration) moves on after regops is done; the spec and metadata regops owns must not. */
async function ownedPartOf(cluster: string): Promise<unknown> {
  const live = (await target.getObject(cluster, configRef)) as { metadata: { annotations?: unknown; generation?: unknown }; spec: unknown };
  return { annotations: live.metadata.annotations, generation: live.metadata.generation, spec: live.spec };
}

beforeAll(async () => {
  target = await startCliTarget('rollback');
  work = target.work;
  config = join(work, 'config');
  await cp(target.config, config, { recursive: true });
  const fleet = join(config, 'fleet.yaml');
  // the canary wave restores what it changed when it fails
  const withRollback = (await readFile(fleet, 'utf8')).replace('      bakeTime: 30s\n', '      bakeTime: 30s\n      rollback: automatic\n');
  expect(withRollback).toContain('rollback: automatic');
  await writeFile(fleet, withRollback);
  delete process.env['REGOPS_STATE_DIR'];
  delete process.env['REGOPS_STATE_BUCKET'];
  // the AWS clusters: aws-canary-1 is the canary wave, then aws-main-1, then prod
  kube = ['--config', config, '--kubeconfig', target.kubeconfig, '--selector', 'platform=aws'];
});

afterAll(async () => {
  await target?.stop();
});

describe('rollback: automatic', () => {
  it('a canary that stays Progressing is restored to its previous values and healthy; later waves untouched', async () => {
    const first = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '300s', '-o', 'json');
    expect(first.code, first.stdout).toBe(0);
    const released = (JSON.parse(first.stdout) as { commit: string }).commit;
    const prodBefore = await ownedPartOf('prod-eu-1');

    const registry = join(config, 'base', 'registry.yaml');
    await writeFile(registry, `${await readFile(registry, 'utf8')}  nodeSelector:\n    regops.io/no-such-node: "true"\n`);
    const halted = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '20s', '-o', 'json');
    expect(halted.code).toBe(1);
    const report = JSON.parse(halted.stdout) as { commit: string; halted?: { wave: string; reason: string }; waves: Array<{ name: string; status: string; clusters: Array<{ cluster: string; outcome: string; step?: string; rolledBack?: { commit: string; outcome: string } }> }> };
    expect(report.commit).not.toBe(released);
    expect(report.halted?.wave).toBe('canary');
    expect(report.halted?.reason).toContain('rolled back 1 cluster to their previous values');
    expect(report.waves[0]?.clusters).toEqual([expect.objectContaining({ cluster: 'aws-canary-1', outcome: 'failed', step: 'health-gate', rolledBack: { commit: released, outcome: 'succeeded' } })]);
    expect(report.waves.slice(1).map((w) => w.status)).toEqual(['not-started', 'not-started']);

    const canary = (await target.getObject('aws-canary-1', configRef)) as LiveConfig;
    expect(canary.spec.nodeSelector).toBeUndefined();
    expect(canary.metadata.annotations?.['regops.io/applied-commit']).toBe(released);
    expect(await conditionsOf('aws-canary-1')).toMatchObject({ Available: 'True', Progressing: 'False', Degraded: 'False' });
    expect(await ownedPartOf('prod-eu-1')).toEqual(prodBefore);
    // the values to restore were kept in the run's state before the canary was written
    const previous = await readdir(join(work, 'regops-state', 'runs'), { recursive: true });
    expect(previous.some((f) => f.endsWith('previous/aws-canary-1.json'))).toBe(true);

    // the text report says it per cluster
    const text = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '20s');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`aws-canary-1 +failed at health-gate: [\\s\\S]*?; rolled back to ${released.replace(/[^\w]/g, '.')}$`, 'm'));
    // the halted commit is not drift to correct
    expect(await regops('drift', ...kube, '--cluster', 'prod-eu-1')).toMatchObject({ code: 0 });
  }, timeoutFor(240_000));
});
