import { describe, expect, it } from 'vitest';
import { groupsFor, matchesSelector, parseFleet, resolvePolicy } from '../../../functions/core/fleet.ts';
import type { Fleet } from '../../../functions/core/model.ts';
import { planWaves } from '../../../functions/core/waves.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

const header = 'apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n';

function read(specText: string) {
  return parseFleet(parseYamlSource('fleet.yaml', header + specText));
}

describe('parseFleet', () => {
  const good = read([
    '  clusters:',
    '    - name: a',
    '      labels: {env: prod, wave: one, tier: 1}',
    '    - name: b',
    '      labels: {env: dev, wave: two}',
    '      connection: {context: ctx-b, secretId: regops/clusters/b}',
    '  groups:',
    '    - {name: prod, selector: {env: prod}}',
    '    - {name: all, selector: {}}',
    '  waves:',
    '    - {name: one, selector: {wave: one}, maxConcurrency: 2, maxFailures: 1, bakeTime: 1h30m}',
    '    - {name: two, selector: {wave: two}}',
    '  policy:',
    '    default: inform',
    '    overrides:',
    '      - {group: prod, policy: enforce}',
    '',
  ].join('\n'));

  it('reads clusters, groups, waves and policy', () => {
    expect(good.diagnostics).toEqual([]);
    expect(good.fleet.clusters).toEqual([
      { name: 'a', labels: { env: 'prod', wave: 'one', tier: '1' }, connection: { context: 'a' } },
      { name: 'b', labels: { env: 'dev', wave: 'two' }, connection: { context: 'ctx-b', secretId: 'regops/clusters/b' } },
    ]);
    expect(good.fleet.waves).toEqual([
      { name: 'one', selector: { wave: 'one' }, maxConcurrency: 2, maxFailures: 1, bakeSeconds: 5400 },
      { name: 'two', selector: { wave: 'two' }, maxConcurrency: 1, maxFailures: 0, bakeSeconds: 0 },
    ]);
    expect(good.fleet.defaultPolicy).toBe('inform');
  });

  it('resolves groups in fleet order and the policy by most specific override', () => {
    const [a, b] = good.fleet.clusters;
    if (a === undefined || b === undefined) throw new Error('clusters missing');
    expect(groupsFor(good.fleet, a)).toEqual(['prod', 'all']);
    expect(groupsFor(good.fleet, b)).toEqual(['all']);
    expect(resolvePolicy(good.fleet, a)).toBe('enforce');
    expect(resolvePolicy(good.fleet, b)).toBe('inform');
    const withClusterOverride: Fleet = { ...good.fleet, policies: [...good.fleet.policies, { cluster: 'a', policy: 'inform' }] };
    expect(resolvePolicy(withClusterOverride, a)).toBe('inform');
    const lastGroupWins: Fleet = { ...good.fleet, policies: [{ group: 'prod', policy: 'enforce' }, { group: 'all', policy: 'inform' }] };
    expect(resolvePolicy(lastGroupWins, a)).toBe('inform');
  });

  it.each([
    { name: 'empty selector matches everything', labels: { a: '1' }, selector: {}, expected: true },
    { name: 'all keys must match', labels: { a: '1', b: '2' }, selector: { a: '1', b: '2' }, expected: true },
    { name: 'a differing value does not match', labels: { a: '1' }, selector: { a: '2' }, expected: false },
    { name: 'a missing label does not match', labels: {}, selector: { a: '1' }, expected: false },
  ])('matchesSelector: $name', ({ labels, selector, expected }) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });

  it.each([
    { name: 'unknown field with suggestion', text: '  clusters:\n    - name: a\n      lables: {x: y}\n', code: 'fleet.unknown-field', line: 7, col: 7, message: 'did you mean "labels"' },
    { name: 'duplicate cluster', text: '  clusters:\n    - name: a\n    - name: a\n', code: 'fleet.duplicate-cluster', line: 7, col: 7, message: 'listed twice' },
    { name: 'cluster name not a DNS label', text: '  clusters:\n    - name: Prod_1\n', code: 'fleet.cluster-name', line: 6, col: 7, message: 'DNS label' },
    { name: 'bad bake time', text: '  clusters: [{name: a}]\n  waves:\n    - {name: w, selector: {}, bakeTime: 5 minutes}\n', code: 'fleet.duration', line: 7, col: 31, message: 'not a duration' },
    { name: 'bake time of 1500ms (Step Functions Wait takes whole seconds)', text: '  clusters: [{name: a}]\n  waves:\n    - {name: w, selector: {}, bakeTime: 1500ms}\n', code: 'fleet.duration', line: 7, col: 31, message: '"1500ms" is not a whole number of seconds (1.5 s)' },
    { name: 'unknown wave rollback', text: '  clusters: [{name: a}]\n  waves:\n    - {name: w, selector: {}, rollback: sometimes}\n', code: 'fleet.wave-rollback', line: 7, col: 31, message: '"sometimes" is not automatic or none' },
    { name: 'bake time of 1m0.5s', text: '  clusters: [{name: a}]\n  waves:\n    - {name: w, selector: {}, bakeTime: 1m0.5s}\n', code: 'fleet.duration', line: 7, col: 31, message: 'not a whole number of seconds (60.5 s)' },
    { name: 'zero concurrency', text: '  clusters: [{name: a}]\n  waves:\n    - {name: w, selector: {}, maxConcurrency: 0}\n', code: 'fleet.wave-concurrency', line: 7, col: 31, message: '>= 1' },
    { name: 'unknown policy', text: '  policy: {default: enforced}\n', code: 'fleet.policy', line: 5, col: 12, message: 'did you mean "enforce"' },
    { name: 'unknown group in override', text: '  groups: [{name: prod, selector: {}}]\n  policy:\n    overrides: [{group: prd, policy: enforce}]\n', code: 'fleet.unknown-reference', line: 7, col: 18, message: 'did you mean "prod"' },
  ])('reports $name', ({ text, code, line, col, message }) => {
    const result = read(text);
    const hit = result.diagnostics.find((d) => d.code === code);
    expect(hit, JSON.stringify(result.diagnostics)).toMatchObject({ file: 'fleet.yaml', line, col, severity: 'error' });
    expect(hit?.message).toContain(message);
  });

  it('warns about a cluster in no wave and a selector that matches nothing', () => {
    const result = read('  clusters: [{name: a, labels: {wave: x}}]\n  groups: [{name: g, selector: {env: none}}]\n  waves: [{name: w, selector: {wave: y}}]\n');
    expect(result.diagnostics.map((d) => [d.code, d.severity]).sort()).toEqual([
      ['fleet.cluster-without-wave', 'warning'],
      ['fleet.selector-matches-nothing', 'warning'],
      ['fleet.selector-matches-nothing', 'warning'],
    ]);
  });

  it('reads a wave\'s rollback (automatic | none); the wave plan carries automatic only', () => {
    const result = read('  clusters: [{name: a, labels: {w: one}}, {name: b, labels: {w: two}}]\n  waves:\n    - {name: one, selector: {w: one}, rollback: automatic}\n    - {name: two, selector: {w: two}, rollback: none}\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.fleet.waves.map((w) => [w.name, w.rollback])).toEqual([['one', 'automatic'], ['two', 'none']]);
    expect(planWaves(result.fleet, ['a', 'b']).waves.map((w) => [w.name, w.rollback])).toEqual([['one', 'automatic'], ['two', undefined]]);
  });

  it('reports a wrong kind and apiVersion', () => {
    const result = parseFleet(parseYamlSource('fleet.yaml', 'apiVersion: v1\nkind: Fleets\nspec: {}\n'));
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['fleet.api-version', 1], ['fleet.kind', 2]]);
  });
});

