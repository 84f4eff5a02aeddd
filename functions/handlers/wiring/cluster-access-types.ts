/**
 * The shapes of cluster access (cluster-access.ts builds it lazily, cluster-access-clients.ts builds
 * the clients): in a file of their own so that neither of the two imports the other's code.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { KubeClusterClientOptions } from '../../adapters/kubernetes/kube-cluster-client.ts';
import type { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
import type { StepPorts } from '../../engine/steps/run-store.ts';

/** Settings shared by every AWS client (tests: the sandbox's endpoint, credentials and CA). */
export type AwsClientSettings = Pick<S3ClientConfig, 'endpoint' | 'region' | 'credentials' | 'requestHandler'>;

export type ClusterAccess = Pick<StepPorts, 'connector' | 'secrets' | 'buckets'>;
export type ClusterAccessFactory = (deps: { aws: AwsClientSettings; secretsManager: SecretsManagerSource; reportsClient: S3Client; kubernetes: KubeClusterClientOptions; clusterSecretPrefix?: string | undefined }) => ClusterAccess;
