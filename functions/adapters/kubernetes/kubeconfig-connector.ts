/**
 * ClusterConnector from a kubeconfig, as kubectl reads it: `--kubeconfig FILE`, else the KUBECONFIG
 * list (files joined by the path delimiter, merged, first one wins), chosen by the entry point. The
 * context is `connection.context`, defaulting to the cluster name. One client per cluster, built once.
 */
import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterEntry } from '../../core/model.ts';
import type { ClusterClient, ClusterConnector } from '../ports.ts';
import { ClusterError } from '../errors.ts';
import { createKubeClusterClient } from './kube-cluster-client.ts';
import type { KubeClusterClientOptions } from './kube-cluster-client.ts';

export interface KubeconfigConnectorOptions extends KubeClusterClientOptions {
  /** A kubeconfig path, or a KUBECONFIG-style list of paths joined by `path.delimiter`. */
  kubeconfig: string;
}

function loadKubeconfig(paths: string): KubeConfig {
  const files = paths.split(delimiter).filter((p) => p !== '');
  const merged = new KubeConfig();
  files.forEach((file, index) => {
    const next = new KubeConfig();
    try {
      next.loadFromFile(file);
    } catch (error) {
      throw new ClusterError('cluster.invalid', `kubeconfig ${file}: cannot be read as a kubeconfig`, { file }, { cause: error });
    }
    if (index === 0) merged.loadFromOptions({ clusters: next.clusters, users: next.users, contexts: next.contexts, currentContext: next.currentContext });
    else {
      // kubectl: the first file that sets a name wins
      const has = (list: ReadonlyArray<{ name: string }>, name: string): boolean => list.some((entry) => entry.name === name);
      for (const cluster of next.clusters) if (!has(merged.clusters, cluster.name)) merged.addCluster(cluster);
      for (const user of next.users) if (!has(merged.users, user.name)) merged.addUser(user);
      for (const context of next.contexts) if (!has(merged.contexts, context.name)) merged.addContext(context);
    }
  });
  return merged;
}

export class KubeconfigConnector implements ClusterConnector {
  private readonly base: KubeConfig;
  private readonly clients = new Map<string, Promise<ClusterClient>>();

  constructor(private readonly options: KubeconfigConnectorOptions) {
    this.base = loadKubeconfig(options.kubeconfig);
  }

  connect(cluster: ClusterEntry): Promise<ClusterClient> {
    let client = this.clients.get(cluster.name);
    if (client === undefined) {
      client = this.build(cluster);
      this.clients.set(cluster.name, client);
      // a failed build is not cached: a later connect may find a fixed file or context
      client.catch(() => this.clients.delete(cluster.name));
    }
    return client;
  }

  private async build(cluster: ClusterEntry): Promise<ClusterClient> {
    const contextName = cluster.connection.context ?? cluster.name;
    const context = this.base.getContextObject(contextName);
    if (context === null) {
      const known = this.base.contexts.map((c) => c.name).sort();
      const listed = known.length > 20 ? `${known.slice(0, 20).join(', ')}, … (${known.length} in all)` : known.join(', ') || 'none';
      throw new ClusterError('cluster.invalid', `cluster ${cluster.name}: kubeconfig ${this.options.kubeconfig} has no context "${contextName}" (known contexts: ${listed})`, {
        cluster: cluster.name,
        context: contextName,
        file: this.options.kubeconfig,
      });
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: this.base.clusters, users: this.base.users, contexts: this.base.contexts, currentContext: contextName });
    if (kubeConfig.getCurrentCluster() === null) {
      throw new ClusterError('cluster.invalid', `cluster ${cluster.name}: kubeconfig context "${contextName}" names cluster "${context.cluster}", which the kubeconfig does not define`, {
        cluster: cluster.name,
        context: contextName,
        file: this.options.kubeconfig,
      });
    }
    const { kubeconfig: _file, ...clientOptions } = this.options;
    return createKubeClusterClient(cluster.name, kubeConfig, clientOptions);
  }
}
