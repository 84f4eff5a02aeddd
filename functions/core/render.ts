import type {
  ClusterEntry, ConfigSnapshot, DesiredBucket, DesiredCluster, DesiredObject, DesiredSecret, DestructiveAllowance, Diagnostic,
  Fleet, Json, JsonObject, ResourceRef, SourcePosition,
} from './model.ts';
import { ConfigError } from './errors.ts';
import { appendPath } from './append-path.ts';
import { indexRepository, LAYER_FILES, TRUSTED_CAS_DIR, type ConfigRepository } from './config-repository.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { groupsFor, parseFleet, resolvePolicy } from './fleet.ts';
import { applyPositionedMergePatch, type PositionedJson } from './merge-patch.ts';
import { registryRefs, TRUSTED_CA_CONFIGMAP } from './resource-ref.ts';
import { readEndpointHost, readStorageSpec, type S3StorageBucket, type StorageSpec } from './storage-spec.ts';
import { formatSuggestion } from './suggest-name.ts';
import { isJsonObject } from './is-json-object.ts';
import { sortJsonKeys } from './sort-json-keys.ts';

/** registry.yaml annotation listing destructive transitions Git allows (comma list). */
export const ALLOW_ANNOTATION = 'regops.io/allow';
/** registry.yaml annotation declaring the access mode of the PVC in spec.storage.pvc. */
export const PVC_ACCESS_MODE_ANNOTATION = 'regops.io/pvc-access-mode';
const allowances: readonly DestructiveAllowance[] = ['storage-change', 'remove', 'http-secret-rotation'];
const accessModes = ['ReadWriteOnce', 'ReadWriteMany'] as const;

/** The objects regops renders, by the layer file they come from (resource-ref.ts declares them). */
export const RENDERED_REFS = {
  configMap: registryRefs.trustedCa,
  secret: registryRefs.storageSecret,
  image: registryRefs.image,
  config: registryRefs.config,
  pruner: registryRefs.pruner,
} as const;

/** One cluster's desired state and the problems met rendering it. */
export interface RenderedCluster {
  desired: DesiredCluster;
  diagnostics: Diagnostic[];
}

/** Every cluster of fleet.yaml rendered, in name order. */
export interface RenderedFleet {
  fleet: Fleet;
  clusters: DesiredCluster[];
  diagnostics: Diagnostic[];
}

/** Deterministic output (STYLE.md): map keys sorted, apiVersion/kind/metadata first at the top. */
function orderTopLevel(value: JsonObject): JsonObject {
  const sorted = sortJsonKeys(value) as JsonObject;
  const out: JsonObject = {};
  // Object.hasOwn, not `in`: a field named like an Object.prototype member (`constructor`) is a field
  for (const key of ['apiVersion', 'kind', 'metadata']) if (Object.hasOwn(sorted, key)) out[key] = sorted[key] as Json;
  for (const key of Object.keys(sorted)) if (!Object.hasOwn(out, key)) out[key] = sorted[key] as Json;
  return out;
}

function layerDirs(repo: ConfigRepository, cluster: string, groups: readonly string[]): string[] {
  return [`${repo.root}base`, ...groups.map((g) => `${repo.root}groups/${g}`), `${repo.root}clusters/${cluster}`];
}

interface MergedLayers extends PositionedJson {
  files: string[];
}

// base/ + groups merged once per combination of groups (most clusters share one), per snapshot
const sharedLayers = new WeakMap<ConfigRepository, Map<string, { merged: MergedLayers | undefined; diagnostics: Diagnostic[] }>>();

function mergeLayers(repo: ConfigRepository, dirs: readonly string[], fileName: string, diagnostics: Diagnostic[]): MergedLayers | undefined {
  let cache = sharedLayers.get(repo);
  if (cache === undefined) {
    cache = new Map();
    sharedLayers.set(repo, cache);
  }
  const shared = dirs.slice(0, -1);
  const key = `${fileName}\u0000${shared.join('\u0000')}`;
  let prefix = cache.get(key);
  if (prefix === undefined) {
    const prefixDiagnostics: Diagnostic[] = [];
    prefix = { merged: mergeLayerFiles(repo, shared, fileName, prefixDiagnostics, undefined), diagnostics: prefixDiagnostics };
    cache.set(key, prefix);
  }
  diagnostics.push(...prefix.diagnostics);
  return mergeLayerFiles(repo, dirs.slice(-1), fileName, diagnostics, prefix.merged);
}

