import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../functions/core/model.ts';
import { formatDiagnostic, validateRepository } from '../../../functions/core/validate.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';

const now = new Date('2026-12-25T00:00:00Z');
const example = loadSnapshot(join(import.meta.dirname, '../../../config'), 'config/');

describe('validateRepository on config/ (the worked example)', () => {
  const result = validateRepository(example, { now });

  it('has no errors and no warnings', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('renders all six clusters in name order', () => {
    expect(result.clusters.map((c) => c.cluster)).toEqual(['aws-canary-1', 'aws-main-1', 'edge-vs-1', 'lab-bm-1', 'prod-eu-1', 'prod-us-1']);
    expect(result.fleet?.waves.map((w) => w.name)).toEqual(['canary', 'main', 'prod']);
  });

  it('exercises every feature the example promises', () => {
    const byName = new Map(result.clusters.map((c) => [c.cluster, c]));
    const spec = (name: string) => byName.get(name)?.objects.find((o) => o.ref.kind === 'Config')?.body['spec'] as Record<string, unknown>;
    expect(byName.get('aws-canary-1')?.bucket).toBeUndefined();
    expect(spec('lab-bm-1')).toMatchObject({ managementState: 'Managed', replicas: 2, rolloutStrategy: 'RollingUpdate', storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-registry-lab-bm-1' } } });
    expect(byName.get('lab-bm-1')?.bucket?.name).toBe('acme-registry-lab-bm-1');
    expect(byName.get('lab-bm-1')?.labels['platform']).toBe('baremetal');
    expect(spec('edge-vs-1')).toMatchObject({ replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'registry-storage' } } });
    expect(byName.get('edge-vs-1')?.pvcAccessMode).toBe('ReadWriteOnce');
    expect(spec('prod-us-1')).toMatchObject({ replicas: 3, routes: [{ name: 'public-registry' }] });
    expect(byName.get('prod-us-1')?.policy).toBe('enforce');
    expect(byName.get('aws-main-1')?.policy).toBe('inform');
    const pruner = byName.get('prod-eu-1')?.objects.find((o) => o.ref.kind === 'ImagePruner')?.body['spec'] as Record<string, unknown>;
    expect(pruner['schedule']).toBe('0 3 * * *');
    const configMap = byName.get('prod-eu-1')?.objects[0];
    expect(configMap?.ref.kind).toBe('ConfigMap');
    expect(Object.keys((configMap?.body['data'] ?? {}) as object)).toEqual(['mirror.acme.internal..5000']);
    for (const c of result.clusters) expect(c.objects.map((o) => o.ref.kind).indexOf('ConfigMap')).toBeLessThanOrEqual(0);
  });
});

describe('validateRepository', () => {
  const withFile = (path: string, content: string): ConfigSnapshot => ({
    commit: 't', files: [...example.files.filter((f) => f.path !== path), { path, content }],
  });

  it('sorts diagnostics by file, line, col', () => {
    const broken = withFile('config/base/registry.yaml', 'spec:\n  logLevel: Loud\n  replica: 2\n  httpSecret: abc\n');
    const { diagnostics } = validateRepository(broken, { now });
    const order = diagnostics.map((d) => [d.file, d.line, d.col]);
    const sorted = [...order].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]));
    expect(order).toEqual(sorted);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['schema.enum', 2], ['schema.unknown-field', 3], ['registry.http-secret-literal', 4]]);
  });

  it('reports a YAML syntax error once, even in fleet.yaml', () => {
    const { diagnostics, fleet } = validateRepository(withFile('config/fleet.yaml', 'spec:\n  clusters: [\n'), { now });
    expect(diagnostics.filter((d) => d.code === 'yaml.syntax').map((d) => d.file)).toEqual(['config/fleet.yaml']);
    expect(fleet?.clusters).toEqual([]);
  });

  it('formats a diagnostic as FILE:LINE:COL: severity code: message (hint: …)', () => {
    expect(formatDiagnostic({ code: 'registry.replicas-shared-storage', severity: 'error', file: 'config/clusters/x/registry.yaml', line: 12, col: 5, message: 'too many replicas', hint: 'use s3' }))
      .toBe('config/clusters/x/registry.yaml:12:5: error registry.replicas-shared-storage: too many replicas (hint: use s3)');
  });
});
