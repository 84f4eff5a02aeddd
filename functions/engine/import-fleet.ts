/**
 * `regops import`: read what each cluster holds (the objects regops renders, the ConfigMap
 * images.config points at, the key names of the storage secret, the Unmanaged bucket) and build a
 * config repository from it with core (core/import/build-imported-repository.ts). Read only. All or
 * nothing: a cluster that cannot be read fails the import, so no repository is half built.
 */
import type { ClusterEntry, Fleet, JsonObject } from '../core/model.ts';
import { toError } from '../core/errors.ts';
import { parseFleet } from '../core/fleet.ts';
import { selectClusters } from '../core/select-clusters.ts';
import { parseYamlSource } from '../core/yaml-source.ts';
import { isJsonObject } from '../core/is-json-object.ts';
import { readPath } from '../core/owned-leaves.ts';
import { RENDERED_REFS } from '../core/render.ts';
import { buildImportedRepository, type ImportedRepository, type LiveClusterState } from '../core/import/build-imported-repository.ts';
import type { EnginePorts } from './engine-ports.ts';
import { ImportFailedError, ValidationFailedError } from './errors.ts';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.ts';
import { runBounded } from './run-bounded.ts';

/**
 * Which clusters to import: those of a fleet.yaml the user wrote (copied into the repository as it
 * is, its groups used for the layers), or clusters found by the caller (kubeconfig contexts, --live-dir
 * folders), for which a fleet.yaml is generated.
 */
export type ImportSource = { fleetFile: { path: string; text: string } } | { clusters: readonly ClusterEntry[] };

export interface ImportFleetOptions {
  source: ImportSource;
  /** Cluster names to import (empty: all). */
  names: readonly string[];
  /** Inspect the Unmanaged S3 bucket of each cluster for its encryption and tags (needs AWS access). */
  inspectBuckets: boolean;
  concurrency?: number;
  retry?: RetryPolicy;
}

function stringData(object: JsonObject | undefined): Record<string, string> | undefined {
  const data = object?.['data'];
  if (!isJsonObject(data)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
  return out;
}

async function readCluster(ports: Pick<EnginePorts, 'connector' | 'buckets' | 'clock' | 'progress'>, entry: ClusterEntry, options: ImportFleetOptions): Promise<LiveClusterState> {
  const retry = options.retry ?? defaultRetryPolicy;
  const read = <T>(call: () => Promise<T>): Promise<T> => withRetry(ports.clock, call, undefined, retry);
  ports.progress?.emit({ cluster: entry.name, phase: 'connecting' });
  const client = await read(() => ports.connector.connect(entry));
  ports.progress?.emit({ cluster: entry.name, phase: 'planning', message: 'reading' });
  const config = await read(() => client.get(RENDERED_REFS.config));
  const pruner = await read(() => client.get(RENDERED_REFS.pruner));
  const image = await read(() => client.get(RENDERED_REFS.image));
  const state: LiveClusterState = { name: entry.name, labels: entry.labels, ...(entry.connection.context === undefined ? {} : { context: entry.connection.context }) };
  if (config !== undefined) state.config = config;
  if (pruner !== undefined) state.pruner = pruner;
  if (image !== undefined) state.image = image;
  const caName = readPath(image, ['spec', 'additionalTrustedCA', 'name']);
  if (typeof caName === 'string' && caName !== '') {
    const configMap = await read(() => client.get({ ...RENDERED_REFS.configMap, name: caName }));
    const data = stringData(configMap);
    if (data !== undefined) state.trustedCas = data;
  }
  // the adapter returns a Secret's data as digests (ports.ts ClusterClient): only the key names are used
  const secret = await read(() => client.get(RENDERED_REFS.secret));
  const keys = secret === undefined ? [] : Object.keys(isJsonObject(secret['data']) ? secret['data'] : {});
  if (keys.length > 0) state.storageSecretKeys = keys;
  const bucket = readPath(config, ['spec', 'storage', 's3', 'bucket']);
  if (options.inspectBuckets && typeof bucket === 'string' && bucket !== '' && readPath(config, ['spec', 'storage', 'managementState']) === 'Unmanaged') {
    const region = readPath(config, ['spec', 'storage', 's3', 'region']);
    const endpoint = readPath(config, ['spec', 'storage', 's3', 'regionEndpoint']);
    const location = { name: bucket, region: typeof region === 'string' && region !== '' ? region : 'us-east-1', ...(typeof endpoint === 'string' && endpoint !== '' ? { endpoint } : {}) };
    const document = await read(() => ports.buckets.inspect(location));
    if (document !== undefined) state.bucket = document;
  }
  ports.progress?.emit({ cluster: entry.name, phase: 'planned', message: 'read' });
  return state;
}

function resolveClusters(options: ImportFleetOptions): { clusters: ClusterEntry[]; groups: Fleet['groups']; fleetText?: string } {
  if ('clusters' in options.source) {
    const names = new Set(options.names);
    return { clusters: options.source.clusters.filter((c) => names.size === 0 || names.has(c.name)), groups: [] };
  }
  const { path, text } = options.source.fleetFile;
  const parsed = parseFleet(parseYamlSource(path, text));
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ValidationFailedError(`${path}: ${errors.length} error${errors.length === 1 ? '' : 's'} in the fleet file; nothing was imported`, errors);
  return { clusters: selectClusters(parsed.fleet, { names: options.names, selector: {} }), groups: parsed.fleet.groups, fleetText: text };
}

/** Reads every cluster and builds the repository; throws ImportFailedError when any cluster failed. */
export async function importFleet(ports: Pick<EnginePorts, 'connector' | 'buckets' | 'clock' | 'progress'>, options: ImportFleetOptions): Promise<ImportedRepository> {
  const { clusters, groups, fleetText } = resolveClusters(options);
  const failures: string[] = [];
  const states = await runBounded(clusters, options.concurrency ?? 20, async (entry) => {
    try {
      return await readCluster(ports, entry, options);
    } catch (thrown) {
      const error = toError(thrown);
      ports.progress?.emit({ cluster: entry.name, phase: 'failed', message: error.message });
      failures.push(`cluster ${entry.name}: ${error.message}`);
      return undefined;
    }
  });
  if (failures.length > 0) {
    throw new ImportFailedError('import.cluster-failed', `${failures.length} of ${clusters.length} clusters could not be read; nothing was written:\n  ${failures.sort().join('\n  ')}`, {});
  }
  return buildImportedRepository({
    clusters: states.filter((s): s is LiveClusterState => s !== undefined),
    groups,
    ...(fleetText === undefined ? {} : { fleetText }),
  });
}
