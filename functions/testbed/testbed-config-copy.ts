import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { TestbedError } from './testbed-error.ts';

/**
 * A copy of a regops config folder for the testbed: fleet.yaml keeps only the started clusters, and
 * every storage.yaml S3 bucket gets the testbed's S3 endpoint. In a real fleet the bare-metal
 * operator reaches S3 at AWS; here the Config must name moto (spec.storage.s3.regionEndpoint, which
 * regops renders from storage.yaml `endpoint`), or the operator would call the real AWS.
 * Returns the copy's folder (a new temporary folder; the caller removes it).
 */
export async function copyConfigForTestbed(configDir: string, clusters: readonly string[], s3Endpoint: string, options: { enforce?: readonly string[] } = {}): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'regops-testbed-config-'));
  await cp(configDir, copy, { recursive: true });
  const fleetFile = join(copy, 'fleet.yaml');
  const fleet = parseDocument(await readFile(fleetFile, 'utf8'));
  const list = fleet.getIn(['spec', 'clusters']) as { items?: Array<{ get(key: string): unknown }> } | undefined;
  if (list?.items === undefined) throw new TestbedError('fleet.invalid', `${join(configDir, 'fleet.yaml')}: spec.clusters is not a list`);
  const kept = list.items.filter((item) => clusters.includes(String(item.get('name'))));
  // the whole fleet and no override: the file stays as written (re-serialised YAML reformats flow maps, and tests edit it as text)
  if (kept.length === list.items.length && (options.enforce ?? []).length === 0) return withTestbedStorage(copy, clusters, s3Endpoint);
  list.items = kept;
  // a smaller fleet may lose every enforce cluster (config/fleet.yaml enforces prod only): options.enforce adds cluster overrides
  for (const cluster of options.enforce ?? []) {
    const overrides = fleet.getIn(['spec', 'policy', 'overrides']) as { add?: (value: unknown) => void } | undefined;
    const entry = fleet.createNode({ cluster, policy: 'enforce' });
    if (overrides?.add !== undefined) overrides.add(entry);
    else fleet.setIn(['spec', 'policy', 'overrides'], fleet.createNode([{ cluster, policy: 'enforce' }]));
  }
  await writeFile(fleetFile, fleet.toString());
  return withTestbedStorage(copy, clusters, s3Endpoint);
}

/** Points every S3 storage.yaml of the clusters in the copy at the testbed's S3 endpoint; returns the copy. */
async function withTestbedStorage(copy: string, clusters: readonly string[], s3Endpoint: string): Promise<string> {
  for (const cluster of clusters) {
    const storageFile = join(copy, 'clusters', cluster, 'storage.yaml');
    const text = await readFile(storageFile, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const storage = parseDocument(text);
    if (storage.hasIn(['spec', 's3'])) {
      storage.setIn(['spec', 's3', 'endpoint'], s3Endpoint);
      await writeFile(storageFile, storage.toString());
    }
  }
  return copy;
}
