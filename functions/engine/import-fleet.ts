/**
 * `regops import`: read what each cluster holds (the objects regops renders, the ConfigMap
 * images.config points at, the key names of the storage secret, the Unmanaged bucket) and build a
 * config repository from it with core (core/import/build-imported-repository.ts). Read only. All or
 * nothing: a cluster that cannot be read fails the import, so no repository is half built.
 */
import type { ClusterEntry, Fleet, JsonObject } from '../core/model.ts';
import { toError } from '../core/errors.ts';
import { isJsonObject } from '../core/is-json-object.ts';
import { readPath } from '../core/owned-leaves.ts';
import { RENDERED_REFS } from '../core/render.ts';
import { buildImportedRepository, type ImportedRepository, type LiveClusterState } from '../core/import/build-imported-repository.ts';
import type { EnginePorts } from './engine-ports.ts';
import { ImportFailedError } from './errors.ts';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.ts';
import { runBounded } from './run-bounded.ts';

export interface ImportFleetOptions {
  clusters: readonly ClusterEntry[];
  groups: Fleet['groups'];
  /** fleet.yaml as written by the user, copied as is; generated when absent. */
  fleetText?: string;
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
  const state: LiveClusterState = { name: entry.name, labels: entry.labels };
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

/** Reads every cluster and builds the repository; throws ImportFailedError when any cluster failed. */
export async function importFleet(ports: Pick<EnginePorts, 'connector' | 'buckets' | 'clock' | 'progress'>, options: ImportFleetOptions): Promise<ImportedRepository> {
  const failures: string[] = [];
  const states = await runBounded(options.clusters, options.concurrency ?? 20, async (entry) => {
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
    throw new ImportFailedError('import.cluster-failed', `${failures.length} of ${options.clusters.length} clusters could not be read; nothing was written:\n  ${failures.sort().join('\n  ')}`, {});
  }
  return buildImportedRepository({
    clusters: states.filter((s): s is LiveClusterState => s !== undefined),
    groups: options.groups,
    ...(options.fleetText === undefined ? {} : { fleetText: options.fleetText }),
  });
}
