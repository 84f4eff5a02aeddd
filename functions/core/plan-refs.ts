/**
 * The objects the engine reads to plan a cluster: what Git renders, plus every object regops can
 * render (render.ts RENDERED_REFS), so that one Git no longer renders (all CA files deleted, storage.yaml
 * removed) is read and its owned fields pruned rather than left behind.
 */
import type { DesiredCluster, ResourceRef } from './model.ts';
import { formatRefKey } from './ref-key.ts';
import { RENDERED_REFS } from './render.ts';

/** Refs to GET before planCluster, desired ones first, each once. */
export function listPlanRefs(desired: DesiredCluster): ResourceRef[] {
  const refs = new Map<string, ResourceRef>();
  for (const ref of [...desired.secrets.map((s) => s.ref), ...desired.objects.map((o) => o.ref), ...Object.values(RENDERED_REFS)]) {
    const key = formatRefKey(ref);
    if (!refs.has(key)) refs.set(key, ref);
  }
  return [...refs.values()];
}
