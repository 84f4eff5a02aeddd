import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../../functions/core/input-limits.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';
import { aliasBomb, manyKeys } from '../../support/hostile-yaml.ts';

describe('parseYamlSource', () => {
  const text = ['spec:', '  replicas: 3', '  routes:', '    - name: a', '      hostname: h', '  data:', '    "reg.example.com..5000": x', ''].join('\n');
  const parsed = parseYamlSource('f.yaml', text);

  it('converts the document to JSON', () => {
    expect(parsed.value).toEqual({ spec: { replicas: 3, routes: [{ name: 'a', hostname: 'h' }], data: { 'reg.example.com..5000': 'x' } } });
    expect(parsed.diagnostics).toEqual([]);
  });

  it.each([
    ['spec', 1, 1],
    ['spec.replicas', 2, 3],
    ['spec.routes', 3, 3],
    ['spec.routes[0]', 4, 7],
    ['spec.routes[0].name', 4, 7],
    ['spec.routes[0].hostname', 5, 7],
    ['spec.data["reg.example.com..5000"]', 7, 5],
  ])('records %s at line %i col %i (the key for map entries)', (path, line, col) => {
    expect(parsed.positions[path]).toEqual({ file: 'f.yaml', line, col });
  });

  it.each([
    { name: 'bad indentation', text: 'a:\n  - 1\n - 2\n', line: 3, col: 2 },
    { name: 'duplicate key', text: 'a: 1\nb: 2\na: 3\n', line: 3, col: 1 },
    { name: 'unclosed flow list', text: 'a: [1, 2\nb: 3\n', line: 2, col: 1 },
    { name: 'two documents', text: 'a: 1\n---\nb: 2\n', line: 2, col: 1 },
  ])('reports $name as yaml.syntax at its line', ({ text: source, line, col }) => {
    const result = parseYamlSource('bad.yaml', source);
    expect(result.value).toBeNull();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'yaml.syntax', severity: 'error', file: 'bad.yaml', line, col });
    expect(result.diagnostics[0]?.hint).not.toBe('');
  });

  it('refuses a __proto__ key', () => {
    const result = parseYamlSource('p.yaml', 'spec:\n  __proto__: {x: 1}\n');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['yaml.key', 2, 3]]);
    expect(result.value).toEqual({ spec: {} });
  });

  it('resolves aliases and gives an empty file the value null', () => {
    expect(parseYamlSource('a.yaml', 'x: &v {a: 1}\ny: *v\n').value).toEqual({ x: { a: 1 }, y: { a: 1 } });
    expect(parseYamlSource('e.yaml', '# only a comment\n').value).toBeNull();
  });

  const bomb = aliasBomb().trimEnd().split('\n');

  it('stops an alias bomb at the alias that crosses the limit (yaml.alias-limit), value null', () => {
    const result = parseYamlSource('bomb.yaml', aliasBomb());
    expect(result.value).toBeNull();
    // lines 2 and 3 expand 110 + 1,110 nodes; on line 4 each *c is 1,111 more, so the 8th (col 36) passes 10,000
    expect(result.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([['yaml.alias-limit', 'bomb.yaml', 4, 36]]);
    expect(result.diagnostics[0]?.message).toContain(`past ${INPUT_LIMITS.aliasNodes} nodes`);
  });

  it('accepts aliases below the limit and counts nested expansions once', () => {
    const result = parseYamlSource('ok.yaml', `${bomb.slice(0, 3).join('\n')}\n`);
    expect(result.diagnostics).toEqual([]);
    const value = result.value as { c: string[][][] };
    expect(value.c).toHaveLength(10);
    expect(value.c.flat(2)).toHaveLength(1000);
  });

  it('refuses an alias inside its own anchor as past the limit', () => {
    const result = parseYamlSource('cycle.yaml', 'a: &x [1, *x]\n');
    expect(result.value).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['yaml.alias-limit', 1, 11]]);
  });

  it('finds a duplicate among 20,000 keys (a linear check; npm run bench times 80,000), naming both lines', () => {
    const result = parseYamlSource('keys.yaml', `${manyKeys(20_000)}k123: again\n`);
    expect(result.value).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['yaml.syntax', 20_001, 1]]);
    expect(result.diagnostics[0]?.message).toBe('YAML syntax error: map keys must be unique: "k123" is already set at line 124');
  });

  it('takes a key that is an alias to a string and refuses one that is an alias to a map', () => {
    expect(parseYamlSource('k.yaml', 'a: &k name\n*k : 1\n').value).toEqual({ a: 'name', name: 1 });
    const result = parseYamlSource('k.yaml', 'a: &m {x: 1}\n? *m\n: 1\n');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['yaml.key', 2, 3]]);
  });

  it('treats keys that JSON cannot tell apart (1 and "1") as duplicates', () => {
    const result = parseYamlSource('k.yaml', '1: a\n"1": b\n');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['yaml.syntax', 2, 1]]);
  });
});
