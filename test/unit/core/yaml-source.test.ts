import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

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
});
