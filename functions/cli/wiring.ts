/**
 * Builds the adapters once per process from the command line and the environment:
 * config `--config DIR` (default ./config) or `--github owner/repo@ref` (GITHUB_TOKEN);
 * clusters `--kubeconfig FILE` / KUBECONFIG / ~/.kube/config, or `--live-dir DIR` (saved `oc get -o yaml`);
 * secrets AWS Secrets Manager and SSM (AWS_ENDPOINT_URL, AWS_REGION, the default credential chain)
 * or `--secrets-file FILE`; S3 likewise; an extra CA for AWS endpoints from REGOPS_CA_FILE or
 * NODE_EXTRA_CA_CERTS (the sandbox's CA).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BucketStore, ClusterConnector, CommitPublisher, ConfigSource, ProgressSink, ReportStore, SecretSource } from '../engine/ports.ts';
import { FsReportStore } from '../adapters/local-fs/fs-report-store.ts';
import { LiveDirConnector } from '../adapters/local-fs/live-dir-connector.ts';
import { LocalConfigSource } from '../adapters/local-fs/local-config-source.ts';
import { FileSecretSource } from '../adapters/secrets/file-secret-source.ts';
import { SecretSourceRouter } from '../adapters/secrets/secret-source-router.ts';
import type { EnginePorts } from '../engine/engine-ports.ts';
import type { CommandLine } from './parse-command-line.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { loadOnce } from './load-once.ts';
import { createStateStore, describeProcess, isLocalHolderGone } from './create-state-store.ts';
import { UsageError } from './usage-error.ts';

// client-node, the AWS SDK and octokit are imported where a port first needs them (load-once.ts),
// never at the top of this file: a static import here would put them in every command's start-up
// (node:https too: it loads tls, crypto and stream, about 30 ms).

/** AWS client settings shared by S3, Secrets Manager and SSM (built when the first AWS client is). */
async function awsClientConfig(): Promise<{ region: string; endpoint?: string; forcePathStyle: boolean; requestHandler?: NodeHttpHandler }> {
  const region = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const endpoint = process.env['AWS_ENDPOINT_URL'];
  const caFile = process.env['REGOPS_CA_FILE'] ?? process.env['NODE_EXTRA_CA_CERTS'];
  const config: Awaited<ReturnType<typeof awsClientConfig>> = { region, forcePathStyle: endpoint !== undefined };
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (caFile !== undefined) config.requestHandler = new (await import('@smithy/node-http-handler')).NodeHttpHandler({ httpsAgent: new (await import('node:https')).Agent({ keepAlive: true, ca: readFileSync(caFile, 'utf8') }) });
  return config;
}

function createConfigSource(line: CommandLine): ConfigSource {
  const github = line.values.github;
  if (github === undefined) {
    const dir = line.values.config ?? 'config';
    // checked here so a wrong folder is reported before any kubeconfig or AWS problem
    if (!existsSync(join(dir, 'fleet.yaml'))) throw new UsageError(`config ${dir}: no fleet.yaml here; pass --config DIR (the folder holding fleet.yaml) or --github OWNER/REPO[@REF]`);
    return new LocalConfigSource(dir);
  }
  const match = /^([^/@\s]+)\/([^/@\s]+)(?:@(\S+))?$/.exec(github);
  if (match === null) throw new UsageError(`--github ${github}: expected owner/repo or owner/repo@ref`);
  const token = process.env['GITHUB_TOKEN'];
  const baseUrl = process.env['GITHUB_API_URL'];
  const options = { owner: match[1] as string, repo: match[2] as string, ...(token === undefined ? {} : { token }), ...(baseUrl === undefined ? {} : { baseUrl }) };
  const source = loadOnce(async () => new (await import('../adapters/github/github-config-source.ts')).GitHubConfigSource(options));
  return { load: async (ref) => (await source()).load(ref) };
}

/**
 * With `--github owner/repo`: the CommitPublisher of that repository (GITHUB_TOKEN, GITHUB_API_URL),
 * the adapter the AWS publish step opens issues with; undefined when the config is a local folder.
 */
export async function wireGitHubPublisher(line: CommandLine): Promise<{ publisher: CommitPublisher; repository: string } | undefined> {
  const match = line.values.github === undefined ? null : /^([^/@\s]+)\/([^/@\s]+)/.exec(line.values.github);
  if (match === null) return undefined;
  const [owner, repo] = [match[1] as string, match[2] as string];
  const [{ createGitHubOctokit }, { GitHubPublisher }, { createSecretValue }] = await Promise.all([
    import('../adapters/github/create-github-octokit.ts'), import('../adapters/github/github-publisher.ts'), import('../adapters/secrets/secret-value.ts'),
  ]);
  // the environment is where the CLI keeps the GitHub token: held as a secret (redacted from messages) from here on
  const token = process.env['GITHUB_TOKEN'];
  const octokit = createGitHubOctokit({ secret: token === undefined || token === '' ? undefined : createSecretValue(token), baseUrl: process.env['GITHUB_API_URL'] });
  return { publisher: new GitHubPublisher(octokit, owner, repo), repository: `${owner}/${repo}` };
}

/** The ref `--github owner/repo@ref` names (a commit or branch); undefined for a local folder. */
export function readConfigRef(line: CommandLine): string | undefined {
  return line.values.github === undefined ? undefined : /@(\S+)$/.exec(line.values.github)?.[1];
}

