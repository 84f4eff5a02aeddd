/**
 * The clusters `regops import` finds without a fleet.yaml: each folder of `--live-dir DIR`, or each
 * context of the kubeconfig files (KUBECONFIG may list several). A context name that is not a DNS
 * label (`admin@prod.example`) gives a cluster named after it in DNS-label form, connecting through
 * the context as it is.
 */
import { readdir, readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ClusterEntry } from '../../core/model.ts';
import { toClusterName } from '../../core/import/to-cluster-name.ts';
import { SourceError } from '../errors.ts';

/** One cluster per folder of DIR (saved `oc get -o yaml` output per cluster). */
export async function listLiveDirClusters(dir: string): Promise<ClusterEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((thrown: unknown) => {
    throw new SourceError('source.not-found', `${dir}: cannot list the folder (expected one folder per cluster)`, { file: dir }, { cause: thrown });
  });
  const clusters: ClusterEntry[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    // the live-dir reader finds a cluster by its folder (live-dir-connector.ts): the names must agree
    if (toClusterName(entry.name) !== entry.name) {
      throw new SourceError('source.bad-name', `${dir}/${entry.name}: a cluster folder must be named as a DNS label (lower case, digits, -), e.g. ${toClusterName(entry.name)}`, { file: `${dir}/${entry.name}` });
    }
    clusters.push({ name: entry.name, labels: {}, connection: {} });
  }
  return clusters.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** One cluster per context of the kubeconfig files (`:`-separated, as KUBECONFIG). */
export async function listKubeconfigClusters(files: readonly string[]): Promise<ClusterEntry[]> {
  const seen = new Map<string, ClusterEntry>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((thrown: unknown) => {
      throw new SourceError('source.not-found', `${file}: cannot read the kubeconfig`, { file }, { cause: thrown });
    });
    const doc = parse(text, { maxAliasCount: 100 }) as { contexts?: Array<{ name?: unknown }> } | null;
    for (const context of doc?.contexts ?? []) {
      if (typeof context.name !== 'string' || context.name === '') continue;
      const name = toClusterName(context.name);
      // the first file naming a context wins, as kubectl merges KUBECONFIG
      if (!seen.has(name)) seen.set(name, { name, labels: {}, connection: { context: context.name } });
    }
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
