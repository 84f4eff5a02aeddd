import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../../functions/sandbox/object-store.ts';
import { findResource } from '../../../functions/sandbox/resource-catalog.ts';
import { renderAge, renderTable, wantsTable } from '../../../functions/sandbox/table-output.ts';

const now = Date.parse('2026-11-25T12:00:00Z');

describe('renderAge (HumanDuration)', () => {
  it.each([
    [5, '5s'],
    [119, '119s'],
    [150, '2m30s'],
    [600, '10m'],
    [3 * 3600, '3h'],
    [3 * 3600 + 120, '3h2m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 3600, '3d1h'],
    [30 * 86400, '30d'],
    [3 * 365 * 86400 + 86400, '3y1d'],
  ])('%s seconds → %s', (seconds, expected) => {
    expect(renderAge(new Date(now - seconds * 1000).toISOString(), now)).toBe(expected);
  });
});

describe('renderTable', () => {
  it('is asked for by kubectl get without -o', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
  });

  it("uses the ClusterOperator CRD's printer columns", () => {
    const info = findResource('config.openshift.io/v1', 'clusteroperators');
    if (info === undefined) throw new Error('no clusteroperators');
    const object = {
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterOperator',
      metadata: { name: 'image-registry', creationTimestamp: '2026-11-25T11:00:00Z' },
      status: {
        versions: [{ name: 'operator', version: '4.19.0' }],
        conditions: [
          { type: 'Available', status: 'True', lastTransitionTime: '2026-11-25T11:59:00Z' },
          { type: 'Progressing', status: 'False', lastTransitionTime: '2026-11-25T11:00:00Z' },
          { type: 'Degraded', status: 'False', lastTransitionTime: '2026-11-25T11:00:00Z' },
        ],
      },
    };
    const stored: StoredObject = { info, object, json: JSON.stringify(object) };
    const table = JSON.parse(renderTable(info, [stored], '7', now)) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((column) => column.name)).toEqual(['Name', 'Version', 'Available', 'Progressing', 'Degraded', 'Since']);
    expect(table.rows[0]?.cells).toEqual(['image-registry', '4.19.0', 'True', 'False', 'False', '60s']);
  });
});