function mergeLayerFiles(
  repo: ConfigRepository, dirs: readonly string[], fileName: string, diagnostics: Diagnostic[], start: MergedLayers | undefined,
): MergedLayers | undefined {
  let merged = start;
  for (const dir of dirs) {
    const path = `${dir}/${fileName}`;
    if (!repo.files.has(path)) continue;
    const parsed = repo.parse(path);
    if (parsed.diagnostics.length > 0) continue; // reported once per file by validate
    if (parsed.value === null) continue;
    if (!isJsonObject(parsed.value)) {
      const at = parsed.positions[''] ?? { file: path, line: 1, col: 1 };
      diagnostics.push(createDiagnostic('render.not-a-map', 'error', at, `${path}: the document must be a map`, 'write the object as a YAML map (apiVersion, kind, spec …)'));
      continue;
    }
    const next = applyPositionedMergePatch(merged ?? { value: null, positions: {} }, parsed);
    merged = { ...next, files: [...(merged?.files ?? []), path] };
  }
  return merged;
}

class ObjectBuilder {
  constructor(
    readonly cluster: string,
    readonly diagnostics: Diagnostic[],
  ) {}

  /** Checks the identity fields Git may state, then returns body and positions with them filled in. */
  build(ref: ResourceRef, merged: MergedLayers): { body: JsonObject; positions: Record<string, SourcePosition> } {
    const value = isJsonObject(merged.value) ? { ...merged.value } : {};
    const positions = { ...merged.positions };
    const fallback = { file: merged.files[0] ?? '', line: 1, col: 1 };
    const at = (path: string) => findPosition(positions, path) ?? fallback;
    const expect = (path: string, actual: Json | undefined, wanted: string, why: string) => {
      if (actual === undefined || actual === wanted) return;
      this.diagnostics.push(createDiagnostic('render.identity', 'error', at(path), `${path}: must be ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`,
        why, { cluster: this.cluster, path }));
    };
    expect('apiVersion', value['apiVersion'], ref.apiVersion, `this file holds a ${ref.kind} (${ref.apiVersion}); fix or remove apiVersion`);
    expect('kind', value['kind'], ref.kind, `this file holds a ${ref.kind}; fix or remove kind`);
    const metadata = isJsonObject(value['metadata']) ? { ...value['metadata'] } : {};
    expect('metadata.name', metadata['name'], ref.name, ref.namespace === undefined
      ? `the operator reads only the object named "${ref.name}" (docs/registry-operator-facts.md §1); remove metadata.name or set it to ${ref.name}`
      : `regops owns only ${ref.name}; remove metadata.name`);
    if (metadata['namespace'] !== undefined && ref.namespace === undefined) {
      this.diagnostics.push(createDiagnostic('render.identity', 'error', at('metadata.namespace'), `metadata.namespace: ${ref.kind} is cluster-scoped`,
        'remove metadata.namespace', { cluster: this.cluster, path: 'metadata.namespace' }));
    }
    metadata['name'] = ref.name;
    if (ref.namespace !== undefined) metadata['namespace'] = ref.namespace;
    else delete metadata['namespace'];
    value['apiVersion'] = ref.apiVersion;
    value['kind'] = ref.kind;
    value['metadata'] = metadata;
    return { body: value, positions };
  }

