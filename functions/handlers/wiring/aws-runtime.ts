/**
 * The step functions' runtime in AWS, from the environment the stack sets: reports bucket,
 * repository, GitHub token secret, cluster connection secrets (regops/clusters/<name>, read by the
 * secret connector), Secrets Manager and SSM for secret references, S3 for registry buckets.
 * `clients` lets a test point every client at the sandbox and the GitHub stand-in.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Octokit } from '@octokit/rest';
import { GitHubConfigSource } from '../../adapters/github/github-config-source.ts';
import { GitHubPublisher } from '../../adapters/github/github-publisher.ts';
import { SecretConnector } from '../../adapters/kubernetes/secret-connector.ts';
import { emitMetrics } from '../../adapters/observability/emf-metrics.ts';
import { createJsonLogger } from '../../adapters/observability/json-logger.ts';
import { S3BucketStore } from '../../adapters/s3/s3-bucket-store.ts';
import { S3ReportStore } from '../../adapters/s3/s3-report-store.ts';
import { SecretSourceRouter } from '../../adapters/secrets/secret-source-router.ts';
import { revealSecretValue } from '../../adapters/secrets/secret-value.ts';
import { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
import { SsmParameterSource } from '../../adapters/secrets/ssm-source.ts';
import { defaultReconcileSettings, type StepPorts } from '../../engine/state-machine-steps.ts';
import { once, readNumberEnv, requireEnv, splitRepository, type Env } from './settings.ts';
import { createLogProgress, type StepRuntime } from './step-runtime.ts';
import { systemClock } from './system-clock.ts';

/** Settings shared by every AWS client (tests: the sandbox's endpoint, credentials and CA). */
export type AwsClientSettings = Pick<S3ClientConfig, 'endpoint' | 'region' | 'credentials' | 'requestHandler'>;

export interface AwsClients {
  aws?: AwsClientSettings;
  /** GitHub API root (GitHub Enterprise, the test stand-in); default api.github.com. */
  githubBaseUrl?: string;
  /** Options for the Kubernetes clients the connector builds. */
  kubernetes?: ConstructorParameters<typeof SecretConnector>[1];
  /** Where log and metric lines go (stdout by default). */
  write?: (line: string) => void;
}

export function buildAwsStepRuntime(env: Env, functionName: string, clients: AwsClients = {}): StepRuntime {
  const write = clients.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createJsonLogger({ service: `regops-${functionName}`, write });
  const { owner, repo } = splitRepository(requireEnv(env, 'REGOPS_REPOSITORY'));
  const aws = clients.aws ?? {};
  const s3 = once(() => new S3Client({ ...aws, forcePathStyle: aws.endpoint !== undefined }));
  // registry buckets live in their clusters' regions: one client per region (and endpoint)
  const s3ByRegion = new Map<string, S3Client>();
  const s3For = (location: { region: string; endpoint?: string }): S3Client => {
    const key = `${location.region}|${location.endpoint ?? ''}`;
    let client = s3ByRegion.get(key);
    if (client === undefined) {
      client = new S3Client({ ...aws, region: location.region, ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }), forcePathStyle: (location.endpoint ?? aws.endpoint) !== undefined });
      s3ByRegion.set(key, client);
    }
    return client;
  };
  const secretsManager = once(() => new SecretsManagerSource(new SecretsManagerClient({ ...aws })));
  const octokit = once(async () => {
    const tokenId = env['GITHUB_TOKEN_SECRET_ID'];
    const token = tokenId === undefined ? undefined : revealSecretValue(await secretsManager().resolve({ source: 'secretsmanager', id: tokenId }));
    return new Octokit({
      userAgent: 'regops',
      ...(token === undefined ? {} : { auth: token }),
      ...(clients.githubBaseUrl === undefined ? {} : { baseUrl: clients.githubBaseUrl }),
    });
  });
  const ports = once(async (): Promise<StepPorts> => ({
    config: new GitHubConfigSource({ owner, repo, octokit: await octokit(), defaultRef: requireEnv(env, 'REGOPS_BRANCH') }),
    connector: new SecretConnector(secretsManager(), clients.kubernetes ?? {}),
    secrets: new SecretSourceRouter({ secretsmanager: secretsManager(), ssm: new SsmParameterSource(new SSMClient({ ...aws })) }),
    buckets: new S3BucketStore(s3(), { clientFor: s3For }),
    reports: new S3ReportStore(s3(), requireEnv(env, 'REPORTS_BUCKET')),
    clock: systemClock,
    progress: createLogProgress(logger),
  }));
  return {
    ports,
    publisher: once(async () => new GitHubPublisher(await octokit(), owner, repo)),
    logger,
    settings: {
      maxClusters: readNumberEnv(env, 'REGOPS_MAX_CLUSTERS', 1000),
      driftConcurrency: readNumberEnv(env, 'REGOPS_DRIFT_CONCURRENCY', 50),
      reconcile: {
        firstLookMs: readNumberEnv(env, 'REGOPS_FIRST_LOOK_MS', defaultReconcileSettings.firstLookMs),
        gateTimeoutMs: readNumberEnv(env, 'REGOPS_HEALTH_TIMEOUT_MS', defaultReconcileSettings.gateTimeoutMs),
        pollSeconds: readNumberEnv(env, 'REGOPS_POLL_SECONDS', defaultReconcileSettings.pollSeconds),
        maxRounds: readNumberEnv(env, 'REGOPS_MAX_ROUNDS', defaultReconcileSettings.maxRounds),
      },
    },
    metrics: (metrics, properties) => emitMetrics(metrics, { namespace: 'Regops', dimensions: { Function: functionName }, properties, write }),
  };
}
