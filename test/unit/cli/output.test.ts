import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../../functions/core/parse-label-selector.ts';
import type { DriftReport } from '../../../functions/core/model.ts';
import { formatReport, noteEmptySelection } from '../../../functions/cli/output.ts';

const report: DriftReport = {
  apiVersion: 'regops/v1', kind: 'DriftReport', commit: 'abc123', generatedAt: '2026-11-25T06:00:00.000Z', durationMs: 900,
  clusters: [{ cluster: 'prod-1', labels: {}, policy: 'inform', state: 'drifted', resources: [{ target: { type: 'object', ref: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' } }, changes: [{ path: 'spec.replicas', op: 'change', before: 1, after: 3 }] }], conditions: [] }],
  summary: { 'in-sync': 0, drifted: 1, unreachable: 0, unmanaged: 0, degraded: 0, clusters: 1, driftedFields: 1, corrected: 0 },
};

describe('formatReport', () => {
  it.each([
    ['json', (text: string) => expect(JSON.parse(text)).toMatchObject({ apiVersion: 'regops/v1', kind: 'DriftReport' })],
    ['markdown', (text: string) => expect(text).toMatch(/^### regops drift/)],
    ['text', (text: string) => expect(text).toContain('spec.replicas')],
  ] as const)('%s', (format, check) => {
    const text = formatReport(report, format, false);
    check(text);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\u001b[');
  });
});

describe('noteEmptySelection', () => {
  function note(clusters: number, names: string[], selector: string): string {
    let text = '';
    const requirements = selector === '' ? [] : parseLabelSelector(selector);
    noteEmptySelection(clusters, { names, selector: {}, requirements }, { write: (chunk: string) => { text += chunk; } });
    return text;
  }

  it.each([
    { name: 'a selector nothing matches says so', clusters: 0, names: [], selector: 'env=prdo', expected: 'regops: no cluster in fleet.yaml matches env=prdo; nothing to do (labels are set per cluster in fleet.yaml)\n' },
    { name: 'with names too', clusters: 0, names: ['a'], selector: 'env=prod,region notin (eu,us)', expected: 'regops: no cluster in fleet.yaml matches env=prod,region notin (eu,us) among a; nothing to do (labels are set per cluster in fleet.yaml)\n' },
    { name: 'clusters matched: silent', clusters: 2, names: [], selector: 'env=prod', expected: '' },
    { name: 'no selector (an empty fleet is not a typo): silent', clusters: 0, names: [], selector: '', expected: '' },
  ])('$name', ({ clusters, names, selector, expected }) => {
    expect(note(clusters, names, selector)).toBe(expected);
  });
});