  /** Reads and strips the regops annotations from registry.yaml (they are instructions to regops, not fields). */
  takeAnnotations(body: JsonObject, positions: Record<string, SourcePosition>): { allow: DestructiveAllowance[]; pvcAccessMode?: DesiredCluster['pvcAccessMode'] } {
    const metadata = body['metadata'] as JsonObject;
    const annotations = isJsonObject(metadata['annotations']) ? { ...metadata['annotations'] } : undefined;
    const result: { allow: DestructiveAllowance[]; pvcAccessMode?: DesiredCluster['pvcAccessMode'] } = { allow: [] };
    if (annotations === undefined) return result;
    const allowPath = appendPath('metadata.annotations', ALLOW_ANNOTATION);
    const allowText = annotations[ALLOW_ANNOTATION];
    if (allowText !== undefined) {
      const at = findPosition(positions, allowPath) ?? { file: '', line: 1, col: 1 };
      for (const word of String(allowText).split(',').map((w) => w.trim()).filter((w) => w !== '')) {
        if ((allowances as readonly string[]).includes(word)) {
          if (!result.allow.includes(word as DestructiveAllowance)) result.allow.push(word as DestructiveAllowance);
        } else {
          this.diagnostics.push(createDiagnostic('render.allow', 'error', at, `${ALLOW_ANNOTATION}: "${word}" is not an allowance${formatSuggestion(word, allowances)}`,
            `use a comma list of ${allowances.join(', ')}`, { cluster: this.cluster, path: allowPath }));
        }
      }
      delete annotations[ALLOW_ANNOTATION];
    }
    const modePath = appendPath('metadata.annotations', PVC_ACCESS_MODE_ANNOTATION);
    const mode = annotations[PVC_ACCESS_MODE_ANNOTATION];
    if (mode !== undefined) {
      if ((accessModes as readonly Json[]).includes(mode)) result.pvcAccessMode = mode as (typeof accessModes)[number];
      else {
        const at = findPosition(positions, modePath) ?? { file: '', line: 1, col: 1 };
        this.diagnostics.push(createDiagnostic('render.pvc-access-mode', 'error', at, `${PVC_ACCESS_MODE_ANNOTATION}: ${JSON.stringify(mode)} is not an access mode`,
          'use ReadWriteOnce or ReadWriteMany (the access mode of the claim in spec.storage.pvc.claim)', { cluster: this.cluster, path: modePath }));
      }
      delete annotations[PVC_ACCESS_MODE_ANNOTATION];
    }
    for (const path of [allowPath, modePath]) delete positions[path];
    if (Object.keys(annotations).length === 0) {
      delete metadata['annotations'];
      delete positions['metadata.annotations'];
    } else metadata['annotations'] = annotations;
    return result;
  }
}

function setAt(body: JsonObject, segments: readonly string[], value: Json): void {
  let node = body;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    const copy: JsonObject = isJsonObject(next) ? { ...next } : {};
    node[segment] = copy;
    node = copy;
  }
  node[segments[segments.length - 1] ?? ''] = value;
}

