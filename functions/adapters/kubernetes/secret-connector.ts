/**
 * ClusterConnector for AWS: each cluster's API endpoint and credentials come from a Secrets Manager
 * secret (`connection.secretId`, default `regops/clusters/<name>`) holding
 * `{"server": "https://…", "caData": "<base64 PEM>", "token": "…", "proxyUrl"?: "…"}`.
 * The values stay inside the adapters: they go straight into client-node's KubeConfig.
 */
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster, User } from '@kubernetes/client-node';
import type { ClusterEntry } from '../../core/model.ts';
import type { ClusterClient, ClusterConnector, SecretValue } from '../../engine/ports.ts';
import { ClusterError } from '../errors.ts';
import { rememberSecret } from '../secrets/redact-secrets.ts';
import { revealSecretSetting, revealSecretValue } from '../secrets/secret-value.ts';
import { AgentCache } from './agent-cache.ts';
import { ClientCache } from './client-cache.ts';
import { createKubeClusterClient } from './kube-cluster-client.ts';
import type { KubeClusterClientOptions } from './kube-cluster-client.ts';

/** Reads every key of a JSON secret (SecretsManagerSource.resolveDocument). */
export interface SecretDocumentReader {
  resolveDocument(id: string): Promise<ReadonlyMap<string, SecretValue>>;
}

export type SecretConnectorOptions = KubeClusterClientOptions & {
  /** Prefix of the default connection secret ids (the stack's CLUSTER_SECRET_PREFIX); default `regops/clusters/`. */
  secretPrefix?: string;
};

/** Remembers the user name and password of a URL (a proxy's) for redaction. */
function rememberUserInfo(url: string): void {
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url)?.[1];
  if (userInfo === undefined) return;
  for (const part of userInfo.split(':')) if (part !== '') rememberSecret(decodeURIComponent(part));
  rememberSecret(userInfo);
}

/** The connection secret id of a cluster: `connection.secretId`, else `<prefix><name>` (default prefix `regops/clusters/`, docs/interfaces.md §2). */
export function findConnectionSecretId(cluster: ClusterEntry, prefix = 'regops/clusters/'): string {
  return cluster.connection.secretId ?? `${prefix}${cluster.name}`;
}

export class SecretConnector implements ClusterConnector {
  private readonly clients = new ClientCache<ClusterClient>();
  // clusters whose secrets carry the same CA share one agent and TLS context (agent-cache.ts)
  private readonly agents = new AgentCache();

  constructor(
    private readonly secrets: SecretDocumentReader,
    private readonly options: SecretConnectorOptions = {},
  ) {}

  connect(cluster: ClusterEntry): Promise<ClusterClient> {
    return this.clients.get(cluster.name, () => this.build(cluster));
  }

  private async build(cluster: ClusterEntry): Promise<ClusterClient> {
    const secretId = findConnectionSecretId(cluster, this.options.secretPrefix);
    const document = await this.secrets.resolveDocument(secretId);
    const read = (key: string): string | undefined => {
      const held = document.get(key);
      return held === undefined ? undefined : revealSecretValue(held);
    };
    // the address, the CA and a proxy URL are settings: only the token and a proxy's user info are
    // credentials, remembered for redaction (secrets/redact-secrets.ts)
    const readSetting = (key: string): string | undefined => {
      const held = document.get(key);
      return held === undefined ? undefined : revealSecretSetting(held);
    };
    const server = readSetting('server');
    const token = read('token');
    if (server === undefined || token === undefined) {
      const missing = ['server', 'token'].filter((k) => !document.has(k)).join(', ');
      throw new ClusterError('cluster.invalid', `cluster ${cluster.name}: connection secret ${secretId} lacks ${missing}`, { cluster: cluster.name, secretId });
    }
    const caText = readSetting('caData');
    const proxyUrl = readSetting('proxyUrl');
    if (proxyUrl !== undefined) rememberUserInfo(proxyUrl);
    const kubeCluster: Cluster = {
      name: cluster.name,
      server,
      skipTLSVerify: false,
      // caData is base64 of the PEM as in a kubeconfig; a bare PEM is accepted too
      ...(caText === undefined ? {} : { caData: caText.includes('-----BEGIN') ? Buffer.from(caText, 'utf8').toString('base64') : caText }),
      ...(proxyUrl === undefined ? {} : { proxyUrl }),
    };
    const user: User = { name: `regops@${cluster.name}`, token };
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: [kubeCluster], users: [user], contexts: [{ name: cluster.name, cluster: cluster.name, user: user.name }], currentContext: cluster.name });
    const { secretPrefix: _prefix, ...clientOptions } = this.options;
    return createKubeClusterClient(cluster.name, kubeConfig, { agents: this.agents, ...clientOptions });
  }
}
