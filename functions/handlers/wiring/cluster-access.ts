/**
 * What only the cluster-facing functions (reconcile-cluster, drift-scan) need: the Kubernetes
 * connector over Secrets Manager connection secrets, the secret sources for references, and the S3
 * bucket store. Kept out of aws-runtime.ts so plan-waves and publish-report bundle without
 * client-node (infra/bundle.ts: each function carries only what it imports).
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretConnector } from '../../adapters/kubernetes/secret-connector.ts';
import type { KubeClusterClientOptions } from '../../adapters/kubernetes/kube-cluster-client.ts';
import { S3BucketStore } from '../../adapters/s3/s3-bucket-store.ts';
import { SecretSourceRouter } from '../../adapters/secrets/secret-source-router.ts';
import type { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
import { SsmParameterSource } from '../../adapters/secrets/ssm-source.ts';
import type { StepPorts } from '../../engine/steps/run-store.ts';

/** Settings shared by every AWS client (tests: the sandbox's endpoint, credentials and CA). */
export type AwsClientSettings = Pick<S3ClientConfig, 'endpoint' | 'region' | 'credentials' | 'requestHandler'>;

export type ClusterAccess = Pick<StepPorts, 'connector' | 'secrets' | 'buckets'>;
export type ClusterAccessFactory = (deps: { aws: AwsClientSettings; secretsManager: SecretsManagerSource; reportsClient: S3Client; kubernetes: KubeClusterClientOptions; clusterSecretPrefix?: string | undefined }) => ClusterAccess;

export const createAwsClusterAccess: ClusterAccessFactory = ({ aws, secretsManager, reportsClient, kubernetes, clusterSecretPrefix }) => {
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
