/**
 * Issue 13 item 1 through the real `regops` CLI against the sandbox: a commit adds a nodeSelector
 * that matches no node, so the canary's registry stays Progressing (the sandbox's simulated
 * scheduler: functions/sandbox/simulated-scheduler.ts); `regops rollout --timeout 20s` halts at the
 * canary, and with `rollback: automatic` on the wave the canary is back at its previous owned values
 * and healthy, the report says "rolled back to <commit>", and later waves are untouched.
 */
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { captureOutput } from '../../support/capture-output.ts';

const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
const operatorRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
let sandbox: Sandbox;
let work: string;
let config: string;
let kube: string[];

async function regops(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code, stdout, stderr };
}

type LiveConfig = { metadata: { annotations?: Record<string, string> }; spec: { nodeSelector?: Record<string, string>; logLevel?: string } };

function conditionsOf(cluster: string): Record<string, string> {
  const operator = sandbox.getObject(cluster, operatorRef) as { status?: { conditions?: Array<{ type: string; status: string }> } };
  return Object.fromEntries((operator.status?.conditions ?? []).map((c) => [c.type, c.status]));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regops-rollback-'));
  config = join(work, 'config');
  await cp('config', config, { recursive: true });
  const fleet = join(config, 'fleet.yaml');
  // the canary wave restores what it changed when it fails
  await writeFile(fleet, (await readFile(fleet, 'utf8')).replace('      bakeTime: 30s\n', '      bakeTime: 30s\n      rollback: automatic\n'));
  sandbox = await startSandbox({ fleetFile: fleet, kubeconfigPath: join(work, 'kubeconfig'), progressingMs: 50 });
  const caFile = join(work, 'ca.pem');
  await writeFile(caFile, sandbox.caPem);
  Object.assign(process.env, { REGOPS_CA_FILE: caFile, AWS_ENDPOINT_URL: sandbox.aws.endpoint, AWS_REGION: sandbox.aws.region, AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  delete process.env['REGOPS_STATE_DIR'];
  delete process.env['REGOPS_STATE_BUCKET'];
  // the AWS clusters: aws-canary-1 is the canary wave, then aws-main-1, then prod
  kube = ['--config', config, '--kubeconfig', join(work, 'kubeconfig'), '--selector', 'platform=aws'];
});

afterAll(async () => {
  await sandbox.stop();
});

describe('rollback: automatic', () => {
  it('a canary that stays Progressing is restored to its previous values and healthy; later waves untouched', async () => {
    const first = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '60s', '-o', 'json');
    expect(first.code).toBe(0);
    const released = (JSON.parse(first.stdout) as { commit: string }).commit;
    const prodBefore = structuredClone(sandbox.getObject('prod-eu-1', configRef));

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

    const canary = sandbox.getObject('aws-canary-1', configRef) as LiveConfig;
    expect(canary.spec.nodeSelector).toBeUndefined();
    expect(canary.metadata.annotations?.['regops.io/applied-commit']).toBe(released);
    expect(conditionsOf('aws-canary-1')).toMatchObject({ Available: 'True', Progressing: 'False', Degraded: 'False' });
    expect(sandbox.getObject('prod-eu-1', configRef)).toEqual(prodBefore);
    // the values to restore were kept in the run's state before the canary was written
    const previous = await readdir(join(work, 'regops-state', 'runs'), { recursive: true });
    expect(previous.some((f) => f.endsWith('previous/aws-canary-1.json'))).toBe(true);

    // the text report says it per cluster
    const text = await regops('rollout', ...kube, '--bake', '0s', '--timeout', '20s');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`aws-canary-1 +failed at health-gate: [\\s\\S]*?; rolled back to ${released.replace(/[^\w]/g, '.')}$`, 'm'));
    // the halted commit is not drift to correct
    expect(await regops('drift', ...kube, '--cluster', 'prod-eu-1')).toMatchObject({ code: 0 });
  }, 240_000);
});