const otherBackends = ['emptyDir', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'];

/** storage.yaml into the Config: S3 bucket, region, endpoint, and an Unmanaged storage (§3.2, §9.2). */
function applyStorageToConfig(
  builder: ObjectBuilder, storage: S3StorageBucket, storagePositions: Record<string, SourcePosition>, fallback: SourcePosition,
  body: JsonObject, positions: Record<string, SourcePosition>,
): void {
  const spec = isJsonObject(body['spec']) ? body['spec'] : {};
  const current = isJsonObject(spec['storage']) ? spec['storage'] : {};
  for (const backend of otherBackends) {
    if (current[backend] === undefined) continue;
    const path = `spec.storage.${backend}`;
    builder.diagnostics.push(createDiagnostic('render.storage-conflict', 'error', findPosition(positions, path) ?? fallback,
      `${path}: registry.yaml sets ${backend} while storage.yaml provisions an S3 bucket`,
      'remove the other backend from registry.yaml (set it to null in the overlay), or remove storage.yaml', { cluster: builder.cluster, path }));
  }
  const state = current['managementState'];
  if (state !== undefined && state !== 'Unmanaged') {
    builder.diagnostics.push(createDiagnostic('render.storage-management', 'error', findPosition(positions, 'spec.storage.managementState') ?? fallback,
      `spec.storage.managementState: ${JSON.stringify(state)} for a bucket regops provisions; Managed storage is deleted with its images when the registry goes Removed (docs/registry-operator-facts.md §3.2, §9.2)`,
      'remove spec.storage.managementState: regops sets Unmanaged for its bucket', { cluster: builder.cluster, path: 'spec.storage.managementState' }));
  }
  const at = (path: string) => findPosition(storagePositions, path) ?? fallback;
  const put = (segments: string[], value: Json, from: string) => {
    setAt(body, segments, value);
    positions[segments.join('.')] = at(from);
  };
  put(['spec', 'storage', 'managementState'], 'Unmanaged', 'spec.s3');
  put(['spec', 'storage', 's3', 'bucket'], storage.bucket, 'spec.s3.bucket');
  put(['spec', 'storage', 's3', 'region'], storage.region, 'spec.s3.region');
  if (storage.endpoint !== undefined) put(['spec', 'storage', 's3', 'regionEndpoint'], storage.endpoint, 'spec.s3.endpoint');
  for (const path of ['spec', 'spec.storage', 'spec.storage.s3']) positions[path] ??= at('spec.s3');
}

function renderStorageSecret(storage: StorageSpec, positions: Record<string, SourcePosition>, fallback: SourcePosition): DesiredSecret {
  return { ref: { ...RENDERED_REFS.secret }, data: { ...storage.secretData }, origin: findPosition(positions, 'spec.credentials') ?? fallback };
}

/** Whether `host` (host[:port]) is one the fleet allows: `*.suffix` matches subdomains, an entry without a port any port. */
function isAllowedHost(allowed: readonly string[], host: string): boolean {
  const bare = host.replace(/:\d+$/, '');
  return allowed.some((entry) => {
    const name = entry.includes(':') ? host : bare;
    return entry.startsWith('*.') ? name.endsWith(entry.slice(1)) && name.length > entry.length - 1 : name === entry;
  });
}

/**
 * fleet.yaml `spec.storage.s3EndpointHosts`: when set, the hosts a storage.yaml `s3.endpoint` may
 * name. The bucket store sends signed requests there, so a commit (or a pull request) naming another
 * host is an error at the endpoint's line.
 */
function checkEndpointHost(fleet: Fleet, cluster: string, storage: S3StorageBucket, positions: Record<string, SourcePosition>, fallback: SourcePosition): Diagnostic[] {
  const allowed = fleet.s3EndpointHosts;
  if (allowed === undefined || storage.endpoint === undefined) return [];
  const host = readEndpointHost(storage.endpoint);
  if (host === undefined || isAllowedHost(allowed, host)) return [];
  return [createDiagnostic('storage.endpoint-host', 'error', findPosition(positions, 'spec.s3.endpoint') ?? fallback,
    `spec.s3.endpoint: host ${host} is not in fleet.yaml spec.storage.s3EndpointHosts (${allowed.join(', ') || 'empty'})`,
    'name an allowed S3 endpoint host, or add this host to spec.storage.s3EndpointHosts in fleet.yaml', { cluster, path: 'spec.s3.endpoint' })];
}

function renderBucket(entry: ClusterEntry, storage: S3StorageBucket, positions: Record<string, SourcePosition>, fallback: SourcePosition): DesiredBucket {
  return {
    name: storage.bucket,
    region: storage.region,
    ...(storage.endpoint === undefined ? {} : { endpoint: storage.endpoint }),
    encryption: storage.encryption,
    tags: { ...storage.tags, 'regops.io/cluster': entry.name, 'regops.io/managed-by': 'regops' },
    ...(storage.adopt ? { adopt: true } : {}),
    origin: findPosition(positions, 'spec.s3.bucket') ?? fallback,
  };
}

/**
 * A credentials-only storage.yaml (gcs, azure, swift, ibmcos) must name the backend the rendered Config
 * uses: once the user secret exists the operator reads only it, never the cloud credentials, and a
 * missing key is an error (docs/registry-operator-facts.md §3.9). Azure with an account key also needs accountName
 * and container in spec, since the operator then creates nothing (§3.9).
 */
function checkCredentialsBackend(
  cluster: string, backend: string, storagePosition: SourcePosition, config: { body: JsonObject; positions: Record<string, SourcePosition> } | undefined,
): Diagnostic[] {
  const spec = config !== undefined && isJsonObject(config.body['spec']) ? config.body['spec'] : {};
  const storage = isJsonObject(spec['storage']) ? spec['storage'] : {};
  const set = ['emptyDir', 's3', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'].filter((b) => storage[b] !== undefined && storage[b] !== null);
  const out: Diagnostic[] = [];
  for (const other of set.filter((b) => b !== backend)) {
    const path = `spec.storage.${other}`;
    out.push(createDiagnostic('render.storage-backend-mismatch', 'error', findPosition(config?.positions ?? {}, path) ?? storagePosition,
      `${path}: registry.yaml sets ${other} while storage.yaml gives ${backend} credentials; the operator reads only image-registry-private-configuration-user once it exists and would miss the ${other} keys (docs/registry-operator-facts.md §3.9)`,
      `use the same backend in both: spec.${other} in storage.yaml, or spec.storage.${backend} in registry.yaml`, { cluster, path }));
  }
  if (!set.includes(backend)) {
    const path = `spec.storage.${backend}`;
    out.push(createDiagnostic('render.storage-backend-mismatch', 'error', storagePosition,
      `${path}: storage.yaml gives ${backend} credentials but the rendered Config sets no ${backend} storage; the user secret disables the cloud credentials for whatever backend the operator uses (docs/registry-operator-facts.md §3.9)`,
      `set spec.storage.${backend} in registry.yaml (\`${backend}: {}\` leaves its fields to the operator)`, { cluster, path }));
    return out;
  }
  if (backend === 'azure') {
    const azure = isJsonObject(storage['azure']) ? storage['azure'] : {};
    for (const field of ['accountName', 'container']) {
      const value = azure[field];
      if (typeof value === 'string' && value !== '') continue;
      const path = `spec.storage.azure.${field}`;
      out.push(createDiagnostic('render.azure-account', 'error', findPosition(config?.positions ?? {}, path) ?? storagePosition,
        `${path}: required with an Azure account key in the user secret; the operator then creates no account or container (docs/registry-operator-facts.md §3.9)`,
        `set ${path} in registry.yaml`, { cluster, path }));
    }
  }
  return out;
}

function renderTrustedCas(repo: ConfigRepository, dirs: readonly string[]): DesiredObject | undefined {
  const byName = new Map<string, { path: string; content: string }>();
  for (const dir of dirs) {
    for (const file of repo.caFiles(dir)) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1, -'.pem'.length);
      byName.set(name, file); // a later layer's file of the same name replaces the earlier one
    }
  }
  if (byName.size === 0) return undefined;
  const data: JsonObject = {};
  const positions: Record<string, SourcePosition> = {};
  for (const name of [...byName.keys()].sort()) {
    const file = byName.get(name);
    if (file === undefined) continue;
    data[name] = file.content;
    positions[appendPath('data', name)] = { file: file.path, line: 1, col: 1 };
  }
  const ref = RENDERED_REFS.configMap;
  return {
    ref: { ...ref },
    body: { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, data },
    positions,
  };
}

