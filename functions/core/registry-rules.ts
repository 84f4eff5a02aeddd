/**
 * Registry rules: what the CRD schema cannot say (its CEL rules, which a JSON-schema pass does not
 * run) and what the operator enforces late or never (docs/registry-operator-facts.md §10). Each rule is a named
 * function over one rendered cluster returning findings at field paths; runRegistryRules turns them
 * into diagnostics at the Git line that set the field. The live-dependent storage-change rule runs at
 * plan time (destructive.ts).
 */
import type { DesiredCluster, DesiredObject, Diagnostic, Json, JsonObject, Severity } from './model.ts';
import { appendPath } from './append-path.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { isJsonObject } from './is-json-object.ts';
import { PRUNER_REGISTRY_REMOVED } from './describe-pruner-effect.ts';

/** A rule's finding, at a field path of one rendered object. */
export interface RuleFinding {
  code: string;
  severity: Severity;
  object: DesiredObject;
  path: string;
  message: string;
  hint: string;
}

/** One registry rule: a stable code and a check. */
export interface RegistryRule {
  code: string;
  check: (cluster: DesiredCluster) => RuleFinding[];
}

function findObject(cluster: DesiredCluster, kind: string): DesiredObject | undefined {
  return cluster.objects.find((o) => o.ref.kind === kind);
}

function readMap(value: Json | undefined, ...keys: string[]): JsonObject | undefined {
  let node: Json | undefined = value;
  for (const key of keys) node = isJsonObject(node) ? node[key] : undefined;
  return isJsonObject(node) ? node : undefined;
}

function configSpec(cluster: DesiredCluster): { object: DesiredObject; spec: JsonObject } | undefined {
  const object = findObject(cluster, 'Config');
  const spec = readMap(object?.body, 'spec');
  return object === undefined || spec === undefined ? undefined : { object, spec };
}

function finding(code: string, severity: Severity, object: DesiredObject, path: string, message: string, hint: string): RuleFinding {
  return { code, severity, object, path, message, hint };
}

