/**
 * The S3 bucket names regops may administer, derived at synth from the fleet's storage.yaml files
 * (issue 14 item 4): the role of the cluster-facing functions gets bucket-admin rights on these names,
 * not on `arn:aws:s3:::*`. A bucket named after its cluster (`acme-registry-lab-bm-1` in
 * clusters/lab-bm-1/storage.yaml) becomes the pattern `acme-registry-*`, so a cluster added in Git
 * with the same naming needs no deploy; any other name is granted as it is. A bucket added in Git
 * outside these patterns needs a deploy (or -c regops:registryBucketPattern), like a new wave.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlSource } from '../functions/core/yaml-source.ts';

function bucketOf(file: string): string | undefined {
  const value = parseYamlSource(file, readFileSync(file, 'utf8')).value as { spec?: { s3?: { bucket?: unknown } } } | null;
  const bucket = value?.spec?.s3?.bucket;
  return typeof bucket === 'string' && bucket !== '' ? bucket : undefined;
}

/** One pattern per naming scheme; [] when no storage.yaml names a bucket (regops provisions none). */
export function registryBucketPatterns(configDir: string): string[] {
  const patterns = new Set<string>();
  const layer = (dir: string, cluster?: string): void => {
    const file = join(dir, 'storage.yaml');
    if (!existsSync(file)) return;
    const bucket = bucketOf(file);
    if (bucket === undefined) return;
    const prefix = cluster !== undefined && bucket.endsWith(cluster) ? bucket.slice(0, -cluster.length) : undefined;
    patterns.add(prefix !== undefined && prefix.length >= 3 ? `${prefix}*` : bucket);
  };
  const subfolders = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);
  layer(join(configDir, 'base'));
  for (const group of subfolders(join(configDir, 'groups'))) layer(join(configDir, 'groups', group));
  for (const cluster of subfolders(join(configDir, 'clusters'))) layer(join(configDir, 'clusters', cluster), cluster);
  return [...patterns].sort();
}
