// Laws tying values to positions: every position names a field that exists, every field Git set has
// a position, through parsing and through merging layers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { appendPath } from '../../../functions/core/append-path.ts';
import { parsePath } from '../../../functions/core/field-path.ts';
import { applyPositionedMergePatch } from '../../../functions/core/merge-patch.ts';
import type { Json } from '../../../functions/core/model.ts';
import { parseYamlSource } from '../../../functions/core/yaml-source.ts';

const key = fc.stringMatching(/^[a-z][a-z0-9./-]{0,6}$/);
const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant(null));
const doc = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
  root: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 4 }),
})).root as fc.Arbitrary<Record<string, Json>>;

function readAt(value: Json, path: string): Json | undefined {
  let node: Json | undefined = value;
  for (const segment of parsePath(path)) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function listPaths(value: Json, path: string, out: string[]): string[] {
  if (path !== '') out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => listPaths(item, appendPath(path, i), out));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) listPaths(value[k] as Json, appendPath(path, k), out);
  return out;
}

describe('positions', () => {
  it('parsing: exactly the fields of the document have positions', () => {
    fc.assert(fc.property(doc, (value) => {
      const parsed = parseYamlSource('f.yaml', stringify(value));
      expect(parsed.value).toEqual(value);
      const paths = Object.keys(parsed.positions).filter((p) => p !== '').sort();
      expect(paths).toEqual(listPaths(parsed.value, '', []).sort());
    }));
  });

  it('merging: every position names a field of the result, and every field of the result has one', () => {
    fc.assert(fc.property(doc, doc, (base, overlay) => {
      const merged = applyPositionedMergePatch(parseYamlSource('base.yaml', stringify(base)), parseYamlSource('overlay.yaml', stringify(overlay)));
      for (const path of Object.keys(merged.positions)) if (path !== '') expect(readAt(merged.value, path), path).not.toBeUndefined();
      for (const path of listPaths(merged.value, '', [])) expect(merged.positions[path], path).toBeDefined();
    }));
  });

  it('merging: a field the overlay sets takes the overlay position', () => {
    fc.assert(fc.property(doc, doc, (base, overlay) => {
      const merged = applyPositionedMergePatch(parseYamlSource('base.yaml', stringify(base)), parseYamlSource('overlay.yaml', stringify(overlay)));
      for (const path of listPaths(overlay, '', [])) {
        if (readAt(overlay, path) !== null && readAt(merged.value, path) !== undefined) expect(merged.positions[path]?.file, path).toBe('overlay.yaml');
      }
    }));
  });
});