const backends = ['emptyDir', 's3', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'] as const;
const sharedBackends = ['s3', 'gcs', 'swift', 'azure', 'ibmcos'];
// platforms whose bootstrap leaves the registry Removed with no storage (docs/registry-operator-facts.md §9.1)
const platformsWithoutStorage = ['baremetal', 'vsphere', 'none', 'nutanix', 'kubevirt', 'equinixmetal', 'external'];

function listBackends(spec: JsonObject): string[] {
  const storage = readMap(spec, 'storage');
  return storage === undefined ? [] : backends.filter((b) => storage[b] !== undefined);
}

/** CEL on spec.storage.azure.networkAccess: `internal` only with `type: Internal` (§2). */
export function checkAzureNetworkAccess(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const access = readMap(config?.spec, 'storage', 'azure', 'networkAccess');
  if (config === undefined || access === undefined || access['internal'] === undefined || access['type'] === 'Internal') return [];
  return [finding('registry.azure-network-access', 'error', config.object, 'spec.storage.azure.networkAccess.internal',
    'internal is forbidden when type is not Internal (CEL rule of the Config CRD, docs/registry-operator-facts.md §2)',
    'set spec.storage.azure.networkAccess.type: Internal, or remove internal')];
}

/** CEL on images.config spec.registrySources: not both blockedRegistries and allowedRegistries (§8). */
export function checkRegistrySourcesExclusive(cluster: DesiredCluster): RuleFinding[] {
  const image = findObject(cluster, 'Image');
  const sources = readMap(image?.body, 'spec', 'registrySources');
  if (image === undefined || sources === undefined || sources['blockedRegistries'] === undefined || sources['allowedRegistries'] === undefined) return [];
  return [finding('image.registry-sources-exclusive', 'error', image, 'spec.registrySources.allowedRegistries',
    'Only one of blockedRegistries or allowedRegistries may be set (CEL rule of the Image CRD, docs/registry-operator-facts.md §8)',
    'keep either blockedRegistries or allowedRegistries')];
}

// hostname[:port][/path] or *.hostname, no tag or digest: the intent of the CEL rule newer openshift/api
// (2a3d7391) adds to these lists; written here from its message, docs/registry-operator-facts.md §8
const registryEntry = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?(\/[A-Za-z0-9._-]+)*$/;

/** Registry list entries in the newer API's shape (warning: the vendored CRD does not check it yet). */
export function checkRegistryEntries(cluster: DesiredCluster): RuleFinding[] {
  const image = findObject(cluster, 'Image');
  const sources = readMap(image?.body, 'spec', 'registrySources');
  if (image === undefined || sources === undefined) return [];
  const out: RuleFinding[] = [];
  for (const list of ['allowedRegistries', 'blockedRegistries', 'insecureRegistries']) {
    const items = sources[list];
    if (!Array.isArray(items)) continue;
    const listPath = `spec.registrySources.${list}`;
    if (items.length > 1024) {
      out.push(finding('image.registry-entry', 'warning', image, listPath, `${listPath}: more than 1024 entries`, 'newer OpenShift rejects lists longer than 1024'));
    }
    items.forEach((item, index) => {
      if (typeof item === 'string' && item.length >= 1 && item.length <= 256 && registryEntry.test(item)) return;
      out.push(finding('image.registry-entry', 'warning', image, appendPath(listPath, index),
        `${JSON.stringify(item)}: each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests`,
        'newer OpenShift (openshift/api 2a3d7391) rejects it: write host[:port][/path] or *.domain, 1-256 characters'));
    });
  }
  return out;
}

/** At most one storage backend (§3.1). */
export function checkSingleStorageBackend(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  if (config === undefined) return [];
  const set = listBackends(config.spec);
  if (set.length <= 1) return [];
  return [finding('registry.single-storage-backend', 'error', config.object, `spec.storage.${set[1] ?? ''}`,
    `exactly one storage type should be configured at the same time, got ${set.length}: [${set.join(' ')}] (docs/registry-operator-facts.md §3.1)`,
    'keep one backend; to drop one an earlier layer set, set it to null in the overlay')];
}

/** `oss` is in the schema but the operator has no OSS driver (§3.1). */
export function checkNoOss(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  if (config === undefined || readMap(config.spec, 'storage')?.['oss'] === undefined) return [];
  return [finding('registry.no-oss', 'error', config.object, 'spec.storage.oss',
    'the operator has no OSS (Alibaba) driver: a spec with only oss counts as no storage (docs/registry-operator-facts.md §3.1)', 'use another backend (s3, pvc, …)')];
}

function readReplicas(spec: JsonObject): number | undefined {
  const replicas = spec['replicas'];
  return typeof replicas === 'number' ? replicas : undefined;
}

/** replicas > 1 needs storage every pod shares: object storage or an RWX claim, never emptyDir (§5, §10.4). */
export function checkReplicasSharedStorage(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  if (config === undefined) return [];
  const replicas = readReplicas(config.spec);
  if (replicas === undefined || replicas <= 1) return [];
  const set = listBackends(config.spec);
  if (set.some((b) => sharedBackends.includes(b))) return [];
  if (set.includes('emptyDir')) {
    return [finding('registry.replicas-shared-storage', 'error', config.object, 'spec.replicas',
      `cluster ${cluster.cluster}: ${replicas} replicas on emptyDir: each pod has its own disk, so pulls of blobs pushed through another pod fail (docs/registry-operator-facts.md §5)`,
      'use 1 replica, or shared storage (s3 or a ReadWriteMany PVC)')];
  }
  if (set.includes('pvc')) {
    if (cluster.pvcAccessMode === 'ReadWriteOnce') {
      return [finding('registry.replicas-shared-storage', 'error', config.object, 'spec.replicas',
        `cluster ${cluster.cluster}: cannot use ReadWriteOnce access mode with more than one replica of the image registry (${replicas} replicas; docs/registry-operator-facts.md §3.8)`,
        'set spec.replicas: 1 with rolloutStrategy: Recreate, or move to a ReadWriteMany claim or object storage')];
    }
    if (cluster.pvcAccessMode === undefined) {
      return [finding('registry.pvc-access-mode-unknown', 'warning', config.object, 'spec.replicas',
        `cluster ${cluster.cluster}: ${replicas} replicas on a PVC whose access mode Git does not declare; a ReadWriteOnce claim cannot be shared`,
        'declare it: metadata.annotations["regops.io/pvc-access-mode"]: ReadWriteMany (or ReadWriteOnce) in registry.yaml')];
    }
  }
  return [];
}

/** A ReadWriteOnce claim needs rolloutStrategy Recreate (an empty strategy fails too, §3.8). */
export function checkReadWriteOncePvc(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  if (config === undefined || cluster.pvcAccessMode !== 'ReadWriteOnce' || !listBackends(config.spec).includes('pvc')) return [];
  const strategy = config.spec['rolloutStrategy'];
  if (strategy === 'Recreate') return [];
  return [finding('registry.rwo-pvc-recreate', 'error', config.object, strategy === undefined ? 'spec.storage.pvc' : 'spec.rolloutStrategy',
    `cluster ${cluster.cluster}: cannot use ReadWriteOnce access mode with ${strategy === undefined ? 'the default (RollingUpdate)' : String(strategy)} rollout strategy (docs/registry-operator-facts.md §3.8)`,
    'set spec.rolloutStrategy: Recreate (the new pod cannot mount the claim while the old one holds it)')];
}

/** replicas < 0 is a permanent VerificationFailed (§2). */
export function checkReplicasNonNegative(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const replicas = config === undefined ? undefined : readReplicas(config.spec);
  if (config === undefined || replicas === undefined || replicas >= 0) return [];
  return [finding('registry.replicas-non-negative', 'error', config.object, 'spec.replicas',
    'replicas must be greater than or equal to 0 (the operator fails VerificationFailed, docs/registry-operator-facts.md §2)', 'set spec.replicas to 0 or more')];
}

/** Route names unique and not `default-route` (else permanent VerificationFailed, §2). */
export function checkRouteNames(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const routes = config?.spec['routes'];
  if (config === undefined || !Array.isArray(routes)) return [];
  const out: RuleFinding[] = [];
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    const name = isJsonObject(route) ? route['name'] : undefined;
    if (typeof name !== 'string') return;
    const path = `spec.routes[${index}].name`;
    if (name === 'default-route') {
      out.push(finding('registry.route-names', 'error', config.object, path, 'route name default-route is reserved for spec.defaultRoute (docs/registry-operator-facts.md §2)',
        'rename the route, or use spec.defaultRoute: true'));
    } else if (seen.has(name)) {
      out.push(finding('registry.route-names', 'error', config.object, path, `route name "${name}" is used twice (docs/registry-operator-facts.md §2)`, 'give each route a unique name'));
    }
    seen.add(name);
  });
  return out;
}

