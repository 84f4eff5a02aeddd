import { describe, expect, it } from 'vitest';
import { checkFidelity, compareResults, findStale, renderFidelity } from '../../fidelity/differential/generate-fidelity.ts';
import { knownDifferences, type KnownDifference } from '../../fidelity/differential/known-differences.ts';
import type { Observation, ScenarioResult } from '../../fidelity/differential/run-scenario.ts';

// docs/fidelity.md generation (issue #11): differing fields become rows, explained by
// test/fidelity/differential/known-differences.ts or flagged unexplained.

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    config: {
      conditions: [
        { type: 'Available', status: 'True', reason: 'Ready', message: 'The registry is ready' },
        { type: 'StorageExists', status: 'True', reason: 'S3 Bucket Exists', message: '' },
      ],
      spec: { managementState: 'Managed', replicas: 2 },
      status: { storage: {}, storageManaged: true, readyReplicas: 2 },
    },
    clusterOperator: [],
    image: { internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000' },
    objects: { Route: 'not served' },
    deployment: 'absent',
    buckets: ['<infra>-image-registry-us-east-1'],
    ...overrides,
  };
}

function result(target: string, step: string, value: Observation): ScenarioResult {
  return { target, startedAt: '2026-12-04T00:00:00Z', steps: [{ step, cluster: 'diff-aws', description: 'd', settledMs: 1, observation: value }] };
}

describe('compareResults', () => {
  it('lists each differing field once, with the known reason or none', () => {
    const sandbox = result('sandbox', 'bootstrap-aws', observation());
    const testbed = result('testbed', 'bootstrap-aws', observation({ objects: { Route: [] }, buckets: [] }));
    const rows = compareResults(sandbox, testbed);
    expect(rows.map((row) => [row.path, row.sandbox, row.testbed])).toEqual([
      ['buckets', '<infra>-image-registry-us-east-1', '(none)'],
      ['objects.Route', 'not served', '(none)'],
    ]);
    expect(rows[0]?.reason).toBeUndefined();
    expect(rows[1]?.reason).toMatch(/^no route\.openshift\.io in the sandbox/);
  });

  it('a reason bound to other steps does not explain this one', () => {
    const base = observation();
    const other = observation({ config: { ...base.config, conditions: [base.config.conditions[0]!, { type: 'StorageExists', status: 'False', reason: 'InvalidAccessKeyId', message: 'x' }] } });
    expect(compareResults(result('sandbox', 'bad-storage-secret', other), result('testbed', 'bad-storage-secret', base))[0]?.reason).toMatch(/moto accepts any access key/);
    expect(compareResults(result('sandbox', 'bootstrap-aws', other), result('testbed', 'bootstrap-aws', base))[0]?.reason).toBeUndefined();
  });

  it('a condition the operator\'s status race drops is explained only while the testbed lacks it, not when it shows another status', () => {
    const base = observation();
    const withNodeCa = (status: string) => observation({ config: { ...base.config, conditions: [...base.config.conditions, { type: 'NodeCADaemonAvailable', status, reason: 'AsExpected', message: '' }] } });
    const absent = compareResults(result('sandbox', 'removed-to-managed', withNodeCa('True')), result('testbed', 'removed-to-managed', base));
    const row = absent.find((item) => item.path === 'config.conditions.NodeCADaemonAvailable');
    expect(row?.testbed).toBeUndefined();
    expect(row?.reason).toMatch(/^absent on the testbed through a race in the real operator/);
    const other = compareResults(result('sandbox', 'removed-to-managed', withNodeCa('True')), result('testbed', 'removed-to-managed', withNodeCa('False')));
    expect(other.map((item) => [item.path, item.testbed, item.reason])).toEqual([['config.conditions.NodeCADaemonAvailable', 'False/AsExpected', undefined]]);
  });

  it('a ClusterOperator row is explained by its joined message only while status and reason agree', () => {
    const co = (status: string, message: string) => observation({ clusterOperator: [{ type: 'Available', status, reason: 'Ready', message }] });
    const explained = compareResults(result('sandbox', 'bootstrap-aws', co('True', 'Available: a\nNodeCADaemonAvailable: b')), result('testbed', 'bootstrap-aws', co('True', 'Available: a')));
    expect(explained[0]?.reason).toMatch(/^the ClusterOperator message joins every member condition/);
    const other = compareResults(result('sandbox', 'bootstrap-aws', co('True', 'Available: a')), result('testbed', 'bootstrap-aws', co('False', 'Available: a')));
    expect(other.map((row) => [row.path, row.reason])).toEqual([['clusterOperator.Available', undefined]]);
  });

  it('the document says when the testbed has not run, and counts unexplained rows when it has', () => {
    const sandbox = result('sandbox', 'bootstrap-aws', observation());
    expect(renderFidelity(sandbox, undefined)).toContain('testbed run: **not available**');
    const doc = renderFidelity(sandbox, result('testbed', 'bootstrap-aws', observation({ buckets: [] })));
    expect(doc).toContain('1 differing fields, 1 unexplained.');
    expect(doc).toContain('| bootstrap-aws | `buckets` | <infra>-image-registry-us-east-1 | (none) | **unexplained** |');
  });
});