describe('parseFleet: spec.pullRequests and spec.storage', () => {
  const cluster = '  clusters:\n    - {name: a}\n  waves:\n    - {name: all, selector: {}}\n';
  it.each([
    { name: 'absent: not set (forks are not planned)', text: '', forks: undefined },
    { name: 'forks: plan', text: '  pullRequests: {forks: plan}\n', forks: 'plan' },
    { name: 'forks: ignore', text: '  pullRequests: {forks: ignore}\n', forks: 'ignore' },
  ])('$name', ({ text, forks }) => {
    const parsed = read(cluster + text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.pullRequests).toEqual(forks === undefined ? undefined : { forks });
  });

  it.each([
    { name: 'a boolean forks value', text: '  pullRequests: {forks: true}\n', code: 'fleet.type', line: 9 },
    { name: 'a misspelt forks value', text: '  pullRequests: {forks: plna}\n', code: 'fleet.pull-requests', line: 9 },
    { name: 'an unknown pullRequests field', text: '  pullRequests: {fork: plan}\n', code: 'fleet.unknown-field', line: 9 },
    { name: 'a URL where a host belongs', text: '  storage:\n    s3EndpointHosts: ["https://minio.example.com"]\n', code: 'fleet.endpoint-host', line: 10 },
    { name: 'a host list that is a string', text: '  storage:\n    s3EndpointHosts: minio.example.com\n', code: 'fleet.type', line: 10 },
  ])('reports $name at its line', ({ text, code, line }) => {
    const parsed = read(cluster + text);
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([[code, line]]);
  });

  it('reads the S3 endpoint host allow-list, lower case', () => {
    const parsed = read(`${cluster}  storage:\n    s3EndpointHosts: [Minio.Example.com, "*.s3.example.com", "minio.lab:9000"]\n`);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.s3EndpointHosts).toEqual(['minio.example.com', '*.s3.example.com', 'minio.lab:9000']);
  });
});

