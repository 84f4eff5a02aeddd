/**
 * ClusterConnector from a kubeconfig, as kubectl reads it: `--kubeconfig FILE`, else the KUBECONFIG
 * list (files joined by the path delimiter, merged, first one wins), chosen by the entry point. The
 * context is `connection.context`, defaulting to the cluster name. One client per cluster, built once.
 * The file is read once; each client gets a KubeConfig of its own context, cluster and user only
 * (client-node looks names up by scanning its lists, on every request of its own path: with the whole
 * fleet in every client that was O(clusters) per request). Clients share agents by TLS material.
 */
import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterEntry } from '../../core/model.ts';
import type { ClusterClient, ClusterConnector } from '../../engine/ports.ts';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { ClusterError } from '../errors.ts';
import { AgentCache } from './agent-cache.ts';
import { ClientCache } from './client-cache.ts';
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

/** name → entry, the first of a name winning as client-node's own lookup (Array.find) does. */
function indexByName<T extends { name: string }>(list: readonly T[]): Map<string, T> {
  const index = new Map<string, T>();
  for (const entry of list) if (!index.has(entry.name)) index.set(entry.name, entry);
  return index;
}

export class KubeconfigConnector implements ClusterConnector {
  private readonly base: KubeConfig;
  private readonly contexts: Map<string, Context>;
  private readonly clusters: Map<string, Cluster>;
  private readonly users: Map<string, User>;
  private readonly agents = new AgentCache();
  private readonly clients = new ClientCache<ClusterClient>();

  constructor(private readonly options: KubeconfigConnectorOptions) {
    this.base = loadKubeconfig(options.kubeconfig);
    this.contexts = indexByName(this.base.contexts);
    this.clusters = indexByName(this.base.clusters);
    this.users = indexByName(this.base.users);
  }

  connect(cluster: ClusterEntry): Promise<ClusterClient> {
    return this.clients.get(cluster.name, () => this.build(cluster));
  }

  private async build(cluster: ClusterEntry): Promise<ClusterClient> {
    const contextName = cluster.connection.context ?? cluster.name;
    const context = this.contexts.get(contextName);
    if (context === undefined) {
      const known = this.base.contexts.map((c) => c.name).sort();
      const listed = known.length > 20 ? `${known.slice(0, 20).join(', ')}, … (${known.length} in all)` : known.join(', ') || 'none';
      throw new ClusterError('cluster.invalid', `cluster ${cluster.name}: kubeconfig ${this.options.kubeconfig} has no context "${contextName}" (known contexts: ${listed})`, {
        cluster: cluster.name,
        context: contextName,
        file: this.options.kubeconfig,
      });
    }
    const kubeCluster = this.clusters.get(context.cluster);
    if (kubeCluster === undefined) {
      throw new ClusterError('cluster.invalid', `cluster ${cluster.name}: kubeconfig context "${contextName}" names cluster "${context.cluster}", which the kubeconfig does not define`, {
        cluster: cluster.name,
        context: contextName,
        file: this.options.kubeconfig,
      });
    }
    const user = this.users.get(context.user);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: [kubeCluster], users: user === undefined ? [] : [user], contexts: [context], currentContext: contextName });
    const { kubeconfig: _file, ...clientOptions } = this.options;
    return createKubeClusterClient(cluster.name, kubeConfig, { agents: this.agents, ...clientOptions });
  }
}
