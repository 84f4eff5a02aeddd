/**
 * What only the cluster-facing functions (reconcile-cluster, drift-scan) need: the Kubernetes
 * connector over Secrets Manager connection secrets, the secret sources for references, and the S3
 * bucket store. Kept out of aws-runtime.ts so plan-waves and publish-report bundle without
 * client-node (infra/bundle.ts: each function carries only what it imports). The clients themselves
 * (cluster-access-clients.ts) load on the first call that needs one, not at a cold start.
 */
import type { ClusterAccessFactory } from './cluster-access-types.ts';
import { once } from './settings.ts';

export type { AwsClientSettings, ClusterAccess, ClusterAccessFactory } from './cluster-access-types.ts';

export const createAwsClusterAccess: ClusterAccessFactory = (deps) => {
  const built = once(async () => (await import('./cluster-access-clients.ts')).buildClusterAccess(deps));
  return {
    connector: { connect: async (cluster) => (await built()).connector.connect(cluster) },
    secrets: { resolve: async (ref) => (await built()).secrets.resolve(ref) },
    buckets: {
      inspect: async (location) => (await built()).buckets.inspect(location),
      configure: async (location, settings, create) => (await built()).buckets.configure(location, settings, create),
    },
  };
};
