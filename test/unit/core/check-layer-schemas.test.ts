// Each layer file against the CRD schema on its own (issue 10 item 9): findings at the layer's own
// FILE:LINE:COL, null as "not owned", no `required`, identity left to render, one finding per cause.
import { describe, expect, it } from 'vitest';
import { checkLayerSchemas } from '../../../functions/core/check-layer-schemas.ts';
import { indexRepository } from '../../../functions/core/config-repository.ts';
import type { SourceFile } from '../../../functions/core/model.ts';
import { validateRepository } from '../../../functions/core/validate.ts';

const fleet = [
  'apiVersion: regops/v1', 'kind: Fleet', 'spec:',
  '  clusters:', '    - {name: a, labels: {env: prod}}', '    - {name: b, labels: {env: prod}}',
  '  groups:', '    - {name: prod, selector: {env: prod}}',
  '  waves:', '    - {name: all, selector: {env: prod}}', '',
].join('\n');

function check(files: Record<string, string>): Array<[string, number, number, string]> {
  const snapshot = { commit: 't', files: Object.entries({ 'fleet.yaml': fleet, ...files }).map(([path, content]): SourceFile => ({ path, content })) };
  return checkLayerSchemas(indexRepository(snapshot)).map((d) => [d.file, d.line, d.col, `${d.code} ${d.message}`]);
}

describe('checkLayerSchemas', () => {
  it('finds a bad value in base/ even though every cluster overrides it', () => {
    const files = {
      'base/registry.yaml': 'spec:\n  replicas: two\n  logLevel: Loud\n',
      'groups/prod/registry.yaml': 'spec:\n  replicas: 2\n  logLevel: Normal\n',
    };
    expect(check(files)).toEqual([
      ['base/registry.yaml', 2, 3, 'schema.type Config spec.replicas: expected an integer, got the string "two"'],
      ['base/registry.yaml', 3, 3, 'schema.enum Config spec.logLevel: the string "Loud" is not one of "", "Normal", "Debug", "Trace", "TraceAll"'],
    ]);
    // and validate reports each once, although no rendered cluster holds the values
    const snapshot = { commit: 't', files: Object.entries({ 'fleet.yaml': fleet, ...files }).map(([path, content]) => ({ path, content })) };
    const errors = validateRepository(snapshot, { now: new Date('2026-12-25T00:00:00Z') }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual(['base/registry.yaml:2:3 schema.type', 'base/registry.yaml:3:3 schema.enum']);
  });

  it('checks pruner.yaml and image.yaml of groups and clusters as their kinds', () => {
    expect(check({
      'groups/prod/pruner.yaml': 'spec:\n  keepTagRevisions: many\n',
      'clusters/a/image.yaml': 'spec:\n  registrySources:\n    insecureRegistries: registry.example.com\n',
    })).toEqual([
      ['clusters/a/image.yaml', 3, 5, 'schema.type Image spec.registrySources.insecureRegistries: expected a list, got the string "registry.example.com"'],
      ['groups/prod/pruner.yaml', 2, 3, 'schema.type ImagePruner spec.keepTagRevisions: expected an integer, got the string "many"'],
    ]);
  });

  it('takes null as "not owned", leaves required fields and identity to later checks, and skips other files', () => {
    expect(check({
      'base/registry.yaml': 'kind: Image\nmetadata: {name: other}\nspec:\n  storage: null\n  routes:\n    - {name: r, hostname: h}\n',
      'base/storage.yaml': 'kind: RegistryStorage\nspec: {replicas: nonsense}\n',
      'clusters/a/notes.yaml': 'spec: {replicas: x}\n',
    })).toEqual([]);
  });
});
