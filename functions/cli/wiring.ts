/**
 * Builds the adapters once per process from the command line and the environment:
 * config `--config DIR` (default ./config) or `--github owner/repo@ref` (GITHUB_TOKEN);
 * clusters `--kubeconfig FILE` / KUBECONFIG / ~/.kube/config, or `--live-dir DIR` (saved `oc get -o yaml`);
 * secrets AWS Secrets Manager and SSM (AWS_ENDPOINT_URL, AWS_REGION, the default credential chain)
 * or `--secrets-file FILE`; S3 likewise; an extra CA for AWS endpoints from REGOPS_CA_FILE or
 * NODE_EXTRA_CA_CERTS (the sandbox's CA).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ClusterConnector, ConfigSource, ProgressSink, ReportStore, SecretSource } from '../adapters/ports.ts';
import { KubeconfigConnector } from '../adapters/kubernetes/kubeconfig-connector.ts';
import { FsReportStore } from '../adapters/local-fs/fs-report-store.ts';
import { LiveDirConnector } from '../adapters/local-fs/live-dir-connector.ts';
import { LocalConfigSource } from '../adapters/local-fs/local-config-source.ts';
import { FileSecretSource } from '../adapters/secrets/file-secret-source.ts';
import { SecretSourceRouter } from '../adapters/secrets/secret-source-router.ts';
import { SecretsManagerSource } from '../adapters/secrets/secrets-manager-source.ts';
import { SsmParameterSource } from '../adapters/secrets/ssm-source.ts';
import { S3BucketStore } from '../adapters/s3/s3-bucket-store.ts';
import { GitHubConfigSource } from '../adapters/github/github-config-source.ts';
import type { EnginePorts } from '../engine/engine-ports.ts';
import type { CommandLine } from './parse-command-line.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { UsageError } from './usage-error.ts';

/** AWS client settings shared by S3, Secrets Manager and SSM. */
function awsClientConfig(): { region: string; endpoint?: string; forcePathStyle: boolean; requestHandler?: NodeHttpHandler } {
  const region = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const endpoint = process.env['AWS_ENDPOINT_URL'];
  const caFile = process.env['REGOPS_CA_FILE'] ?? process.env['NODE_EXTRA_CA_CERTS'];
  const config: ReturnType<typeof awsClientConfig> = { region, forcePathStyle: endpoint !== undefined };
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (caFile !== undefined) config.requestHandler = new NodeHttpHandler({ httpsAgent: new Agent({ keepAlive: true, ca: readFileSync(caFile, 'utf8') }) });
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
  return new GitHubConfigSource({ owner: match[1] as string, repo: match[2] as string, ...(token === undefined ? {} : { token }), ...(baseUrl === undefined ? {} : { baseUrl }) });
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
  return new KubeconfigConnector({ kubeconfig });
}

function createSecretSource(line: CommandLine): SecretSource {
  const file = line.values['secrets-file'];
  if (file !== undefined) {
    const source = new FileSecretSource(file);
    return new SecretSourceRouter({ file: source, secretsmanager: source, ssm: source });
  }
  const aws = awsClientConfig();
  return new SecretSourceRouter({ secretsmanager: new SecretsManagerSource(new SecretsManagerClient(aws)), ssm: new SsmParameterSource(new SSMClient(aws)) });
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
  return ports;
}

/** S3 with one client per bucket region (CreateBucket's LocationConstraint must match the client's region). */
function createBucketStore(): S3BucketStore {
  const base = awsClientConfig();
  const clients = new Map<string, S3Client>();
  const clientFor = (location: { region: string; endpoint?: string }): S3Client => {
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
