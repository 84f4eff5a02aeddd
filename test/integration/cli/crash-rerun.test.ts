/**
 * Issue #10 item 1, through the real CLI against the sandbox (test/support/cli-target.ts; it needs
 * the operator-timing capability, so the testbed target lists it as not run): `regops apply` is killed (SIGKILL, as
 * `kill -9`) while it waits at the health gate of a registry the operator is still rolling out; the
 * rollout run again finds nothing to write, yet must still wait at that gate and report the cluster
 * as gated, and the next wave must not start while the canary is Progressing.
 * The killed run is a child process (bin/regops.mjs, the installed entry point) so the kill is real.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { type CliTarget, itWhere, startCliTarget, targetCan, timeoutFor } from '../../support/cli-target.ts';

const operatorRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
// long enough that the rerun starts while the killed run's change is still rolling out
const progressingMs = 10_000;
let target: CliTarget | undefined;
let sandbox: NonNullable<CliTarget['sandbox']>;
let kube: string[];

function progressingOf(cluster: string): string | undefined {
  const operator = sandbox.getObject(cluster, operatorRef) as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
  return operator?.status?.conditions?.find((c) => c.type === 'Progressing')?.status;
}

/** Runs `regops ARGS` as a child and SIGKILLs it once its progress shows `pattern`; resolves with what it printed. */
function killWhen(args: string[], pattern: RegExp): Promise<{ stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/regops.mjs', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (pattern.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ stderr, signal });
    });
  });
}

beforeAll(async () => {
  // nothing here runs on a target without the operator-timing capability: start nothing there
  if (!targetCan('operator-timing')) return;
  target = await startCliTarget('crash', { progressingMs });
  if (target.sandbox === undefined) throw new Error('operator-timing needs the sandbox');
  sandbox = target.sandbox;
  kube = ['--config', target.config, '--kubeconfig', target.kubeconfig];
});

afterAll(async () => {
  await target?.stop();
});

describe('a rerun after regops was killed at the health gate', () => {
  itWhere(['operator-timing'], 'waits at the gate for the cluster it finds already written, and starts the next wave only after it', async () => {
    const killed = await killWhen(['apply', ...kube, '--cluster', 'aws-canary-1', '--timeout', '60s'], /aws-canary-1 +progressing/);
    expect(killed.signal).toBe('SIGKILL');
    expect(sandbox.stats().byCluster['aws-canary-1']?.writes).toBeGreaterThan(0);
    // the precondition of the bug: the writes landed and the operator is still rolling them out
    expect(progressingOf('aws-canary-1')).toBe('True');

    // when the next wave's cluster is first asked anything, the canary must be done progressing
    let canaryWhenMainStarted: string | undefined;
    const watch = setInterval(() => {
      if (canaryWhenMainStarted === undefined && (sandbox.stats().byCluster['aws-main-1']?.reads ?? 0) > 0) canaryWhenMainStarted = progressingOf('aws-canary-1');
    }, 5);
    const writesBefore = sandbox.stats().byCluster['aws-canary-1']?.writes;
    let rerun: { result: number; stdout: string; stderr: string };
    try {
      rerun = await captureOutput(() => runRegops(['rollout', ...kube, '--cluster', 'aws-canary-1', '--cluster', 'aws-main-1', '--bake', '0s', '--timeout', '60s', '-o', 'json']));
    } finally {
      clearInterval(watch);
    }
    expect(rerun.result).toBe(0);
    const report = JSON.parse(rerun.stdout) as { waves: Array<{ name: string; clusters: Array<{ cluster: string; outcome: string; healthGate?: { waitedMs: number }; conditions: Array<{ object: string; type: string; status: string }> }> }> };
    const canary = report.waves.find((w) => w.name === 'canary')?.clusters.find((c) => c.cluster === 'aws-canary-1');
    // nothing left to write, so unchanged, but gated: it waited for the operator and says so
    expect(canary?.outcome).toBe('unchanged');
    // how long depends on how loaded the machine is (the operator's 10 s began before the kill); that it
    // waited is what matters, and the progressing line below says it did
    expect(canary?.healthGate?.waitedMs).toBeGreaterThan(0);
    expect(canary?.conditions).toContainEqual(expect.objectContaining({ object: 'ClusterOperator/image-registry', type: 'Progressing', status: 'False' }));
    expect(rerun.stderr).toMatch(/^ {2}\[canary\] +aws-canary-1 +progressing +/m);
    expect(sandbox.stats().byCluster['aws-canary-1']?.writes).toBe(writesBefore);
    expect(canaryWhenMainStarted).toBe('False');
    expect(report.waves.find((w) => w.name === 'main')?.clusters[0]).toMatchObject({ cluster: 'aws-main-1', outcome: 'succeeded' });
  }, timeoutFor(120_000));
});
