// Broken copies of config/: each case under test/fixtures/broken-config/<case>/ holds the files that
// differ from config/ (files/…, same relative paths) and expect.yaml: the exact FILE:LINE:COL and rule
// code of every error `regops validate` must report, and no other error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../functions/core/model.ts';
import { formatDiagnostic, validateRepository } from '../../../functions/core/validate.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';

interface Expected {
  file: string;
  line: number;
  col: number;
  code: string;
  severity?: 'error' | 'warning';
  message?: string;
}

const fixtures = join(import.meta.dirname, '../../fixtures/broken-config');
const now = new Date('2026-12-25T00:00:00Z');

function overlay(base: ConfigSnapshot, caseDir: string): ConfigSnapshot {
  const changed = loadSnapshot(join(caseDir, 'files'), 'config/');
  const byPath = new Map(base.files.map((f) => [f.path, f]));
  for (const file of changed.files) byPath.set(file.path, file);
  return { commit: 'test', files: [...byPath.values()] };
}

const cases = readdirSync(fixtures, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('validateRepository on broken copies of config/', () => {
  const base = loadSnapshot(join(import.meta.dirname, '../../../config'), 'config/');

  it('has fixture cases to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('%s', (name) => {
    const caseDir = join(fixtures, name);
    const spec = parse(readFileSync(join(caseDir, 'expect.yaml'), 'utf8')) as { expect: Expected[] };
    const result = validateRepository(overlay(base, caseDir), { now });
    const printed = result.diagnostics.map(formatDiagnostic);
    for (const wanted of spec.expect) {
      const hit = result.diagnostics.find((d) => d.file === wanted.file && d.line === wanted.line && d.col === wanted.col && d.code === wanted.code);
      expect(hit, `${wanted.file}:${wanted.line}:${wanted.col} ${wanted.code} in\n${printed.join('\n')}`).toBeDefined();
      expect(hit?.severity).toBe(wanted.severity ?? 'error');
      if (wanted.message !== undefined) expect(hit?.message).toContain(wanted.message);
      expect(hit?.hint.length).toBeGreaterThan(0);
    }
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`);
    const wantedErrors = spec.expect.filter((e) => (e.severity ?? 'error') === 'error').map((e) => `${e.file}:${e.line}:${e.col} ${e.code}`);
    expect(errors.sort()).toEqual(wantedErrors.sort());
  });
});
