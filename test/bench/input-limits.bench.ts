// Hostile YAML (issue 10 item 5): the alias bomb took 90 s and 1.8 GB, 80,000 keys took 33 s (the
// yaml library's quadratic uniqueKeys check). Now the bomb stops at INPUT_LIMITS.aliasNodes and
// duplicate keys are found with one lookup per key: this prints the median ms of parseYamlSource
// and of a whole validateRepository over config/ with the file added. Figures are printed, never asserted.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import type { ConfigSnapshot, SourceFile } from '../../functions/core/model.ts';
import { validateRepository } from '../../functions/core/validate.ts';
import { parseYamlSource } from '../../functions/core/yaml-source.ts';
import { aliasBomb, manyKeys } from '../support/hostile-yaml.ts';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function readConfig(): SourceFile[] {
  const root = new URL('../../config/', import.meta.url).pathname;
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ path: `config/${relative(root, path)}`, content: readFileSync(path, 'utf8') });
    }
  };
  walk(root);
  return files;
}

const config = readConfig();
const cases: Array<[string, string]> = [
  ['alias bomb (10^9 nodes from 400 bytes)', `spec:\n  x:\n${aliasBomb('    ')}`],
  // top level, so the file stays under the 1 MiB the adapters let through (0.9 MiB)
  ['80,000 distinct keys', manyKeys(80_000)],
  ['80,000 keys, the last a duplicate', `${manyKeys(80_000)}k7: again\n`],
];
const now = new Date('2026-12-25T00:00:00Z');
// the machines here are shared: the load says how far these figures are from an idle one
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log('case                                        bytes     parse ms  validate ms  first finding');
for (const [name, content] of cases) {
  const file = 'config/clusters/prod-eu-1/registry.yaml';
  const parseMs = time(() => parseYamlSource(file, content));
  const snapshot = (): ConfigSnapshot => ({ commit: 'bench', files: config.map((f) => (f.path === file ? { path: file, content } : f)) });
  let first = '';
  const validateMs = time(() => {
    const result = validateRepository(snapshot(), { now });
    first = result.diagnostics[0] === undefined ? '(none)' : `${result.diagnostics[0].code} at ${result.diagnostics[0].line}:${result.diagnostics[0].col} (${result.diagnostics.length} in all)`;
  });
  console.log(`${name.padEnd(42)} ${String(Buffer.byteLength(content)).padStart(8)} ${parseMs.toFixed(1).padStart(10)} ${validateMs.toFixed(1).padStart(12)}  ${first}`);
}
