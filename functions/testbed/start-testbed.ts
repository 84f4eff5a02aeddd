import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { parse, stringify } from 'yaml';
import { seedCluster, type ClusterSetup } from './cluster-objects.ts';
import { startControlPlane, stopProcesses, waitFor, waitForNodes, type ControlPlane } from './control-plane.ts';
import { addHostsBlock } from './etc-hosts.ts';
import { residentMiB, type ManagedProcess } from './managed-process.ts';
import { s3HostName, startMoto, type MotoEndpoint } from './moto-endpoint.ts';
import { startRegistryOperator } from './registry-operator-process.ts';
import { TestbedError } from './testbed-error.ts';
import { createTestbedCa } from './testbed-tls.ts';
import type { Testbed, TestbedApiRequest, TestbedClusterInfo, TestbedClusterSpec, TestbedOptions } from './testbed-types.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder test/testbed/build.sh built for the pinned versions (REGOPS_TESTBED_DIR overrides). */
export async function locateTestbedBuild(): Promise<string> {
  const fromEnv = process.env['REGOPS_TESTBED_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const result = await promisify(execFile)('bash', [join(repoRoot, 'test', 'testbed', 'build.sh'), '--print-dir']).then(
    ({ stdout }) => ({ dir: stdout.trim(), built: true }),
    (error: { stdout?: string; code?: number }) => ({ dir: (error.stdout ?? '').trim(), built: false, code: error.code }),
  );
  if (!result.built) throw new TestbedError('build.missing', `testbed: the binaries are not built (${result.dir || 'no Go?'}); run \`npm run testbed:build\` (needs Go 1.26; the first build takes about 30-60 min on 2 cores)`);
  return result.dir;
}

/**
 * The operator binary: REGOPS_OPERATOR_BIN. It is not built by test/testbed/build.sh because the Go
 * module proxy does not serve github.com/openshift/cluster-image-registry-operator (403 "This module
 * version is not available"); the user supplies a binary of version 02bb5c2c (the CRDs and the
 * FeatureGate here come from its openshift/api pin).
 */
export async function locateOperatorBinary(): Promise<string> {
  const binary = process.env['REGOPS_OPERATOR_BIN'];
  if (binary === undefined || binary === '') throw new TestbedError('operator.missing', 'testbed: REGOPS_OPERATOR_BIN is not set: point it at a cluster-image-registry-operator binary (github.com/openshift/cluster-image-registry-operator 02bb5c2c); the Go module proxy does not serve that module, so test/testbed/build.sh cannot build it');
  const ok = await access(binary, constants.X_OK).then(() => true, () => false);
  if (!ok) throw new TestbedError('operator.missing', `testbed: REGOPS_OPERATOR_BIN=${binary} is not an executable file`);
  return binary;
}

/** Clusters from fleet.yaml: name, labels.platform, labels.region (docs/interfaces.md §1); nothing else is read. */
export async function readTestbedFleet(fleetFile: string): Promise<TestbedClusterSpec[]> {
  const parsed = parse(await readFile(fleetFile, 'utf8')) as { spec?: { clusters?: unknown } } | null;
  const clusters = parsed?.spec?.clusters;
  if (!Array.isArray(clusters)) throw new TestbedError('fleet.invalid', `${fleetFile}: spec.clusters is not a list`, { file: fleetFile });
  return clusters.map((entry: unknown, index) => {
    const record = (entry ?? {}) as { name?: unknown; labels?: Record<string, unknown> };
    if (typeof record.name !== 'string' || record.name === '') throw new TestbedError('fleet.invalid', `${fleetFile}: spec.clusters[${index}].name is missing`, { file: fleetFile });
    const platform = typeof record.labels?.['platform'] === 'string' ? record.labels['platform'] : 'aws';
    const region = typeof record.labels?.['region'] === 'string' ? record.labels['region'] : 'us-east-1';
    return { name: record.name, platform, region };
  });
}

async function resolveSpecs(options: TestbedOptions): Promise<TestbedClusterSpec[]> {
  let specs = options.clusters ?? (options.fleetFile === undefined ? [{ name: 'tb-aws-1', platform: 'aws', region: 'us-east-1' }] : await readTestbedFleet(options.fleetFile));
  if (options.only !== undefined) {
    const unknown = options.only.filter((name) => !specs.some((s) => s.name === name));
    if (unknown.length > 0) throw new TestbedError('fleet.unknown-cluster', `testbed: no cluster ${unknown.join(', ')} in ${options.fleetFile ?? 'the cluster list'}`);
    specs = specs.filter((s) => options.only?.includes(s.name) === true);
  }
  if (new Set(specs.map((s) => s.name)).size !== specs.length) throw new TestbedError('fleet.duplicate', 'testbed: a cluster is listed twice');
  return specs;
}

