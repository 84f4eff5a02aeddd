/**
 * The inventory: the refs of every object regops owns fields on in one cluster, kept in one
 * annotation on the registry Config (`regops.io/inventory`, a JSON array of
 * `{apiVersion, kind, name, namespace?}` in formatRefKey order) and written in the same write as the
 * Config (core/plan.ts). With it, planning a cluster reads the Config, then exactly the objects Git
 * renders plus those the inventory names (one Git no longer renders is an orphan whose owned fields are
 * pruned or reported), instead of every object regops could ever render (engine/plan-live-cluster.ts).
 * A Config without one (written before the inventory existed, or never by regops) is read as before.
 * Known gap: objects written before the Config in apply order (Secret, ConfigMap, images.config) are
 * recorded by the Config's write that follows; if that write fails and Git drops those objects before
 * any later run succeeds, the inventory never names them and their owned fields are not pruned.
 */
import { isJsonObject } from './is-json-object.ts';
import type { Json, JsonObject, ResourceRef } from './model.ts';
import { readPath } from './owned-leaves.ts';
import { formatRefKey } from './resource-ref.ts';

/** Annotation on the registry Config holding the inventory. */
export const INVENTORY_ANNOTATION = 'regops.io/inventory';

/** The inventory as written: refs deduplicated and sorted by formatRefKey, namespace only when set. */
export function formatInventory(refs: readonly ResourceRef[]): string {
  const unique = new Map<string, ResourceRef>();
  for (const ref of refs) {
    const entry: ResourceRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
    if (ref.namespace !== undefined) entry.namespace = ref.namespace;
    unique.set(formatRefKey(entry), entry);
  }
  return JSON.stringify([...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref));
}

function parseRef(value: Json): ResourceRef | undefined {
  if (!isJsonObject(value)) return undefined;
  const { apiVersion, kind, name, namespace } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  if (namespace !== undefined && typeof namespace !== 'string') return undefined;
  return namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, name, namespace };
}

/**
 * The inventory recorded on a live Config; undefined when there is none or it does not parse (then
 * the caller reads as without one: a damaged annotation must never hide an owned object).
 */
export function readInventory(config: JsonObject | undefined): ResourceRef[] | undefined {
  const text = readPath(config, ['metadata', 'annotations', INVENTORY_ANNOTATION]);
  if (typeof text !== 'string') return undefined;
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const refs: ResourceRef[] = [];
  for (const item of parsed) {
    const ref = parseRef(item);
    if (ref === undefined) return undefined;
    refs.push(ref);
  }
  return refs;
}
