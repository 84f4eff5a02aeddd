import { stringify } from 'yaml';

/** One cluster entry of the sandbox kubeconfig. */
export interface KubeconfigEntry {
  name: string;
  server: string;
  token: string;
}

/**
 * A kubeconfig with one cluster, user and context per cluster, all named after it, trusting the
 * sandbox CA through certificate-authority-data. The first cluster is the current context.
 */
export function renderKubeconfig(entries: KubeconfigEntry[], caPem: string): string {
  const caData = Buffer.from(caPem, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': entries[0]?.name ?? '',
    clusters: entries.map((entry) => ({ name: entry.name, cluster: { server: entry.server, 'certificate-authority-data': caData } })),
    users: entries.map((entry) => ({ name: entry.name, user: { token: entry.token } })),
    contexts: entries.map((entry) => ({ name: entry.name, context: { cluster: entry.name, user: entry.name } })),
  });
}