/** httpSecret never as a literal in Git; clearing it rotates it and needs an allowance (§2, §10.10-11). */
export function checkHttpSecret(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const secret = config?.spec['httpSecret'];
  if (config === undefined || secret === undefined) return [];
  if (secret === '') {
    if (cluster.allow.includes('http-secret-rotation')) return [];
    return [finding('registry.http-secret-rotation', 'error', config.object, 'spec.httpSecret',
      'an empty httpSecret makes the operator generate a new one and roll every registry pod (docs/registry-operator-facts.md §2)',
      'add metadata.annotations["regops.io/allow"]: http-secret-rotation to registry.yaml, or remove the field')];
  }
  return [finding('registry.http-secret-literal', 'error', config.object, 'spec.httpSecret',
    'httpSecret must never be written in Git (it signs upload state; docs/registry-operator-facts.md §10.11)',
    'remove spec.httpSecret: the operator generates one (docs/registry-operator-facts.md §4)')];
}

/** s3.chunkSizeMiB takes effect only within 5..5120 (§3.3). */
export function checkS3ChunkSize(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const size = readMap(config?.spec, 'storage', 's3')?.['chunkSizeMiB'];
  if (config === undefined || typeof size !== 'number' || (size >= 5 && size <= 5120)) return [];
  return [finding('registry.s3-chunk-size', 'error', config.object, 'spec.storage.s3.chunkSizeMiB',
    `chunkSizeMiB ${size} is outside 5..5120 (docs/registry-operator-facts.md §3.3)`, 'use 5 to 5120 MiB, or remove it for the 10 MiB default')];
}

/** managementState Removed deletes the operands (and Managed storage): Git must allow it (§9.2). */
export function checkRemovedNeedsAllow(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  if (config === undefined || config.spec['managementState'] !== 'Removed' || cluster.allow.includes('remove')) return [];
  return [finding('registry.removed-needs-allow', 'error', config.object, 'spec.managementState',
    `cluster ${cluster.cluster}: managementState Removed deletes the registry and, when storage is Managed, the storage with every image (docs/registry-operator-facts.md §9.2)`,
    'add metadata.annotations["regops.io/allow"]: remove to registry.yaml to confirm, or use Unmanaged')];
}

/** Managed on a platform without default storage needs a backend, else StorageNotConfigured (§9.1). */
export function checkManagedHasStorage(cluster: DesiredCluster): RuleFinding[] {
  const config = configSpec(cluster);
  const platform = cluster.labels['platform']?.toLowerCase();
  if (config === undefined || config.spec['managementState'] !== 'Managed' || platform === undefined || !platformsWithoutStorage.includes(platform)) return [];
  if (listBackends(config.spec).some((b) => b !== 'oss')) return [];
  return [finding('registry.managed-without-storage', 'warning', config.object, 'spec.managementState',
    `cluster ${cluster.cluster}: Managed on platform ${platform} with no storage in Git; unless the live Config has storage the operator fails with StorageNotConfigured (docs/registry-operator-facts.md §9.1)`,
    'add storage: a storage.yaml (S3 regops provisions) or spec.storage.pvc in registry.yaml')];
}

/** status is the operator's; Git never sets it. */
export function checkNoStatus(cluster: DesiredCluster): RuleFinding[] {
  return cluster.objects
    .filter((o) => o.body['status'] !== undefined)
    .map((o) => finding('registry.no-status', 'error', o, 'status', `${o.ref.kind}: status is written by the operator`, 'remove status from the file'));
}

