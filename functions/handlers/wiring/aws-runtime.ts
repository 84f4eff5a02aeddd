/**
 * The step functions' runtime in AWS, from the environment the stack sets: reports bucket,
 * repository and branch, GitHub token secret, tuning. Cluster access (cluster-access.ts) and GitHub
 * access (github-access.ts) are given only by the functions that need them, so each bundle carries
 * only its own clients. `clients` lets a test point everything at the sandbox and the GitHub stand-in.
 */
import { emitMetrics } from '../../adapters/observability/emf-metrics.ts';
import { createJsonLogger } from '../../adapters/observability/json-logger.ts';
import type { CommitPublisher, ConfigSource } from '../../engine/ports.ts';
import { RegopsError } from '../../core/errors.ts';
import { defaultReconcileSettings } from '../../engine/steps/reconcile-step.ts';
import type { StepPorts } from '../../engine/steps/run-store.ts';
import type { AwsClientSettings, ClusterAccess, ClusterAccessFactory } from './cluster-access.ts';
import type { GitHubAccess, GitHubAccessFactory } from './github-access.ts';
import { once, readNumberEnv, requireEnv, splitRepository, type Env } from './settings.ts';
import { createLogProgress, type StepRuntime } from './step-runtime.ts';
import { systemClock } from '../../adapters/system-clock.ts';

export interface AwsClients {
  aws?: AwsClientSettings;
  /** GitHub API root (the test stand-in); default GITHUB_API_URL (GitHub Enterprise), else api.github.com. */
  githubBaseUrl?: string;
  /** Options for the Kubernetes clients the connector builds. */
  kubernetes?: Parameters<ClusterAccessFactory>[0]['kubernetes'];
  /** Where log and metric lines go (stdout by default). */
  write?: (line: string) => void;
}

/** Which functions reach what: reconcile-cluster and drift-scan the clusters, plan-waves and publish-report GitHub. */
export interface Access {
  cluster?: ClusterAccessFactory;
  github?: GitHubAccessFactory;
}

function refuse(functionName: string, what: string): () => Promise<never> {
  return () => Promise.reject(new RegopsError('runtime.no-access', `function ${functionName}: has no ${what} access`, { function: functionName }));
}

function withoutClusterAccess(functionName: string): ClusterAccess {
  const no = refuse(functionName, 'cluster');
  return { connector: { connect: no }, secrets: { resolve: no }, buckets: { inspect: no, configure: no } };
}

export function buildAwsStepRuntime(env: Env, functionName: string, clients: AwsClients = {}, access: Access = {}): StepRuntime {
  const write = clients.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createJsonLogger({ service: `regops-${functionName}`, write });
  const { owner, repo } = splitRepository(requireEnv(env, 'REGOPS_REPOSITORY'));
  const aws = clients.aws ?? {};
  // the SDK and its adapters load on the first invocation, not at import (aws-sdk-adapters.ts)
  const sdk = once(() => import('./aws-sdk-adapters.ts'));
  const s3 = once(async () => new (await sdk()).S3Client({ ...aws, forcePathStyle: aws.endpoint !== undefined }));
  const secretsManager = once(async () => {
    const { SecretsManagerSource, SecretsManagerClient } = await sdk();
    return new SecretsManagerSource(new SecretsManagerClient({ ...aws }));
  });
  const github = once(async (): Promise<GitHubAccess> => {
    if (access.github === undefined) {
      const no = refuse(functionName, 'GitHub');
      const publisher: CommitPublisher = { setCommitStatus: no, upsertCheckRun: no, upsertPullRequestComment: no, listOpenIssues: no, openIssue: no, updateIssue: no, closeIssue: no };
      const config: ConfigSource = { load: no };
      return { config, publisher };
    }
    const tokenId = env['GITHUB_TOKEN_SECRET_ID'];
    const secret = tokenId === undefined ? undefined : await (await secretsManager()).resolve({ source: 'secretsmanager', id: tokenId });
    return access.github({ owner, repo, branch: requireEnv(env, 'REGOPS_BRANCH'), secret, baseUrl: clients.githubBaseUrl ?? env['GITHUB_API_URL'] });
  });
  const ports = once(async (): Promise<StepPorts> => {
    const { S3ReportStore, S3StateStore } = await sdk();
    const reportsClient = await s3();
    return {
      config: (await github()).config,
      ...(access.cluster === undefined ? withoutClusterAccess(functionName) : access.cluster({ aws, secretsManager: await secretsManager(), reportsClient, kubernetes: clients.kubernetes ?? {}, clusterSecretPrefix: env['CLUSTER_SECRET_PREFIX'] })),
      reports: new S3ReportStore(reportsClient, requireEnv(env, 'REPORTS_BUCKET')),
      // the fleet lease and release record under state/ in the same bucket (no lifecycle rule expires it)
      state: new S3StateStore(reportsClient, requireEnv(env, 'REPORTS_BUCKET'), 'state/'),
      clock: systemClock,
      progress: createLogProgress(logger),
      // one per container: the invocations of a run that land here render its snapshot once
      renderedRuns: new Map(),
    };
  });
  return {
    ports,
    publisher: async () => (await github()).publisher,
    approvalChecks: async () => (await github()).approvals ?? refuse(functionName, 'GitHub approval')(),
    logger,
    settings: {
      maxClusters: readNumberEnv(env, 'REGOPS_MAX_CLUSTERS', 1000),
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
