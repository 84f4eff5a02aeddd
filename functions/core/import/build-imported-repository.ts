/**
 * `regops import`: a config repository (config/README.md) built from what live clusters hold, such
 * that `regops plan` right after shows no change. Owned fields only (extract-owned-leaves.ts), split
 * into base/, groups/ and clusters/ (factor-layers.ts), trusted CAs into trusted-cas/*.pem, storage
 * credentials as references to fill in: key names are read, values never.
 */
import { stringify } from 'yaml';
import type { PathSegment } from '../field-path.ts';
import { isJsonObject } from '../is-json-object.ts';
import { sortJsonKeys } from '../sort-json-keys.ts';
import type { Fleet, Json, JsonObject } from '../model.ts';
import { matchesSelector } from '../fleet.ts';
import { RENDERED_REFS } from '../render.ts';
import { findCredentialSet } from '../storage-credentials.ts';
import type { OwnedLeaf } from '../owned-leaves.ts';
import { extractOwnedLeaves } from './extract-owned-leaves.ts';
import { factorLayers, type FieldValues, type LayerName } from './factor-layers.ts';

/** What import read from one cluster (absent objects left out). */
export interface LiveClusterState {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The kubeconfig context, when it is not the cluster's name (written into a generated fleet.yaml). */
  context?: string;
  config?: JsonObject;
  pruner?: JsonObject;
  image?: JsonObject;
  /** The data of the ConfigMap images.config points at (openshift-config), key → PEM bundle. */
  trustedCas?: Readonly<Record<string, string>>;
  /** Key names of image-registry-private-configuration-user; its values are never read. */
  storageSecretKeys?: readonly string[];
  /** The bucket document (core/bucket-state.ts) of the Unmanaged S3 bucket, when it could be inspected. */
  bucket?: JsonObject;
}

export interface ImportInput {
  clusters: readonly LiveClusterState[];
  /** Groups in fleet order (their selectors pick the members among the imported clusters). */
  groups: Fleet['groups'];
  /** fleet.yaml as the user wrote it; when absent one is generated (labels empty, one wave). */
  fleetText?: string;
}

/** Something the user must do before the imported repository is complete. */
export interface ImportNote {
  cluster: string;
  message: string;
}

export interface ImportedRepository {
  /** Repository-relative path → file content, sorted by path. */
  files: Record<string, string>;
  notes: ImportNote[];
}

interface LayerFile {
  file: 'registry.yaml' | 'pruner.yaml' | 'image.yaml';
  ref: { apiVersion: string; kind: string };
  pick: (cluster: LiveClusterState) => JsonObject | undefined;
}

const layerFiles: readonly LayerFile[] = [
  { file: 'registry.yaml', ref: RENDERED_REFS.config, pick: (c) => c.config },
  { file: 'pruner.yaml', ref: RENDERED_REFS.pruner, pick: (c) => c.pruner },
  { file: 'image.yaml', ref: RENDERED_REFS.image, pick: (c) => c.image },
];

/** Paths of the Config that storage.yaml renders for S3 (render.ts, config/README.md "storage.yaml"). */
const storageRenderedPaths = ['spec.storage.s3.bucket', 'spec.storage.s3.region', 'spec.storage.s3.regionEndpoint', 'spec.storage.managementState'];

function layerDir(layer: LayerName): string {
  if (layer.kind === 'base') return 'base';
  return layer.kind === 'group' ? `groups/${layer.name}` : `clusters/${layer.name}`;
}

function setAt(root: JsonObject, segments: readonly PathSegment[], value: Json): void {
  let node = root;
  segments.forEach((segment, index) => {
    const key = String(segment);
    if (index === segments.length - 1) {
      const existing = node[key];
      // a presence map and fields beneath it in one layer: the fields already say the map exists
      if (isJsonObject(existing) && isJsonObject(value)) return;
      node[key] = value;
      return;
    }
    const next = node[key];
    if (!isJsonObject(next)) node[key] = {};
    node = node[key] as JsonObject;
  });
}

function toYaml(header: string, body: JsonObject): string {
  return `${header}${stringify(body, { lineWidth: 0 })}`;
}

