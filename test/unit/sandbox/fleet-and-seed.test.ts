import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClusters, readFleetClusters } from '../../../functions/sandbox/fleet-clusters.ts';
import { readSeedObjects } from '../../../functions/sandbox/seed-dumps.ts';

describe('fleet files and seed dumps', () => {
  it('reads names, platform and region; generates sbx-NNNN fleets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sbx-unit-'));
    try {
      await writeFile(join(dir, 'fleet.yaml'), 'spec:\n  clusters:\n    - name: a\n      labels: {platform: baremetal}\n    - name: b\n      labels: {platform: aws, region: eu-west-1}\n');
      expect(await readFleetClusters(join(dir, 'fleet.yaml'))).toEqual([
        { name: 'a', platform: 'baremetal', region: 'us-east-1' },
        { name: 'b', platform: 'aws', region: 'eu-west-1' },
      ]);
      await mkdir(join(dir, 'seed'));
      await writeFile(join(dir, 'seed', 'b.yaml'), 'kind: List\napiVersion: v1\nitems:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: x}}\n');
      await writeFile(join(dir, 'seed', 'a.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: y}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: z}\n');
      await writeFile(join(dir, 'seed', 'notes.txt'), 'ignored');
      expect((await readSeedObjects(join(dir, 'seed'))).map((object) => (object['metadata'] as { name: string }).name)).toEqual(['y', 'z', 'x']);
      expect(await readSeedObjects(join(dir, 'missing'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(generateClusters(2)).toEqual([
      { name: 'sbx-0001', platform: 'aws', region: 'us-east-1' },
      { name: 'sbx-0002', platform: 'aws', region: 'us-east-1' },
    ]);
  });
});
