import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../../functions/core/report/plan-text.ts';
import { buildPlanReport } from '../../../../functions/core/build-plan-report.ts';
import { planCluster } from '../../../../functions/core/plan.ts';
import { configRef, desiredCluster, desiredObject, liveCluster, loadLive } from '../support/plan-inputs.ts';
import { oldSecretDigest, samplePlanReport, secretDigest } from '../support/sample-reports.ts';

const ansi = /\x1b\[[0-9;]*m/;

describe('renderPlanText', () => {
  const report = samplePlanReport();
  const text = renderPlanText(report);

  it('prints one line per step (Flux change set) and the Terraform summary per cluster', () => {
    const lines = text.split('\n');
    expect(lines).toContain('  Secret/openshift-image-registry/image-registry-private-configuration-user configured');
    expect(lines).toContain('  ConfigMap/openshift-config/registry-cas created');
    expect(lines).toContain('  Config/cluster configured');
    expect(lines).toContain('  HealthGate/image-registry waits until healthy');
    expect(lines).toContain('Plan: 1 to add, 2 to change, 0 to prune.');
    expect(lines).toContain('No changes.');
    expect(lines).toContain('  error at connect: cluster.unreachable: cluster bm-1: connect ECONNREFUSED 10.0.0.1:6443');
  });

  it('shows a unified diff per changed object, with where Git set the field', () => {
    const lines = text.split('\n');
    const start = lines.indexOf('--- live/Config/cluster');
    expect(lines.slice(start, start + 5)).toEqual([
      '--- live/Config/cluster',
      '+++ git/Config/cluster',
      '@@ spec.replicas (change) clusters/prod-eu-1/registry.yaml:5:3 @@',
      '-spec.replicas: 2',
      '+spec.replicas: 3',
    ]);
    const created = lines.indexOf('--- /dev/null');
    expect(lines.slice(created, created + 4)).toEqual(['--- /dev/null', '+++ git/ConfigMap/openshift-config/registry-cas', '@@ new ConfigMap/openshift-config/registry-cas @@', '+data["registry.example.com..5000"]: |']);
    expect(lines).toContain('+  -----BEGIN CERTIFICATE-----');
  });

  it('clusters in name order', () => {
    const order = ['Cluster bm-1', 'Cluster lab-1', 'Cluster prod-eu-1'].map((heading) => text.indexOf(heading));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows secrets as short digests only', () => {
    expect(text).toContain(`+data.REGISTRY_STORAGE_S3_SECRETKEY: "sha256:${secretDigest.slice(7, 19)}…"`);
    expect(text).not.toContain(secretDigest);
    expect(text).not.toContain(oldSecretDigest);
  });

  it('uses ANSI colours only when asked', () => {
    expect(text).not.toMatch(ansi);
    const colored = renderPlanText(report, { color: true });
    expect(colored).toContain('\x1b[31m-spec.replicas: 2\x1b[0m');
    expect(colored).toContain('\x1b[32m+spec.replicas: 3\x1b[0m');
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('ends with the fleet totals', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 clusters, 1 with changes, 1 with errors. Total: 1 to add, 2 to change, 0 to prune, 1 unchanged, 0 skipped.');
  });

  it('a cluster blocked by errors: skipped steps with the reason, the finding with where and what to do', () => {
    const blocked = planCluster(
      desiredCluster({ objects: [desiredObject(configRef, { spec: { managementState: 'Removed' } }, ['spec.managementState'])] }),
      liveCluster([loadLive('aws-config-bootstrapped')]),
      { commit: 'abc' },
    );
    const out = renderPlanText(buildPlanReport('abc', 't', [blocked])).split('\n');
    expect(out).toContain('  Config/cluster skipped: not applied: the plan has errors (plan.destructive-remove)');
    expect(out).toContain('error plan.destructive-remove clusters/prod-eu-1/registry.yaml:5:3: cluster prod-eu-1: Config/cluster: managementState changes from Managed to Removed');
    expect(out.some((line) => line.startsWith('  hint: Removed deletes the registry') && line.includes('`regops.io/allow: remove`'))).toBe(true);
    expect(out).toContain('Blocked by 1 error: nothing is applied (1 step skipped).');
    expect(out).not.toContain('  HealthGate/image-registry waits until healthy');
  });

  it('is deterministic', () => {
    expect(renderPlanText(samplePlanReport())).toBe(text);
  });
});