/** The S3 part of storage.yaml from the live Config (Unmanaged S3 with credentials from the user secret). */
function buildS3Storage(cluster: LiveClusterState, leaves: readonly OwnedLeaf[]): JsonObject | undefined {
  const value = (path: string): Json | undefined => leaves.find((leaf) => leaf.path === path)?.value;
  if (value('spec.storage.managementState') !== 'Unmanaged') return undefined;
  const bucket = value('spec.storage.s3.bucket');
  if (typeof bucket !== 'string' || bucket === '') return undefined;
  const region = value('spec.storage.s3.region');
  const endpoint = value('spec.storage.s3.regionEndpoint');
  const s3: JsonObject = { bucket, region: typeof region === 'string' && region !== '' ? region : 'us-east-1' };
  if (typeof endpoint === 'string' && endpoint !== '') s3['endpoint'] = endpoint;
  const encryption = cluster.bucket?.['encryption'];
  if (isJsonObject(encryption) && encryption['algorithm'] === 'aws:kms' && typeof encryption['kmsKeyId'] === 'string') {
    s3['encryption'] = { type: 'SSE-KMS', kmsKeyId: encryption['kmsKeyId'] };
  }
  const tags = cluster.bucket?.['tags'];
  if (isJsonObject(tags)) {
    // regops.io/* tags are regops' own bookkeeping (render.ts adds them to every bucket it provisions)
    const own = Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('regops.io/')));
    if (Object.keys(own).length > 0) s3['tags'] = own;
  }
  return s3;
}

interface ClusterStorage {
  storage: JsonObject;
  /** Config leaves storage.yaml renders itself, left out of registry.yaml. */
  rendered: ReadonlySet<string>;
}

function buildStorage(cluster: LiveClusterState, configLeaves: readonly OwnedLeaf[], notes: ImportNote[]): ClusterStorage | undefined {
  const keys = cluster.storageSecretKeys;
  if (keys === undefined || keys.length === 0) return undefined;
  const found = findCredentialSet(keys);
  if (found === undefined) {
    notes.push({ cluster: cluster.name, message: `image-registry-private-configuration-user holds no complete credential set (keys: ${[...keys].sort().join(', ')}): no storage.yaml written; see config/README.md "storage.yaml"` });
    return undefined;
  }
  const secretId = `regops/${cluster.name}/registry-${found.backend}`;
  const credentials: JsonObject = { secretsManager: { secretId, ...Object.fromEntries(found.fields.map((field) => [`${field}Key`, field])) } };
  const spec: JsonObject = {};
  let rendered = new Set<string>();
  if (found.backend === 's3') {
    const s3 = buildS3Storage(cluster, configLeaves);
    if (s3 === undefined) {
      notes.push({ cluster: cluster.name, message: 'S3 credentials in the user secret but the bucket is not Unmanaged with a name: storage.yaml would provision a bucket; none written' });
      return undefined;
    }
    spec['s3'] = s3;
    rendered = new Set(storageRenderedPaths);
  } else {
    spec[found.backend] = {};
  }
  spec['credentials'] = credentials;
  notes.push({ cluster: cluster.name, message: `storage credentials: put ${found.fields.join(', ')} into the Secrets Manager secret ${secretId} (JSON keys as in clusters/${cluster.name}/storage.yaml) before the first rollout` });
  return { storage: { apiVersion: 'regops/v1', kind: 'RegistryStorage', spec }, rendered };
}

/** The imported clusters each group's selector matches, in fleet order. */
function groupMembers(input: ImportInput): Array<{ name: string; members: string[] }> {
  return input.groups.map((group) => ({
    name: group.name,
    members: input.clusters.filter((c) => matchesSelector(c.labels, group.selector)).map((c) => c.name),
  }));
}

function generateFleet(clusters: readonly LiveClusterState[]): string {
  const body = {
    apiVersion: 'regops/v1',
    kind: 'Fleet',
    metadata: { name: 'imported' },
    spec: {
      clusters: clusters.map((c) => ({ name: c.name, labels: { ...c.labels }, ...(c.context === undefined || c.context === c.name ? {} : { connection: { context: c.context } }) })),
      waves: [{ name: 'all', selector: {}, maxConcurrency: 1, maxFailures: 0 }],
      policy: { default: 'inform' },
    },
  };
  return toYaml('# Generated by `regops import`: add labels, groups and waves (config/README.md "fleet.yaml").\n', body);
}

