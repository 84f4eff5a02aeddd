import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ClusterSpec } from './sandbox-cluster.ts';

/** Reads spec.clusters[].name and labels.platform/region from a fleet.yaml (docs/interfaces.md §1); nothing else. */
export async function readFleetClusters(fleetFile: string): Promise<ClusterSpec[]> {
  const parsed: unknown = parse(await readFile(fleetFile, 'utf8'));
  const clusters = (parsed as { spec?: { clusters?: unknown } } | null)?.spec?.clusters;
  if (!Array.isArray(clusters)) throw new Error(`sandbox: ${fleetFile}: spec.clusters is not a list`);
  return clusters.map((entry: unknown, index) => {
    const record = (entry ?? {}) as { name?: unknown; labels?: Record<string, unknown> };
    if (typeof record.name !== 'string' || record.name === '') throw new Error(`sandbox: ${fleetFile}: spec.clusters[${index}].name is missing`);
    const platform = typeof record.labels?.['platform'] === 'string' ? record.labels['platform'] : 'aws';
    const region = typeof record.labels?.['region'] === 'string' ? record.labels['region'] : 'us-east-1';
    return { name: record.name, platform, region };
  });
}

/** N generated clusters sbx-0001…, AWS in us-east-1 (docs/interfaces.md §2 `clusters`). */
export function generateClusters(count: number): ClusterSpec[] {
  return Array.from({ length: count }, (_, index) => ({ name: `sbx-${String(index + 1).padStart(4, '0')}`, platform: 'aws', region: 'us-east-1' }));
}
