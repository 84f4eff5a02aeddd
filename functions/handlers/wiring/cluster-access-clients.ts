/**
 * The cluster-facing clients behind cluster-access.ts: the Kubernetes connector over Secrets Manager
 * connection secrets (client-node), the secret sources for references (SSM client) and the S3 bucket
 * store with one client per region. Loaded on the first call that needs one (a dynamic import from
 * cluster-access.ts, a chunk of its own in the bundle), not at a cold start.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretConnector } from '../../adapters/kubernetes/secret-connector.ts';
import { S3BucketStore } from '../../adapters/s3/s3-bucket-store.ts';
import { SecretSourceRouter } from '../../adapters/secrets/secret-source-router.ts';
import { SsmParameterSource } from '../../adapters/secrets/ssm-source.ts';
import type { ClusterAccess, ClusterAccessFactory } from './cluster-access-types.ts';

export const buildClusterAccess: ClusterAccessFactory = ({ aws, secretsManager, reportsClient, kubernetes, clusterSecretPrefix }): ClusterAccess => {
  // registry buckets live in their clusters' regions: one client per region (and endpoint)
  const byRegion = new Map<string, S3Client>();
  const clientFor = (location: { region: string; endpoint?: string }): S3Client => {
    const key = `${location.region}|${location.endpoint ?? ''}`;
    let client = byRegion.get(key);
    if (client === undefined) {
      client = new S3Client({ ...aws, region: location.region, ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }), forcePathStyle: (location.endpoint ?? aws.endpoint) !== undefined });
      byRegion.set(key, client);
    }
    return client;
  };
  return {
    // CLUSTER_SECRET_PREFIX (infra/regops-stack.ts) names the connection secrets the role may read
    connector: new SecretConnector(secretsManager, { ...kubernetes, ...(clusterSecretPrefix === undefined ? {} : { secretPrefix: clusterSecretPrefix }) }),
    secrets: new SecretSourceRouter({ secretsmanager: secretsManager, ssm: new SsmParameterSource(new SSMClient({ ...aws })) }),
    buckets: new S3BucketStore(reportsClient, { clientFor }),
  };
};