const cronMacro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
const cronField = /^[0-9A-Za-z*?/,-]+$/;

/** The pruner schedule is a CronJob schedule: five fields or a macro; empty means `0 0 * * *` (§7). */
export function checkPrunerSchedule(cluster: DesiredCluster): RuleFinding[] {
  const pruner = findObject(cluster, 'ImagePruner');
  const schedule = readMap(pruner?.body, 'spec')?.['schedule'];
  if (pruner === undefined || typeof schedule !== 'string' || schedule === '') return [];
  const fields = schedule.trim().split(/\s+/);
  if (cronMacro.test(schedule.trim()) || (fields.length === 5 && fields.every((f) => cronField.test(f)))) return [];
  return [finding('pruner.schedule', 'error', pruner, 'spec.schedule', `schedule ${JSON.stringify(schedule)} is not a cron schedule`,
    'write five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or a macro like @daily')];
}

/**
 * A pruner whose registry is Removed prunes no blobs: `--prune-registry` follows images.config
 * status.internalRegistryHostname, which empties when the registry goes Removed (the Service is
 * deleted) and stays with Unmanaged; the CronJob still runs and prunes image metadata only
 * (docs/registry-operator-facts.md §7).
 */
export function checkPrunerRegistryRemoved(cluster: DesiredCluster): RuleFinding[] {
  const pruner = findObject(cluster, 'ImagePruner');
  const config = configSpec(cluster);
  if (pruner === undefined || config === undefined || config.spec['managementState'] !== 'Removed') return [];
  if (readMap(pruner.body, 'spec')?.['suspend'] === true) return [];
  return [finding('pruner.registry-removed', 'warning', pruner, 'spec', `cluster ${cluster.cluster}: ${PRUNER_REGISTRY_REMOVED.message}`, PRUNER_REGISTRY_REMOVED.hint)];
}

// a ConfigMap holds at most 1 MiB (Kubernetes MaxSecretSize/ConfigMap limit); keep room for metadata
const configMapDataLimit = 1024 * 1024 - 16 * 1024;

/** The trusted-CA ConfigMap must fit the 1 MiB object limit (the API server refuses larger ones). */
export function checkTrustedCaSize(cluster: DesiredCluster): RuleFinding[] {
  const configMap = cluster.objects.find((o) => o.ref.kind === 'ConfigMap');
  const data = readMap(configMap?.body, 'data');
  if (configMap === undefined || data === undefined) return [];
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) bytes += key.length + (typeof value === 'string' ? value.length : 0);
  if (bytes <= configMapDataLimit) return [];
  return [finding('ca.configmap-size', 'error', configMap, 'data', `cluster ${cluster.cluster}: the trusted CAs add up to ${Math.ceil(bytes / 1024)} KiB, over the 1 MiB a ConfigMap may hold`,
    'remove certificates that are not CAs of registries (intermediates, expired ones) from trusted-cas/')];
}

/** Every registry rule, in the order their findings are reported. */
export const registryRules: readonly RegistryRule[] = [
  { code: 'registry.azure-network-access', check: checkAzureNetworkAccess },
  { code: 'image.registry-sources-exclusive', check: checkRegistrySourcesExclusive },
  { code: 'image.registry-entry', check: checkRegistryEntries },
  { code: 'registry.single-storage-backend', check: checkSingleStorageBackend },
  { code: 'registry.no-oss', check: checkNoOss },
  { code: 'registry.replicas-shared-storage', check: checkReplicasSharedStorage },
  { code: 'registry.rwo-pvc-recreate', check: checkReadWriteOncePvc },
  { code: 'registry.replicas-non-negative', check: checkReplicasNonNegative },
  { code: 'registry.route-names', check: checkRouteNames },
  { code: 'registry.http-secret-literal', check: checkHttpSecret },
  { code: 'registry.s3-chunk-size', check: checkS3ChunkSize },
  { code: 'registry.removed-needs-allow', check: checkRemovedNeedsAllow },
  { code: 'registry.managed-without-storage', check: checkManagedHasStorage },
  { code: 'registry.no-status', check: checkNoStatus },
  { code: 'pruner.schedule', check: checkPrunerSchedule },
  { code: 'pruner.registry-removed', check: checkPrunerRegistryRemoved },
  { code: 'ca.configmap-size', check: checkTrustedCaSize },
];

/** Runs every registry rule on a rendered cluster; diagnostics point at the Git line that set the field. */
export function runRegistryRules(cluster: DesiredCluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of registryRules) {
    for (const found of rule.check(cluster)) {
      const at = findPosition(found.object.positions, found.path) ?? Object.values(found.object.positions)[0] ?? { file: '', line: 1, col: 1 };
      out.push(createDiagnostic(found.code, found.severity, at, found.message, found.hint, { cluster: cluster.cluster, path: found.path }));
    }
  }
  return out;
}