function renderWithRepository(repo: ConfigRepository, fleet: Fleet, entry: ClusterEntry): RenderedCluster {
  const diagnostics: Diagnostic[] = [];
  const builder = new ObjectBuilder(entry.name, diagnostics);
  const groups = groupsFor(fleet, entry);
  const dirs = layerDirs(repo, entry.name, groups);
  const merged = new Map<string, MergedLayers>();
  for (const fileName of LAYER_FILES) {
    const layers = mergeLayers(repo, dirs, fileName, diagnostics);
    if (layers !== undefined) merged.set(fileName, layers);
  }
  const desired: DesiredCluster = {
    cluster: entry.name,
    labels: entry.labels,
    groups,
    policy: resolvePolicy(fleet, entry),
    objects: [],
    secrets: [],
    allow: [],
  };

  const caMap = renderTrustedCas(repo, dirs);
  if (caMap !== undefined) desired.objects.push(caMap);

  const imageLayers = merged.get('image.yaml');
  if (imageLayers !== undefined || caMap !== undefined) {
    const { body, positions } = builder.build(RENDERED_REFS.image, imageLayers ?? { value: null, positions: {}, files: [] });
    if (caMap !== undefined) {
      const caPath = 'spec.additionalTrustedCA.name';
      const spec = isJsonObject(body['spec']) ? body['spec'] : {};
      const existing = isJsonObject(spec['additionalTrustedCA']) ? spec['additionalTrustedCA']['name'] : undefined;
      if (existing !== undefined && existing !== TRUSTED_CA_CONFIGMAP) {
        diagnostics.push(createDiagnostic('render.trusted-ca-conflict', 'error', findPosition(positions, caPath) ?? { file: imageLayers?.files[0] ?? '', line: 1, col: 1 },
          `${caPath}: "${String(existing)}" while trusted-cas/*.pem render into ConfigMap ${TRUSTED_CA_CONFIGMAP}`,
          `remove ${caPath} from image.yaml (regops points it at ${TRUSTED_CA_CONFIGMAP}), or move the certificates out of trusted-cas/`,
          { cluster: entry.name, path: caPath }));
      }
      setAt(body, ['spec', 'additionalTrustedCA', 'name'], TRUSTED_CA_CONFIGMAP);
      const first = Object.values(caMap.positions)[0] ?? { file: '', line: 1, col: 1 };
      positions[caPath] = first;
      positions['spec.additionalTrustedCA'] ??= first;
      positions['spec'] ??= first;
    }
    // images.config after the ConfigMap it points to: a missing ConfigMap degrades the operator at once (§8)
    desired.objects.push({ ref: { ...RENDERED_REFS.image }, body: orderTopLevel(body), positions });
  }

  const storageLayers = merged.get('storage.yaml');
  let storage: StorageSpec | undefined;
  let storageFallback: SourcePosition = { file: '', line: 1, col: 1 };
  if (storageLayers !== undefined) {
    storageFallback = { file: storageLayers.files[storageLayers.files.length - 1] ?? '', line: 1, col: 1 };
    const read = readStorageSpec(storageLayers.value, storageLayers.positions, storageFallback, entry.name);
    diagnostics.push(...read.diagnostics);
    storage = read.spec;
    if (storage !== undefined) {
      if (storage.backend === 's3') {
        desired.bucket = renderBucket(entry, storage, storageLayers.positions, storageFallback);
        diagnostics.push(...checkEndpointHost(fleet, entry.name, storage, storageLayers.positions, storageFallback));
      }
      desired.secrets.push(renderStorageSecret(storage, storageLayers.positions, storageFallback));
    }
  }

  const registryLayers = merged.get('registry.yaml');
  let config: { body: JsonObject; positions: Record<string, SourcePosition> } | undefined;
  if (registryLayers !== undefined || storage?.backend === 's3') {
    const { body, positions } = builder.build(RENDERED_REFS.config, registryLayers ?? { value: null, positions: {}, files: [] });
    const taken = builder.takeAnnotations(body, positions);
    desired.allow = taken.allow;
    if (taken.pvcAccessMode !== undefined) desired.pvcAccessMode = taken.pvcAccessMode;
    if (storage?.backend === 's3' && storageLayers !== undefined) {
      const fallback = { file: storageLayers.files[0] ?? '', line: 1, col: 1 };
      applyStorageToConfig(builder, storage, storageLayers.positions, fallback, body, positions);
    }
    config = { body, positions };
    desired.objects.push({ ref: { ...RENDERED_REFS.config }, body: orderTopLevel(body), positions });
  }
  if (storage !== undefined && storage.backend !== 's3' && storageLayers !== undefined) {
    const at = findPosition(storageLayers.positions, `spec.${storage.backend}`) ?? storageFallback;
    diagnostics.push(...checkCredentialsBackend(entry.name, storage.backend, at, config));
  }

  const prunerLayers = merged.get('pruner.yaml');
  if (prunerLayers !== undefined) {
    const { body, positions } = builder.build(RENDERED_REFS.pruner, prunerLayers);
    desired.objects.push({ ref: { ...RENDERED_REFS.pruner }, body: orderTopLevel(body), positions });
  }
  return { desired, diagnostics };
}

