/**
 * Issue #13 item 2 through the real CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): a wave with `approval: required` stops
 * the rollout before it (earlier waves go on) and says how to approve; `regops rollout --approve WAVE
 * --from-wave WAVE --approver NAME` runs it and the report says who approved and when.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

let target: CliTarget;
let work: string;
let kube: string[];

const regops = runCli;

beforeAll(async () => {
  target = await startCliTarget('approval');
  work = target.work;
  const config = join(work, 'config');
  await cp(target.config, config, { recursive: true });
  const fleet = await readFile(join(config, 'fleet.yaml'), 'utf8');
  await writeFile(join(config, 'fleet.yaml'), fleet.replace(/(- name: prod\n\s+selector: \{wave: prod\}\n)/, '$1      approval: required\n'));
  expect(await readFile(join(config, 'fleet.yaml'), 'utf8')).toContain('approval: required');
  kube = ['--config', config, '--kubeconfig', target.kubeconfig, '--bake', '0s', '--timeout', '300s'];
}, timeoutFor(60_000));

afterAll(async () => {
  await target?.stop();
});

describe('approval gates', () => {
  it('stops before a wave that needs approval, then runs it once approved, recording who and when', async () => {
    const held = await regops('rollout', ...kube);
    expect(held.code).toBe(1);
    expect(held.stdout).toMatch(/Wave main: succeeded/);
    expect(held.stdout).toContain('wave prod needs approval (approval: required); after review run: regops rollout --approve prod --from-wave prod');
    const config = async (cluster: string) => (await target.getObject(cluster, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' })) as { spec: { replicas?: number } };
    expect((await config('prod-eu-1')).spec.replicas).not.toBe(3);

    const approved = await regops('rollout', ...kube, '--approve', 'prod', '--from-wave', 'prod', '--approver', 'alice@acme', '-o', 'json');
    expect(approved.code, approved.stderr).toBe(0);
    const report = JSON.parse(approved.stdout) as { waves: Array<{ name: string; status: string; approvedBy?: { by: string; at: string } }> };
    const prod = report.waves.find((w) => w.name === 'prod');
    expect(prod).toMatchObject({ status: 'succeeded', approvedBy: { by: 'alice@acme' } });
    expect(Date.parse(prod?.approvedBy?.at ?? '')).not.toBeNaN();
    expect((await config('prod-eu-1')).spec.replicas).toBe(3);
  }, timeoutFor(180_000));

  it('apply refuses --approve (it has no waves)', async () => {
    expect(await regops('apply', '--config', target.config, '--kubeconfig', target.kubeconfig, '--cluster', 'prod-eu-1', '--approve', 'prod')).toMatchObject({ code: 1 });
  });
});
