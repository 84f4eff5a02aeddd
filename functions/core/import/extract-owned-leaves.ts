/**
 * Which fields of a live object a config repository should own after `regops import`: the fields a
 * person set, never the ones the operator fills in (docs/registry-operator-facts.md §4) and never values that
 * mean the same as unset to the operator (normalize.ts). An object regops already manages names its
 * owned fields in the owned-fields annotation: those are taken as they are.
 */
import { parsePath, type PathSegment } from '../field-path.ts';
import { isJsonObject } from '../is-json-object.ts';
import type { Json, JsonObject } from '../model.ts';
import { getValueComparator } from '../normalize.ts';
import { collectOwnedLeaves, readOwnedFields, readPath, type OwnedLeaf } from '../owned-leaves.ts';

/** Config fields the operator writes on every Managed sync or at bootstrap (docs/registry-operator-facts.md §4). */
const configOperatorFields: readonly string[] = [
  'spec.httpSecret', 'spec.observedConfig', 'spec.unsupportedConfigOverrides',
  'spec.storage.s3.bucket', 'spec.storage.s3.region', 'spec.storage.s3.regionEndpoint',
  'spec.storage.s3.virtualHostedStyle', 'spec.storage.s3.encrypt',
  'spec.storage.gcs.bucket', 'spec.storage.gcs.region', 'spec.storage.gcs.projectID',
  'spec.storage.azure.accountName', 'spec.storage.azure.container', 'spec.storage.azure.cloudName',
  'spec.storage.azure.networkAccess', 'spec.storage.swift.container',
  'spec.storage.ibmcos.bucket', 'spec.storage.ibmcos.location', 'spec.storage.ibmcos.resourceGroupName',
  'spec.storage.ibmcos.resourceKeyCRN', 'spec.storage.ibmcos.serviceInstanceCRN',
];

/** The ImagePruner the operator bootstraps (docs/registry-operator-facts.md §4): these values are its, not a person's. */
const prunerBootstrap: Readonly<Record<string, Json>> = {
  'spec.keepTagRevisions': 3,
  'spec.successfulJobsHistoryLimit': 3,
  'spec.failedJobsHistoryLimit': 3,
  'spec.ignoreInvalidImageReferences': true,
};

/** The claim name the operator creates and writes back when `claim` is empty (docs/registry-operator-facts.md §3.8). */
const operatorClaim = 'image-registry-storage';

function deleteAt(root: JsonObject, segments: readonly PathSegment[]): void {
  let node: Json | undefined = root;
  for (const segment of segments.slice(0, -1)) {
    if (!isJsonObject(node)) return;
    node = node[segment as string];
  }
  const last = segments[segments.length - 1];
  if (isJsonObject(node) && typeof last === 'string') delete node[last];
}

/** A copy of the object with only spec, minus what the operator fills in. */
function stripOperatorFields(kind: string, live: JsonObject): JsonObject {
  const spec = live['spec'];
  const copy = JSON.parse(JSON.stringify({ spec: isJsonObject(spec) ? spec : {} })) as JsonObject;
  if (kind === 'Config') {
    // Managed storage is the operator's: its bucket/container settings are written back by it. Unmanaged
    // storage was set by a person (or by regops' storage.yaml), so its settings are theirs.
    const managed = readPath(copy, ['spec', 'storage', 'managementState']) !== 'Unmanaged';
    for (const path of configOperatorFields) if (managed) deleteAt(copy, parsePath(path));
    if (managed) deleteAt(copy, ['spec', 'storage', 'managementState']);
    if (readPath(copy, ['spec', 'storage', 'pvc', 'claim']) === operatorClaim) deleteAt(copy, ['spec', 'storage', 'pvc', 'claim']);
    deleteAt(copy, ['spec', 'httpSecret']);
    deleteAt(copy, ['spec', 'observedConfig']);
  }
  if (kind === 'ImagePruner') {
    for (const [path, value] of Object.entries(prunerBootstrap)) {
      const segments = parsePath(path);
      if (readPath(copy, segments) === value) deleteAt(copy, segments);
    }
  }
  if (kind === 'Image') {
    // regops renders additionalTrustedCA from trusted-cas/*.pem (render.ts TRUSTED_CA_CONFIGMAP)
    deleteAt(copy, ['spec', 'additionalTrustedCA']);
  }
  return copy;
}

/**
 * The owned leaves (owned-leaves.ts) import takes from one live object: the annotated ones when regops
 * manages it, else every spec field a person set. Values equal to unset for the operator are dropped,
 * except empty presence maps (`s3: {}` chooses the backend).
 */
export function extractOwnedLeaves(live: JsonObject): OwnedLeaf[] {
  const apiVersion = typeof live['apiVersion'] === 'string' ? live['apiVersion'] : '';
  const kind = typeof live['kind'] === 'string' ? live['kind'] : '';
  const comparator = getValueComparator(apiVersion, kind);
  const annotated = readOwnedFields(live);
  if (annotated.length > 0) {
    const leaves: OwnedLeaf[] = [];
    for (const path of annotated) {
      const segments = parsePath(path);
      if (segments[0] !== 'spec') continue; // metadata bookkeeping is regops' own
      const value = readPath(live, segments);
      if (value === undefined || value === null) continue;
      if (kind === 'Image' && segments[1] === 'additionalTrustedCA') continue;
      leaves.push({ path, segments, value });
    }
    return leaves;
  }
  const stripped = stripOperatorFields(kind, live);
  return collectOwnedLeaves(stripped, comparator).filter((leaf) => {
    if (isJsonObject(leaf.value) && Object.keys(leaf.value).length === 0) return comparator.isPresenceMap(leaf.path);
    return !comparator.isUnset(leaf.path, leaf.value);
  });
}
