/**
 * Issue #10 item 8 through the real CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): --selector is a Kubernetes label
 * selector (`!=`, `in`, `notin`, exists), and a selector Kubernetes would refuse (`__proto__=x`, which
 * once selected every cluster) is a usage error, exit 1, before any cluster is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCliTarget, type CliTarget } from '../../support/cli-target.ts';

let target: CliTarget;
let kube: string[];

async function planned(...selector: string[]): Promise<{ code: number; clusters: string[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli('plan', ...kube, '-o', 'json', ...selector.flatMap((s) => ['--selector', s]));
  return { code, stderr, clusters: code === 1 ? [] : (JSON.parse(stdout) as { clusters: Array<{ cluster: string }> }).clusters.map((c) => c.cluster) };
}

beforeAll(async () => {
  target = await startCliTarget('selector');
  kube = ['--config', target.config, '--kubeconfig', target.kubeconfig];
});

afterAll(async () => {
  await target?.stop();
});

describe('--selector', () => {
  it.each([
    { selector: ['env!=prod'], clusters: ['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1'] },
    { selector: ['env in (lab,staging)', 'platform notin (aws)'], clusters: ['edge-vs-1', 'lab-bm-1'] },
    { selector: ['region'], clusters: ['aws-canary-1', 'aws-main-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1'] },
    { selector: ['!region'], clusters: ['edge-vs-1'] },
  ])('selects $selector as Kubernetes does', async ({ selector, clusters }) => {
    const result = await planned(...selector);
    expect(result.code, result.stderr).not.toBe(1);
    expect(result.clusters).toEqual(clusters);
  });

  it('refuses what Kubernetes refuses, before reading any cluster', async () => {
    const result = await planned('__proto__=x');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^regops: --selector __proto__=x: "__proto__" is not a label key/);
  });
});
