/**
 * The objects the engine reads to plan a cluster. With an inventory on the live Config
 * (inventory.ts): what Git renders plus what the inventory names. Without one: what Git renders plus
 * every object regops can render (render.ts RENDERED_REFS), so that one Git no longer renders (all CA
 * files deleted, storage.yaml removed) is read and its owned fields pruned rather than left behind.
 */
import type { DesiredCluster, ResourceRef } from './model.ts';
import { formatRefKey } from './resource-ref.ts';
import { RENDERED_REFS } from './render.ts';

/** Git's refs first (secrets, then objects), then `others`, each once. */
function listRefs(desired: DesiredCluster, others: readonly ResourceRef[]): ResourceRef[] {
  const refs = new Map<string, ResourceRef>();
  for (const ref of [...desired.secrets.map((s) => s.ref), ...desired.objects.map((o) => o.ref), ...others]) {
    const key = formatRefKey(ref);
    if (!refs.has(key)) refs.set(key, ref);
  }
  return [...refs.values()];
}

/** Refs to GET before planCluster when the live Config records no inventory: desired ones first, each once. */
export function listPlanRefs(desired: DesiredCluster): ResourceRef[] {
  return listRefs(desired, Object.values(RENDERED_REFS));
}

/**
 * Refs to GET before planCluster when the live Config records an inventory: what Git renders, then
 * what the inventory names, each once. Nothing else can hold regops' owned fields.
 */
export function listInventoryRefs(desired: DesiredCluster, inventory: readonly ResourceRef[]): ResourceRef[] {
  return listRefs(desired, inventory);
}
