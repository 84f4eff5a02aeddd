/**
 * What the differ needs to know from the real CRD schemas (functions/schemas): which maps are
 * atomic (`x-kubernetes-map-type: atomic`: compared and replaced whole, like lists), which strings
 * are Go durations (`format: duration`: `6h` equals `6h0m0s`), and the defaults the API server
 * injects (`spec.logLevel: Normal`; docs/registry-operator-facts.md §2). Only object properties are walked:
 * lists are leaves to the differ, so nothing inside a list item matters here.
 */
import { vendoredCrds } from '../schemas/crds.ts';
import { formatPath, type PathSegment } from './field-path.ts';
import type { Json } from './model.ts';

/** Schema facts for one kind, keyed by property path (`spec.requests`). */
export interface SchemaHints {
  atomicMaps: ReadonlySet<string>;
  durations: ReadonlySet<string>;
  defaults: ReadonlyMap<string, Json>;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  'x-kubernetes-map-type'?: string;
  format?: string;
  default?: Json;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walkSchema(node: SchemaNode, segments: PathSegment[], hints: { atomicMaps: Set<string>; durations: Set<string>; defaults: Map<string, Json> }): void {
  const path = formatPath(segments);
  if (segments.length > 0) {
    if (node['x-kubernetes-map-type'] === 'atomic') hints.atomicMaps.add(path);
    if (node.format === 'duration') hints.durations.add(path);
    if (node.default !== undefined) hints.defaults.set(path, node.default);
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) walkSchema(child, [...segments, key], hints);
}

function buildHintsByKind(): Map<string, SchemaHints> {
  const byKind = new Map<string, SchemaHints>();
  for (const { crd } of vendoredCrds) {
    if (!isRecord(crd) || !isRecord(crd['spec'])) continue;
    const spec = crd['spec'];
    const group = spec['group'];
    const names = spec['names'];
    const versions = spec['versions'];
    if (typeof group !== 'string' || !isRecord(names) || typeof names['kind'] !== 'string' || !Array.isArray(versions)) continue;
    for (const version of versions) {
      if (!isRecord(version) || typeof version['name'] !== 'string' || !isRecord(version['schema'])) continue;
      const root = version['schema']['openAPIV3Schema'];
      if (!isRecord(root)) continue;
      const hints = { atomicMaps: new Set<string>(), durations: new Set<string>(), defaults: new Map<string, Json>() };
      walkSchema(root as SchemaNode, [], hints);
      byKind.set(`${group}/${version['name']}/${names['kind']}`, hints);
    }
  }
  return byKind;
}

let hintsByKind: Map<string, SchemaHints> | undefined;

/**
 * Schema facts for an apiVersion and kind; undefined for kinds without a vendored CRD (ConfigMap,
 * Secret), whose `data` keys are plain string leaves.
 */
export function getSchemaHints(apiVersion: string, kind: string): SchemaHints | undefined {
  hintsByKind ??= buildHintsByKind();
  return hintsByKind.get(`${apiVersion}/${kind}`);
}
