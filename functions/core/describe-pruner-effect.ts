/**
 * Whether a cluster's image pruner will prune registry storage once the plan is applied.
 *
 * The pruner CronJob's `--prune-registry` does not follow the Config: it follows images.config
 * `status.internalRegistryHostname` (non-empty ⇒ `--prune-registry=true`, empty ⇒ `false`). The
 * operator empties that hostname when the registry goes Removed (it deletes the Service) and leaves
 * it as it is with Unmanaged (the Service stays, nothing creates one); with Managed it sets it once
 * the registry Service exists (docs/registry-operator-facts.md §7 and §8). So the answer needs both the live
 * status (read by the plan) and the state after apply (Git's value where Git sets the field, the
 * live one elsewhere).
 */
import type { DesiredCluster, Json, JsonObject, PrunerEffect } from './model.ts';
import { isJsonObject } from './is-json-object.ts';
import { formatRefKey, registryRefs } from './resource-ref.ts';

/** The live objects the answer reads, as the plan read them (undefined = absent). */
export interface PrunerEffectLive {
  image: JsonObject | undefined;
  config: JsonObject | undefined;
  pruner: JsonObject | undefined;
}

/** The three objects, from the live objects a plan read by formatRefKey (engine/plan-live-cluster.ts): no extra GET. */
export function pickPrunerLive(live: ReadonlyMap<string, JsonObject | undefined>): PrunerEffectLive {
  return { image: live.get(formatRefKey(registryRefs.image)), config: live.get(formatRefKey(registryRefs.config)), pruner: live.get(formatRefKey(registryRefs.pruner)) };
}

function readSpecField(object: Json | undefined, field: string): Json | undefined {
  const spec = isJsonObject(object) ? object['spec'] : undefined;
  return isJsonObject(spec) ? spec[field] : undefined;
}

/** Git's value for `spec.<field>` of the object of `kind` when Git sets it, else the live one. */
function readAfterApply(desired: DesiredCluster, kind: string, live: JsonObject | undefined, field: string): Json | undefined {
  const body = desired.objects.find((object) => object.ref.kind === kind)?.body;
  const wanted = readSpecField(body, field);
  return wanted === undefined || wanted === null ? readSpecField(live, field) : wanted;
}

function readHostname(image: JsonObject | undefined): string {
  const status = image?.['status'];
  const hostname = isJsonObject(status) ? status['internalRegistryHostname'] : undefined;
  return typeof hostname === 'string' ? hostname : '';
}

const field = 'images.config status.internalRegistryHostname';

/**
 * Git schedules a pruner whose registry is Removed: what it does and what to do, one wording for
 * `regops validate` (registry-rules.ts, pruner.registry-removed) and the plan, drift and page lines.
 */
export const PRUNER_REGISTRY_REMOVED = {
  message: 'the pruner is scheduled but the registry is Removed: it will run with --prune-registry=false (images.config status.internalRegistryHostname is empty) and delete no registry storage, only image metadata',
  hint: 'set spec.suspend: true in pruner.yaml while the registry is Removed, or make the registry Managed (docs/registry-operator-facts.md §7)',
} as const;

/** Says, for one cluster, whether its pruner prunes the registry after this plan, and why. */
export function describePrunerEffect(desired: DesiredCluster, live: PrunerEffectLive): PrunerEffect {
  const rendersPruner = desired.objects.some((object) => object.ref.kind === 'ImagePruner');
  if (live.pruner === undefined && !rendersPruner) {
    return { prunesRegistry: false, reason: 'the cluster has no ImagePruner (the operator creates one at bootstrap) and Git renders none' };
  }
  if (readAfterApply(desired, 'ImagePruner', live.pruner, 'suspend') === true) {
    return { prunesRegistry: false, reason: 'the pruner is suspended (spec.suspend: true): its CronJob does not run' };
  }
  const hostname = readHostname(live.image);
  const liveState = readSpecField(live.config, 'managementState');
  const state = readAfterApply(desired, 'Config', live.config, 'managementState');
  if (state === 'Removed') {
    const effect: PrunerEffect = hostname === '' || liveState === 'Removed'
      ? { prunesRegistry: false, reason: `${field} is empty (registry Removed): it runs with --prune-registry=false and prunes image metadata only` }
      : { prunesRegistry: false, reason: `${field} empties once this plan sets the registry Removed: it will run with --prune-registry=false and prune image metadata only` };
    // a pruner Git asks for that can never do what a pruner is usually wanted for (issue 13 item 6)
    if (rendersPruner) effect.warning = `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}`;
    return effect;
  }
  if (hostname !== '') return { prunesRegistry: true, reason: `${field} is ${hostname}` };
  if (state === 'Managed') {
    return { prunesRegistry: true, reason: `${field} is empty now; the operator sets it once the Managed registry's Service exists, and the pruner follows it` };
  }
  const why = state === 'Unmanaged' ? 'and stays empty while the registry is Unmanaged (the operator creates no Service)' : 'and the registry has no managementState to change that';
  return { prunesRegistry: false, reason: `${field} is empty ${why}: it runs with --prune-registry=false and prunes image metadata only` };
}
