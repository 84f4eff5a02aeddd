/**
 * Splits per-cluster values into the layers render.ts merges (base → groups in fleet order →
 * cluster), so that rendering the layers gives each cluster exactly its own values back: a value
 * every cluster shares goes to base, a value every member of a group shares goes to that group, and
 * any other cluster gets its own. A broader layer only ever holds a value all its clusters share, so
 * no cluster has to unset what a broader layer set (and trusted-CA files, which a later layer cannot
 * unset, follow the same rule).
 */
import type { Json } from '../model.ts';

/** One layer target: base, a group or a cluster. */
export type LayerName = { kind: 'base' } | { kind: 'group'; name: string } | { kind: 'cluster'; name: string };

/** The values of one field (or file) per cluster; undefined = the cluster does not own it. */
export interface FieldValues {
  key: string;
  values: ReadonlyMap<string, Json | undefined>;
}

export interface LayerAssignment {
  layer: LayerName;
  key: string;
  value: Json;
}

export interface FactorOptions {
  clusters: readonly string[];
  /** Groups in fleet order, each with the imported clusters its selector matches. */
  groups: ReadonlyArray<{ name: string; members: readonly string[] }>;
}

function canonical(value: Json | undefined): string {
  if (value === undefined) return '\u0000undefined';
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(item).sort()) sorted[name] = (item as Record<string, unknown>)[name];
    return sorted;
  });
}

/** The one value all the given clusters share, or undefined when they differ or one lacks it. */
function sharedValue(field: FieldValues, members: readonly string[]): Json | undefined {
  let shared: string | undefined;
  let value: Json | undefined;
  for (const cluster of members) {
    const own = field.values.get(cluster);
    if (own === undefined) return undefined;
    const text = canonical(own);
    if (shared === undefined) {
      shared = text;
      value = own;
    } else if (shared !== text) return undefined;
  }
  return value;
}

/** Assigns each field's values to layers; the result renders back to every cluster's own values. */
export function factorLayers(fields: readonly FieldValues[], options: FactorOptions): LayerAssignment[] {
  const out: LayerAssignment[] = [];
  for (const field of fields) {
    const effective = new Map<string, Json | undefined>();
    const common = options.clusters.length > 0 ? sharedValue(field, options.clusters) : undefined;
    if (common !== undefined) {
      out.push({ layer: { kind: 'base' }, key: field.key, value: common });
      for (const cluster of options.clusters) effective.set(cluster, common);
    } else {
      for (const group of options.groups) {
        // a group of one is no better than the cluster's own file
        if (group.members.length < 2) continue;
        const value = sharedValue(field, group.members);
        if (value === undefined) continue;
        // an earlier group already gave every member this value: the group would only repeat it
        if (group.members.every((cluster) => effective.has(cluster))) continue;
        out.push({ layer: { kind: 'group', name: group.name }, key: field.key, value });
        for (const cluster of group.members) effective.set(cluster, value);
      }
    }
    // a cluster a broader layer covers already has its own value from there (shared by all members)
    for (const cluster of options.clusters) {
      const own = field.values.get(cluster);
      if (own !== undefined && !effective.has(cluster)) out.push({ layer: { kind: 'cluster', name: cluster }, key: field.key, value: own });
    }
  }
  return out;
}