describe('the CI check (npm run fidelity:check)', () => {
  const raceTypes = knownDifferences.filter((entry) => entry.timing !== undefined).map((entry) => entry.path.replace('config.conditions.', ''));
  const withConditions = (types: string[]) => {
    const base = observation();
    return observation({ config: { ...base.config, conditions: [...base.config.conditions, ...types.map((type) => ({ type, status: 'False', reason: 'AsExpected', message: '' }))] } });
  };

  it('an explanation that explains no row is stale; one entry of a timing group explaining a row keeps the whole group', () => {
    const only: KnownDifference[] = [
      { path: 'buckets', reason: 'b' },
      { path: 'objects.Route', reason: 'r' },
      { path: 'config.conditions.A', testbedAbsent: true, timing: 'race', reason: 'x' },
      { path: 'config.conditions.B', testbedAbsent: true, timing: 'race', reason: 'x' },
    ];
    const sandbox = result('sandbox', 'bootstrap-aws', withConditions(['A', 'B']));
    const testbed = result('testbed', 'bootstrap-aws', withConditions(['B']));
    const rows = compareResults(sandbox, testbed, only);
    expect(rows.map((row) => [row.path, row.reason])).toEqual([
      ['config.conditions(order)', undefined],
      ['config.conditions.A', 'x'],
    ]);
    expect(findStale(rows, only).map((entry) => entry.path)).toEqual(['buckets', 'objects.Route']);
    // the race dropped nothing this run: the whole group is stale too
    expect(findStale(compareResults(sandbox, sandbox, only), only).map((entry) => entry.path)).toEqual(['buckets', 'objects.Route', 'config.conditions.A', 'config.conditions.B']);
  });

  it('fails on unexplained rows, stale entries and testbed-only steps, and prints the numbers', () => {
    expect(raceTypes.length).toBeGreaterThan(1);
    const sandbox = result('sandbox', 'bootstrap-aws', withConditions(raceTypes));
    const testbed: ScenarioResult = { ...result('testbed', 'bootstrap-aws', withConditions(raceTypes.slice(1))), finishedAt: '2026-12-04T00:08:05Z' };
    testbed.steps.push({ ...testbed.steps[0]!, step: 'extra' });
    const { lines, failures } = checkFidelity(sandbox, testbed);
    // used: the race group (one absence) and the condition order it changes
    const stale = knownDifferences.length - raceTypes.length - 1;
    expect(lines[0]).toBe('differential: sandbox 1 steps (time not recorded), testbed 2 steps (scenario 8 min 5 s)');
    expect(lines[1]).toBe(`differential: 2 differing fields, 2 explained, 0 unexplained; ${knownDifferences.length} known differences, ${stale} stale`);
    expect(lines.at(-1)).toBe('unexplained: step extra ran on the testbed only');
    expect(failures).toBe(stale + 1);
  });
});
