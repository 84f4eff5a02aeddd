/** ClusterConnector for `--live-dir DIR`: each cluster's state is read once from DIR/<cluster>/. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterEntry } from '../../core/model.ts';
import type { ClusterClient, ClusterConnector } from '../../engine/ports.ts';
import { ClusterError } from '../errors.ts';
import { LiveDirClusterClient } from './live-dir-cluster-client.ts';
import { readLiveObjects } from './read-live-objects.ts';

export class LiveDirConnector implements ClusterConnector {
  private readonly clients = new Map<string, Promise<ClusterClient>>();

  constructor(private readonly dir: string) {}

  connect(cluster: ClusterEntry): Promise<ClusterClient> {
    let client = this.clients.get(cluster.name);
    if (client === undefined) {
      client = this.load(cluster.name);
      this.clients.set(cluster.name, client);
    }
    return client;
  }

  private async load(cluster: string): Promise<ClusterClient> {
    const folder = join(this.dir, cluster);
    const found = await stat(folder).catch(() => undefined);
    if (found?.isDirectory() !== true) {
      throw new ClusterError('cluster.not-found', `cluster ${cluster}: no saved state: ${folder} is not a folder (expected \`oc get -o yaml\` output in DIR/<cluster>/*.yaml)`, {
        cluster,
        file: folder,
      });
    }
    return new LiveDirClusterClient(cluster, await readLiveObjects(folder, cluster));
  }
}
