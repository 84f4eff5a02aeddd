/**
 * Issue #13 item 2 through the real CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): a wave with `approval: required` stops
 * the rollout before it (earlier waves go on) and says how to approve; `regops rollout --approve WAVE
 * --from-wave WAVE --approver NAME` runs it and the report says who approved and when, also when the
 * approved wave is then held by its change window.
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

  it('a wave approved on the command line and then held by its change window keeps who approved it, in text, Markdown and JSON', async () => {
    // the same config with a deny window over prod that is always open (every hour, for an hour)
    const windowed = join(work, 'config-windowed');
    await cp(join(work, 'config'), windowed, { recursive: true });
    const fleet = await readFile(join(windowed, 'fleet.yaml'), 'utf8');
    await writeFile(join(windowed, 'fleet.yaml'), `${fleet}  windows:\n    - {kind: deny, schedule: "@hourly", duration: 1h, waves: [prod]}\n`);
    const args = ['rollout', '--config', windowed, '--kubeconfig', target.kubeconfig, '--bake', '0s', '--timeout', '300s', '--approve', 'prod', '--from-wave', 'prod', '--approver', 'bob@acme'];
    const gate = /Wave prod: not-started \([^)]*\), approved by bob@acme at \d{4}-\d\d-\d\d \d\d:\d\d UTC, then held by a change window: deny window "@hourly" \(UTC, 1h\) is open until \S+; the wave may start at \d{4}-\d\d-\d\d \d\d:00 UTC\n/;
    const text = await regops(...args);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(gate);
    const markdown = await regops(...args, '-o', 'markdown');
    expect(markdown.stdout).toMatch(/approved by bob@acme at \d{4}-\d\d-\d\d \d\d:\d\d UTC, then held by a change window: deny window "@hourly"/);
    const json = await regops(...args, '-o', 'json');
    const report = JSON.parse(json.stdout) as { halted?: { wave: string }; waves: Array<{ name: string; status: string; approvedBy?: { by: string; at: string }; held?: { kind: string } }> };
    expect(report.halted?.wave).toBe('prod');
    const prod = report.waves.find((w) => w.name === 'prod');
    expect(prod).toMatchObject({ status: 'not-started', held: { kind: 'window' }, approvedBy: { by: 'bob@acme' } });
    expect(Date.parse(prod?.approvedBy?.at ?? '')).not.toBeNaN();
  }, timeoutFor(120_000));

  it('apply refuses --approve (it has no waves)', async () => {
    expect(await regops('apply', '--config', target.config, '--kubeconfig', target.kubeconfig, '--cluster', 'prod-eu-1', '--approve', 'prod')).toMatchObject({ code: 1 });
  });
});