/** Builds the repository files; pure and deterministic (clusters and keys in name order). */
export function buildImportedRepository(input: ImportInput): ImportedRepository {
  const clusters = [...input.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = clusters.map((c) => c.name);
  const groups = groupMembers({ ...input, clusters });
  const notes: ImportNote[] = [];
  const files: Record<string, string> = {};
  const layers = new Map<string, JsonObject>();
  const layerBody = (dir: string, file: LayerFile): JsonObject => {
    const key = `${dir}/${file.file}`;
    let body = layers.get(key);
    if (body === undefined) {
      body = {};
      layers.set(key, body);
    }
    return body;
  };

  const storage = new Map<string, ClusterStorage>();
  for (const file of layerFiles) {
    const perCluster = new Map<string, OwnedLeaf[]>();
    for (const cluster of clusters) {
      const live = file.pick(cluster);
      let leaves = live === undefined ? [] : extractOwnedLeaves(live);
      if (file.file === 'registry.yaml') {
        const found = buildStorage(cluster, leaves, notes);
        if (found !== undefined) {
          storage.set(cluster.name, found);
          leaves = leaves.filter((leaf) => !found.rendered.has(leaf.path));
        }
      }
      perCluster.set(cluster.name, leaves);
    }
    const byPath = new Map<string, { segments: PathSegment[]; values: Map<string, Json | undefined> }>();
    for (const [cluster, leaves] of perCluster) {
      for (const leaf of leaves) {
        let entry = byPath.get(leaf.path);
        if (entry === undefined) {
          entry = { segments: leaf.segments, values: new Map() };
          byPath.set(leaf.path, entry);
        }
        entry.values.set(cluster, leaf.value);
      }
    }
    const fields: FieldValues[] = [...byPath.keys()].sort().map((key) => ({ key, values: byPath.get(key)?.values ?? new Map() }));
    for (const assignment of factorLayers(fields, { clusters: names, groups })) {
      const segments = byPath.get(assignment.key)?.segments ?? [];
      setAt(layerBody(layerDir(assignment.layer), file), segments, assignment.value);
    }
  }

  for (const [key, body] of [...layers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = layerFiles.find((f) => key.endsWith(`/${f.file}`));
    if (file === undefined) continue;
    files[key] = toYaml('', { apiVersion: file.ref.apiVersion, kind: file.ref.kind, metadata: { name: 'cluster' }, ...(sortJsonKeys(body) as JsonObject) });
  }

  // trusted CAs: one file per ConfigMap key, layered like the fields (config/README.md "Trusted CAs")
  const caKeys = new Set(clusters.flatMap((c) => Object.keys(c.trustedCas ?? {})));
  const caFields: FieldValues[] = [...caKeys].sort().map((key) => ({
    key,
    values: new Map(clusters.map((c) => [c.name, c.trustedCas?.[key]] as const)),
  }));
  for (const assignment of factorLayers(caFields, { clusters: names, groups })) {
    if (typeof assignment.value !== 'string') continue;
    // ConfigMap keys are already `host..port` (ca-bundle.ts parseCaKey), the file names render.ts reads
    files[`${layerDir(assignment.layer)}/trusted-cas/${assignment.key}.pem`] = assignment.value;
  }
  for (const cluster of clusters) {
    const name = cluster.image?.['spec'];
    const caName = isJsonObject(name) && isJsonObject(name['additionalTrustedCA']) ? name['additionalTrustedCA']['name'] : undefined;
    if (typeof caName === 'string' && caName !== '' && caName !== RENDERED_REFS.configMap.name) {
      notes.push({ cluster: cluster.name, message: `images.config points at ConfigMap openshift-config/${caName}; regops renders ${RENDERED_REFS.configMap.name} from trusted-cas/ and repoints it on the first rollout` });
    }
  }

  for (const [cluster, found] of storage) {
    files[`clusters/${cluster}/storage.yaml`] = toYaml(
      '# Where the storage credentials live (never the values): create the secret before the first rollout.\n',
      sortJsonKeys(found.storage) as JsonObject,
    );
  }
  files['fleet.yaml'] = input.fleetText ?? generateFleet(clusters);
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(files).sort()) sorted[key] = files[key] as string;
  return { files: sorted, notes: notes.sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0)) };
}