/**
 * Renders one cluster: base, then each matching group in fleet order, then the cluster's own folder,
 * each file applied as an RFC 7386 merge patch (null = not owned). Objects come in apply order:
 * ConfigMap, images.config, Config, ImagePruner; the storage Secret is in `secrets`. Throws
 * ConfigError when the cluster is not in the fleet.
 */
export function renderCluster(fleet: Fleet, snapshot: ConfigSnapshot, clusterName: string): RenderedCluster {
  const entry = fleet.clusters.find((c) => c.name === clusterName);
  if (entry === undefined) {
    throw new ConfigError('config.unknown-cluster', `cluster ${clusterName}: not in fleet.yaml`, { cluster: clusterName });
  }
  return renderWithRepository(indexRepository(snapshot), fleet, entry);
}

function checkLayout(repo: ConfigRepository, fleet: Fleet): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const clusters = new Set(fleet.clusters.map((c) => c.name));
  const groups = new Set(fleet.groups.map((g) => g.name));
  const known = [...LAYER_FILES, TRUSTED_CAS_DIR];
  for (const path of repo.files.keys()) {
    if (!path.startsWith(repo.root)) continue;
    const rel = path.slice(repo.root.length);
    const match = /^(base|groups\/([^/]+)|clusters\/([^/]+))\/([^/]+)(\/.*)?$/.exec(rel);
    if (match === null) continue;
    const at = { file: path, line: 1, col: 1 };
    const [, , group, cluster, name = '', rest] = match;
    if (group !== undefined && !groups.has(group)) {
      diagnostics.push(createDiagnostic('config.orphan-directory', 'warning', at, `groups/${group}/ is not a group in fleet.yaml${formatSuggestion(group, groups)}`,
        'add the group to spec.groups or remove the folder'));
    } else if (cluster !== undefined && !clusters.has(cluster)) {
      diagnostics.push(createDiagnostic('config.orphan-directory', 'warning', at, `clusters/${cluster}/ is not a cluster in fleet.yaml${formatSuggestion(cluster, clusters)}`,
        'add the cluster to spec.clusters or remove the folder'));
    }
    const isCa = name === TRUSTED_CAS_DIR && rest !== undefined && /^\/[^/]+\.pem$/.test(rest);
    if (!isCa && !(rest === undefined && (LAYER_FILES as readonly string[]).includes(name)) && !name.toLowerCase().startsWith('readme')) {
      diagnostics.push(createDiagnostic('config.unknown-file', 'warning', at, `${rel}: regops does not read this file${formatSuggestion(name, known)}`,
        `a layer folder holds ${LAYER_FILES.join(', ')} and ${TRUSTED_CAS_DIR}/*.pem`));
    }
  }
  return diagnostics;
}

