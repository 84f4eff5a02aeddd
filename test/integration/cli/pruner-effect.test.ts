/**
 * Issue #13 item 6 through the real CLI against the target REGOPS_TEST_TARGET names
 * (test/support/cli-target.ts): `regops plan` says per cluster whether
 * the image pruner will prune the registry, from the live images.config
 * status.internalRegistryHostname the plan reads and the registry's managementState after apply
 * (docs/registry-operator-facts.md §7: `--prune-registry` follows the hostname, which empties when the registry
 * is Removed). The sandbox's operator empties the hostname for a Removed registry (lab-bm-1 boots
 * Removed, as bare metal does) and sets it for a Managed one.
 */
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport, PlanReport } from '../../../functions/core/model.ts';
import { PRUNER_REGISTRY_REMOVED } from '../../../functions/core/describe-pruner-effect.ts';
import { type CliTarget, runCli, startCliTarget, timeoutFor } from '../../support/cli-target.ts';

let target: CliTarget;
let work: string;
let kubeconfig: string;
let config: string;
let removed: string;

beforeAll(async () => {
  target = await startCliTarget('pruner');
  ({ work, kubeconfig, config } = target);
  // the same fleet, but Git keeps lab-bm-1's registry Removed (it has no storage yet)
  removed = join(work, 'config');
  await cp(config, removed, { recursive: true });
  await writeFile(join(removed, 'clusters/lab-bm-1/registry.yaml'), 'metadata:\n  annotations:\n    regops.io/allow: remove\nspec:\n  managementState: Removed\n');
}, timeoutFor(60_000));

afterAll(async () => {
  await target?.stop();
});

function clusterBlock(stdout: string, cluster: string): string {
  const start = stdout.indexOf(`Cluster ${cluster}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = stdout.indexOf('\n\n', start);
  return stdout.slice(start, end);
}

describe('plan shows the pruner effect per cluster', () => {
  it('text: a Managed registry is pruned; one Git switches from Removed to Managed will be once its Service exists', async () => {
    const plan = await runCli('plan', '--config', config, '--kubeconfig', kubeconfig);
    expect(plan.code).toBe(2);
    expect(clusterBlock(plan.stdout, 'aws-canary-1')).toContain('  pruner: prunes the registry (images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000)');
    expect(clusterBlock(plan.stdout, 'lab-bm-1')).toContain("  pruner: prunes the registry (images.config status.internalRegistryHostname is empty now; the operator sets it once the Managed registry's Service exists");
  });

  it('text, JSON and Markdown: a registry Git keeps Removed is not pruned, and validate warns about the scheduled pruner', async () => {
    const text = await runCli('plan', '--config', removed, '--kubeconfig', kubeconfig, '--cluster', 'lab-bm-1');
    expect(clusterBlock(text.stdout, 'lab-bm-1')).toContain('  pruner will not prune the registry: images.config status.internalRegistryHostname is empty (registry Removed)');
    const json = await runCli('plan', '--config', removed, '--kubeconfig', kubeconfig, '-o', 'json');
    const report = JSON.parse(json.stdout) as PlanReport;
    const byName = new Map(report.clusters.map((plan) => [plan.cluster, plan.pruner]));
    expect(byName.get('lab-bm-1')?.prunesRegistry).toBe(false);
    expect(byName.get('aws-canary-1')).toEqual({ prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' });
    const markdown = await runCli('plan', '--config', removed, '--kubeconfig', kubeconfig, '-o', 'markdown');
    expect(markdown.stdout).toMatch(/\| `lab-bm-1` \|[^\n]*\| will not prune the registry \|/);
    expect(markdown.stdout).toMatch(/\| `aws-canary-1` \|[^\n]*\| prunes the registry \|/);
    const validate = await runCli('validate', '--config', removed);
    expect(`${validate.stdout}${validate.stderr}`).toContain('pruner.registry-removed');
  });
});

describe('drift shows the pruner effect per cluster, and warns when Git schedules a pruner whose registry is Removed', () => {
  it('JSON carries it for every cluster it read; text names the warning, in validate\'s words', async () => {
    // lab-bm-1 is Removed live and in this Git, and Git renders its pruner (not suspended)
    const json = await runCli('drift', '--config', removed, '--kubeconfig', kubeconfig, '--no-enforce', '-o', 'json');
    const report = JSON.parse(json.stdout) as DriftReport;
    const byName = new Map(report.clusters.map((drift) => [drift.cluster, drift.pruner]));
    const warning = `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}`;
    expect(byName.get('lab-bm-1')).toEqual({ prunesRegistry: false, reason: 'images.config status.internalRegistryHostname is empty (registry Removed): it runs with --prune-registry=false and prunes image metadata only', warning });
    expect(byName.get('aws-canary-1')).toEqual({ prunesRegistry: true, reason: 'images.config status.internalRegistryHostname is image-registry.openshift-image-registry.svc:5000' });
    expect(report.clusters.every((drift) => drift.pruner !== undefined)).toBe(true);
    const text = await runCli('drift', '--config', removed, '--kubeconfig', kubeconfig, '--no-enforce');
    expect(text.stdout).toContain(`\n  pruner will not prune the registry: images.config status.internalRegistryHostname is empty (registry Removed): it runs with --prune-registry=false and prunes image metadata only; WARNING: ${warning}\n`);
    expect(text.stdout.match(/WARNING/g)).toHaveLength(1);
    const validate = await runCli('validate', '--config', removed);
    expect(`${validate.stdout}${validate.stderr}`).toContain(PRUNER_REGISTRY_REMOVED.message);
  });
});