function createConnector(line: CommandLine): ClusterConnector {
  const liveDir = line.values['live-dir'];
  if (liveDir !== undefined) return new LiveDirConnector(liveDir);
  const from = line.values.kubeconfig !== undefined ? '--kubeconfig' : process.env['KUBECONFIG'] !== undefined ? 'KUBECONFIG' : 'the default';
  const kubeconfig = line.values.kubeconfig ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');
  // a missing file is the usual first-run mistake: say where the path came from and what to do
  const missing = kubeconfig.split(delimiter).filter((file) => file !== '' && !existsSync(file));
  if (missing.length > 0) {
    throw new UsageError(`kubeconfig ${missing.join(', ')} (${from}): no such file; pass --kubeconfig FILE or set KUBECONFIG (local fleet: regops sandbox up, then source .regops/sandbox.env), or --live-dir DIR to plan from saved \`oc get -o yaml\` output`);
  }
  const connector = loadOnce(async () => new (await import('../adapters/kubernetes/kubeconfig-connector.ts')).KubeconfigConnector({ kubeconfig }));
  return { connect: async (cluster) => (await connector()).connect(cluster) };
}

function createSecretSource(line: CommandLine): SecretSource {
  const file = line.values['secrets-file'];
  if (file !== undefined) {
    const source = new FileSecretSource(file);
    return new SecretSourceRouter({ file: source, secretsmanager: source, ssm: source });
  }
  const secretsManager = loadOnce(async () => {
    const [{ SecretsManagerClient }, { SecretsManagerSource }] = await Promise.all([import('@aws-sdk/client-secrets-manager'), import('../adapters/secrets/secrets-manager-source.ts')]);
    return new SecretsManagerSource(new SecretsManagerClient(await awsClientConfig()));
  });
  const ssm = loadOnce(async () => {
    const [{ SSMClient }, { SsmParameterSource }] = await Promise.all([import('@aws-sdk/client-ssm'), import('../adapters/secrets/ssm-source.ts')]);
    return new SsmParameterSource(new SSMClient(await awsClientConfig()));
  });
  return new SecretSourceRouter({ secretsmanager: { resolve: async (ref) => (await secretsManager()).resolve(ref) }, ssm: { resolve: async (ref) => (await ssm()).resolve(ref) } });
}

/** The kubeconfig files --kubeconfig, KUBECONFIG or ~/.kube/config name (KUBECONFIG may list several). */
export function readKubeconfigFiles(line: CommandLine): string[] {
  return (line.values.kubeconfig ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config')).split(delimiter).filter((file) => file !== '');
}

/** The cluster-side ports of `regops import`: clusters and buckets, no config repository, no secrets. */
export function wireClusterPorts(line: CommandLine, progress: ProgressSink): Pick<EnginePorts, 'connector' | 'buckets' | 'clock' | 'progress'> {
  return { connector: createConnector(line), buckets: createBucketStore(), clock: systemClock, progress };
}

/** The engine's ports for a command; `clusters: false` (validate) builds no cluster or AWS client. */
export function wireEngine(line: CommandLine, needs: { clusters: boolean; progress?: ProgressSink }): EnginePorts {
  const config = createConfigSource(line);
  const unused = (what: string) => () => Promise.reject(new UsageError(`${what} is not available to this command`));
  if (!needs.clusters) {
    return { config, clock: systemClock, connector: { connect: unused('a cluster') }, secrets: { resolve: unused('a secret') }, buckets: { inspect: unused('S3'), configure: unused('S3') } };
  }
  const ports: EnginePorts = { config, clock: systemClock, connector: createConnector(line), secrets: createSecretSource(line), buckets: createBucketStore() };
  if (needs.progress !== undefined) ports.progress = needs.progress;
  // the fleet lease and the release record (create-state-store.ts); saved --live-dir output changes nothing
  if (line.values['live-dir'] === undefined) {
    ports.state = createStateStore(line.values.kubeconfig ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config'), async () => awsClientConfig());
    ports.holder = describeProcess();
    ports.holderGone = isLocalHolderGone;
  }
  return ports;
}

/** S3 with one client per bucket region (CreateBucket's LocationConstraint must match the client's region), built on first use. */
function createBucketStore(): BucketStore {
  const store = loadOnce(buildBucketStore);
  return { inspect: async (location) => (await store()).inspect(location), configure: async (location, settings, create) => (await store()).configure(location, settings, create) };
}

async function buildBucketStore(): Promise<BucketStore> {
  const [{ S3Client }, { S3BucketStore }, base] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/s3/s3-bucket-store.ts'), awsClientConfig()]);
  const clients = new Map<string, InstanceType<typeof S3Client>>();
  const clientFor = (location: { region: string; endpoint?: string }): InstanceType<typeof S3Client> => {
    const key = `${location.region}|${location.endpoint ?? ''}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new S3Client({ ...base, region: location.region, ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint, forcePathStyle: true }) });
      clients.set(key, client);
    }
    return client;
  };
  return new S3BucketStore(new S3Client(base), { clientFor });
}

/** A report store on a local folder (`--report-dir`). */
export function createReportStore(dir: string): ReportStore {
  return new FsReportStore(dir);
}