/** Reads fleet.yaml and renders every cluster (name order), with fleet and layout diagnostics. */
export function renderFleet(snapshot: ConfigSnapshot): RenderedFleet {
  const repo = indexRepository(snapshot);
  const fleetPath = `${repo.root}fleet.yaml`;
  if (!repo.files.has(fleetPath)) {
    const fleet: Fleet = { apiVersion: 'regops/v1', kind: 'Fleet', clusters: [], groups: [], waves: [], policies: [], defaultPolicy: 'inform' };
    return { fleet, clusters: [], diagnostics: [createDiagnostic('config.no-fleet', 'error', { file: 'fleet.yaml', line: 1, col: 1 }, 'fleet.yaml: not found in the config repository', 'add fleet.yaml at the root of the config folder (see config/README.md)')] };
  }
  const parsed = parseFleet(repo.parse(fleetPath));
  const diagnostics = [...parsed.diagnostics, ...checkLayout(repo, parsed.fleet)];
  const clusters: DesiredCluster[] = [];
  const entries = [...parsed.fleet.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rendered = renderWithRepository(repo, parsed.fleet, entry);
    clusters.push(rendered.desired);
    diagnostics.push(...rendered.diagnostics);
  }
  return { fleet: parsed.fleet, clusters, diagnostics };
}