describe('parseFleet: spec.windows (change windows)', () => {
  const base = '  clusters:\n    - {name: a, labels: {env: prod}}\n  groups:\n    - {name: prod, selector: {env: prod}}\n  waves:\n    - {name: all, selector: {}}\n';
  it('reads allow and deny windows with their time zone, duration and scope', () => {
    const parsed = read(`${base}  windows:\n    - {kind: allow, schedule: "0 22 * * 1-5", duration: 4h, timeZone: Europe/Berlin, waves: [all]}\n    - {kind: deny, schedule: "@daily", duration: 90m, groups: [prod]}\n`);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.fleet.windows).toEqual([
      { kind: 'allow', schedule: '0 22 * * 1-5', durationMs: 4 * 3_600_000, timeZone: 'Europe/Berlin', waves: ['all'], groups: [], clusters: [] },
      { kind: 'deny', schedule: '@daily', durationMs: 90 * 60_000, timeZone: 'UTC', waves: [], groups: ['prod'], clusters: [] },
    ]);
  });

  it.each([
    { name: 'a kind other than allow or deny', window: '{kind: maybe, schedule: "@daily", duration: 1h}', message: /is not allow or deny/ },
    { name: 'six cron fields', window: '{kind: allow, schedule: "0 0 22 * * 1-5", duration: 1h}', message: /is not usable: 6 fields/ },
    { name: 'an unknown time zone', window: '{kind: allow, schedule: "0 22 * * *", duration: 1h, timeZone: Mars/Base}', message: /Invalid timezone 'Mars\/Base'/ },
    { name: 'a zero duration', window: '{kind: deny, schedule: "0 22 * * *", duration: "0"}', message: /is not a positive duration/ },
    { name: 'a wave fleet.yaml does not declare', window: '{kind: deny, schedule: "0 22 * * *", duration: 1h, waves: [prdo]}', message: /"prdo" is not in spec.waves/ },
  ])('refuses $name at its line (fleet.window)', ({ window, message }) => {
    const parsed = read(`${base}  windows:\n    - ${window}\n`);
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['fleet.window', 12]]);
    expect(parsed.diagnostics[0]?.message).toMatch(message);
    expect(parsed.fleet.windows).toBeUndefined();
  });
});

describe('parseFleet: waves[].approval', () => {
  it('reads approval: required into the wave plan, refuses anything but required or none', () => {
    const ok = read('  clusters: [{name: a, labels: {w: one}}]\n  waves:\n    - {name: one, selector: {w: one}, approval: required}\n');
    expect(ok.diagnostics).toEqual([]);
    expect(planWaves(ok.fleet, ['a']).waves[0]?.approval).toBe('required');
    const bad = read('  clusters: [{name: a, labels: {w: one}}]\n  waves:\n    - {name: one, selector: {w: one}, approval: yes-please}\n');
    expect(bad.diagnostics.map((d) => [d.code, d.line])).toEqual([['fleet.wave-approval', 7]]);
  });
});