const infraNameOf = (name: string): string => `tb-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 27);
const bucketOf = (spec: TestbedClusterSpec): string => `${infraNameOf(spec.name)}-image-registry-${spec.region}`.slice(0, 62);

function renderKubeconfig(planes: ControlPlane[], caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return stringify({
    apiVersion: 'v1', kind: 'Config', preferences: {}, 'current-context': planes[0]?.name ?? '',
    clusters: planes.map((p) => ({ name: p.name, cluster: { server: p.server, 'certificate-authority-data': ca } })),
    users: planes.map((p) => ({ name: p.name, user: { token: p.token } })),
    contexts: planes.map((p) => ({ name: p.name, context: { cluster: p.name, user: p.name } })),
  });
}

// measured: right after start the ClusterOperator says Available=True with no message, before the
// operator has bootstrapped anything; settled is Available with the operator's message ("The registry
// is ready" / "is removed"), not Progressing, not Degraded
function ready(co: Record<string, unknown> | undefined): boolean {
  const conditions = ((co?.['status'] as Record<string, unknown> | undefined)?.['conditions'] ?? []) as Array<Record<string, unknown>>;
  const has = (type: string, status: string): boolean => conditions.some((c) => c['type'] === type && c['status'] === status);
  const available = conditions.find((c) => c['type'] === 'Available');
  return has('Available', 'True') && typeof available?.['message'] === 'string' && available['message'] !== '' && has('Progressing', 'False') && has('Degraded', 'False');
}

/**
 * Starts one real control plane per cluster (etcd, kube-apiserver with the OpenShift CRDs,
 * controller-manager, scheduler, KWOK nodes), the real cluster-image-registry-operator against each,
 * and moto for S3 / Secrets Manager / SSM; returns when every ClusterOperator image-registry is Available.
 */
export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const log = options.log ?? ((): void => undefined);
  const specs = await resolveSpecs(options);
  const operatorBinary = await locateOperatorBinary();
  const build = options.buildDir ?? (await locateTestbedBuild());
  const bin = join(build, 'bin');
  const share = join(build, 'share');
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'regops-testbed-')));
  await mkdir(workDir, { recursive: true });
  const ca = await createTestbedCa();
  const caFile = join(workDir, 'ca.pem');
  await writeFile(caFile, ca.caPem);
  const featureGate = parse(await readFile(join(share, 'featuregate.yaml'), 'utf8')) as Record<string, unknown>;
  const awsKeys = { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') };
  const region = specs.find((s) => s.platform.toLowerCase() === 'aws')?.region ?? 'us-east-1';
  const stoppers: Array<() => Promise<void>> = [];
  const planes: ControlPlane[] = [];
  const operators = new Map<string, ManagedProcess>();
  const stopAll = async (removeWorkDir: boolean): Promise<void> => {
    // operators first (SIGTERM releases their leader lease), then the control planes, then moto and /etc/hosts
    await Promise.all([...operators.values()].map((p) => p.stop()));
    await Promise.all(planes.map((p) => stopProcesses(p.processes)));
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    if (ownsWorkDir && removeWorkDir) await rm(workDir, { recursive: true, force: true });
  };
  try {
    const moto: MotoEndpoint = await startMoto({ repoRoot, dir: workDir, ca });
    stoppers.push(moto.stop);
    log(`moto ${moto.endpoint} (operator: ${moto.tlsEndpoint})`);
    const awsSpecs = specs.filter((s) => s.platform.toLowerCase() === 'aws');
    if (awsSpecs.length > 0) stoppers.push(await addHostsBlock(`${process.pid}-${randomBytes(3).toString('hex')}`, [s3HostName, ...awsSpecs.map((s) => `${bucketOf(s)}.${s3HostName}`)]));

    const infos: TestbedClusterInfo[] = [];
    const startOne = async (spec: TestbedClusterSpec): Promise<void> => {
      const started = Date.now();
      const dir = join(workDir, spec.name);
      const plane = await startControlPlane(spec.name, { bin, share, dir, ca });
      planes.push(plane);
      const setup: ClusterSetup = { spec, infrastructureName: infraNameOf(spec.name), s3OperatorEndpoint: moto.tlsEndpoint, caPem: ca.caPem, awsKeys, featureGate };
      await seedCluster(plane.kube, setup);
      await waitForNodes(plane);
      const operator = await startRegistryOperator(spec.name, { binary: operatorBinary, dir, kubeconfigFile: plane.kubeconfigFile, ca, caFile });
      operators.set(spec.name, operator);
      await waitFor(`${spec.name}: ClusterOperator image-registry Available`, [...plane.processes, operator], options.readyTimeoutMs ?? 240_000, async () =>
        ready(await plane.kube.get('/apis/config.openshift.io/v1/clusteroperators/image-registry')) && (await plane.kube.get('/apis/imageregistry.operator.openshift.io/v1/configs/cluster')) !== undefined);
      const rssMiB = [...plane.processes, operator].reduce((sum, p) => sum + residentMiB(p.pid), 0);
      infos.push({ name: spec.name, platform: spec.platform, region: spec.region, server: plane.server, infrastructureName: setup.infrastructureName, startMs: Date.now() - started, rssMiB, logDir: dir });
      log(`${spec.name} (${spec.platform}): ready in ${((Date.now() - started) / 1000).toFixed(1)} s, ${rssMiB} MiB resident`);
    };
    // at most 3 clusters start at once: each start is CPU-bound (apiserver + CRDs) on a 2-core machine
    const queue = [...specs];
    await Promise.all(Array.from({ length: Math.min(3, queue.length) }, async () => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) await startOne(spec);
    }));

    // the AWS operators created their buckets in moto
    const s3 = new S3Client({ endpoint: moto.endpoint, region, forcePathStyle: true, credentials: awsKeys });
    for (const spec of awsSpecs) {
      await waitFor(`${spec.name}: bucket ${bucketOf(spec)} in moto`, [moto.process], 120_000, async () => ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).some((b) => b.Name === bucketOf(spec)));
    }
    s3.destroy();

    const ordered = specs.map((s) => planes.find((p) => p.name === s.name)).filter((p): p is ControlPlane => p !== undefined);
    const kubeconfig = renderKubeconfig(ordered, ca.caPem);
    const kubeconfigPath = options.kubeconfigPath ?? join(workDir, 'kubeconfig');
    await mkdir(dirname(kubeconfigPath), { recursive: true });
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

    // the Secrets Manager entries regops reads (the same names as the sandbox, functions/sandbox/start-sandbox.ts)
    const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region, credentials: awsKeys });
    const put = (name: string, value: string): Promise<unknown> => secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    await put('regops/github-webhook-secret', randomBytes(20).toString('hex'));
    for (const plane of ordered) {
      await put(`regops/${plane.name}/registry-s3`, JSON.stringify({ accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') }));
      await put(`regops/clusters/${plane.name}`, JSON.stringify({ server: plane.server, caData: Buffer.from(ca.caPem).toString('base64'), token: plane.token }));
    }
    secrets.destroy();

    let stopping: Promise<void> | undefined;
    const planeOf = (cluster: string): ControlPlane => {
      const plane = planes.find((p) => p.name === cluster);
      if (plane === undefined) throw new TestbedError('fleet.unknown-cluster', `testbed: no cluster ${cluster} (started: ${planes.map((p) => p.name).join(', ')})`);
      return plane;
    };
    return {
      kubeconfigPath,
      kubeconfig,
      contexts: ordered.map((p) => p.name),
      clusters: specs.map((s) => infos.find((i) => i.name === s.name)).filter((i): i is TestbedClusterInfo => i !== undefined),
      caPem: ca.caPem,
      caFile,
      workDir,
      aws: { endpoint: moto.endpoint, region, ...awsKeys, s3OperatorEndpoint: moto.tlsEndpoint, caFile },
      readonlyToken: (cluster) => planeOf(cluster).readonlyToken,
      setApiServerDown: (cluster, down) => (down ? planeOf(cluster).stopApiServer() : planeOf(cluster).startApiServer()),
      apiRequests: async (cluster) => {
        const text = await readFile(planeOf(cluster).auditLog, 'utf8').catch(() => '');
        return text.split('\n').filter((line) => line !== '').map((line): TestbedApiRequest => {
          const event = JSON.parse(line) as { verb: string; requestURI: string; userAgent?: string; responseStatus?: { code?: number }; stageTimestamp: string };
          return { verb: event.verb, requestURI: event.requestURI, userAgent: event.userAgent ?? '', code: event.responseStatus?.code ?? 0, time: event.stageTimestamp };
        });
      },
      stop: () => (stopping ??= stopAll(true)),
    };
  } catch (error) {
    // the logs stay for the reader of the error
    await stopAll(false);
    log(`testbed: start failed; logs kept in ${workDir}`);
    throw error;
  }
}
