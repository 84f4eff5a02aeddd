/**
 * What every CLI integration suite talks to, chosen by REGOPS_TEST_TARGET (sandbox, the default, or
 * testbed): a fleet from config/fleet.yaml, a kubeconfig with one context per cluster, the process
 * environment the CLI reads for AWS (REGOPS_CA_FILE, AWS_*), as `source .regops/sandbox.env` or
 * `.regops/testbed.env` gives a person, and the few controls a test needs, the same on both:
 * read an object, write as an outsider (kubectl's field manager), take a cluster down, count the API
 * requests regops made. On the testbed (functions/testbed: real kube-apiservers and the real
 * cluster-image-registry-operator, moto for AWS) these are real: kubectl, stopping the kube-apiserver
 * process, its audit log. A control only the sandbox has is a declared capability (`targetCan`); a test
 * that needs it is selected out on the testbed by `itWhere`, which prints why (nothing is skipped
 * silently), and functions/testbed/README.md lists those tests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { it } from 'vitest';
import { runRegops } from '../../functions/cli/main.ts';
import { startSandbox, type Sandbox } from '../../functions/sandbox/index.ts';
import { copyConfigForTestbed, readTestbedFleet, startTestbed } from '../../functions/testbed/index.ts';
import { captureOutput } from './capture-output.ts';

export type TargetKind = 'sandbox' | 'testbed';

/** Controls only some targets have. */
export type TargetCapability = 'operator-timing' | 's3-checks-keys';

const capabilities: Record<TargetKind, Record<TargetCapability, string | undefined>> = {
  sandbox: { 'operator-timing': undefined, 's3-checks-keys': undefined },
  testbed: {
    // the sandbox's simulated operator stays Progressing for a chosen time (startSandbox progressingMs)
    'operator-timing': 'the registry operator stays Progressing for a chosen time: only the sandbox\'s simulated operator has that knob; the real operator on KWOK settles in a few seconds',
    's3-checks-keys': 'an S3 endpoint that refuses unknown access keys (InvalidAccessKeyId): moto\'s server accepts any key unless IAM is switched on for every caller',
  },
};

/** The target REGOPS_TEST_TARGET names. */
export function targetKind(): TargetKind {
  const name = process.env['REGOPS_TEST_TARGET'] ?? 'sandbox';
  if (name === 'sandbox' || name === 'testbed') return name;
  throw new Error(`REGOPS_TEST_TARGET=${name}: expected sandbox or testbed`);
}

/** Whether the current target has the capability. */
export function targetCan(capability: TargetCapability): boolean {
  return capabilities[targetKind()][capability] === undefined;
}

/**
 * A test's or hook's time limit for the current target: as given on the sandbox; on the testbed at least
 * 15 min, since each of its health gates waits for a real Deployment (up to 300 s in these suites).
 */
export function timeoutFor(sandboxMs: number): number {
  return targetKind() === 'testbed' ? Math.max(sandboxMs, 900_000) : sandboxMs;
}

type TestBody = () => Promise<void>;

/**
 * `it` when the target has every capability named; otherwise the test is not registered on this
 * target and the suite prints which test did not run and why (functions/testbed/README.md lists them).
 */
export function itWhere(needs: TargetCapability[], name: string, body: TestBody, timeoutMs?: number): void {
  const missing = needs.filter((capability) => !targetCan(capability));
  if (missing.length === 0) {
    it(name, body, timeoutMs);
    return;
  }
  const why = missing.map((capability) => `needs ${capability}: ${capabilities[targetKind()][capability] ?? ''}`).join('; ');
  process.stdout.write(`[${targetKind()}] NOT RUN on this target: "${name}": ${why}\n`);
}

/** An object a test names: apiVersion, kind, name (and namespace). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface CliTarget {
  kind: TargetKind;
  /** The test's own folder (kubeconfig, CA, anything the test writes). */
  work: string;
  kubeconfig: string;
  /** The regops config folder to use: config/ on the sandbox; on the testbed a copy whose S3 storage names moto (copyConfigForTestbed). */
  config: string;
  caPem: string;
  /** A token of user system:serviceaccount:regops:readonly: it may read everything and write nothing. */
  readonlyToken(cluster: string): string;
  /** A cluster's API server URL (as in the kubeconfig). */
  server(cluster: string): string;
  /** The live object, or undefined when it does not exist. */
  getObject(cluster: string, ref: ObjectRef): Promise<Record<string, unknown> | undefined>;
  /** A JSON merge patch by someone other than regops (field manager kubectl-patch), as `kubectl patch --type merge` does. */
  outsideWrite(cluster: string, ref: ObjectRef, patch: Record<string, unknown>): Promise<void>;
  /** Takes a cluster's API down (connections fail) or brings it back. */
  setDown(cluster: string, down: boolean): Promise<void>;
  /** How many API requests regops made to a cluster so far: reads (get, list) and writes (create, update, patch, delete). */
  regopsRequests(cluster: string): Promise<{ reads: number; writes: number }>;
  /** The sandbox itself, for its own knobs; undefined on the testbed. */
  sandbox: Sandbox | undefined;
  stop(): Promise<void>;
}

export interface CliTargetOptions {
  /** the fleet (default config/fleet.yaml, with config/ as the regops config); another fleet's folder is the config as it is */
  fleetFile?: string;
  /** the simulated operator's progress time on the sandbox (default 50 ms); see capability operator-timing */
  progressingMs?: number;
}

const run = promisify(execFile);

/** kubectl's name for a kind: Kind.version.group (core: the kind). */
function resourceOf(ref: ObjectRef): string {
  const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
  return group === '' ? ref.kind : `${ref.kind}.${version}.${group}`;
}

function setCliEnvironment(caFile: string, aws: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string }): void {
  Object.assign(process.env, { REGOPS_CA_FILE: caFile, AWS_ENDPOINT_URL: aws.endpoint, AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
}

async function startSandboxTarget(work: string, kubeconfig: string, options: CliTargetOptions): Promise<CliTarget> {
  const sandbox = await startSandbox({ fleetFile: options.fleetFile ?? 'config/fleet.yaml', kubeconfigPath: kubeconfig, progressingMs: options.progressingMs ?? 50 });
  const caFile = join(work, 'ca.pem');
  await writeFile(caFile, sandbox.caPem);
  setCliEnvironment(caFile, sandbox.aws);
  return {
    kind: 'sandbox',
    work,
    kubeconfig,
    config: options.fleetFile === undefined ? 'config' : dirname(options.fleetFile),
    caPem: sandbox.caPem,
    readonlyToken: (cluster) => sandbox.token(cluster, 'readonly'),
    server: (cluster) => sandbox.clusterUrl(cluster),
    getObject: async (cluster, ref) => sandbox.getObject(cluster, ref) as Record<string, unknown> | undefined,
    outsideWrite: async (cluster, ref, patch) => {
      await sandbox.outsideWrite(cluster, ref, patch);
    },
    setDown: async (cluster, down) => {
      if (down) sandbox.faults(cluster).set({ down: true });
      else sandbox.faults(cluster).clear();
    },
    regopsRequests: async (cluster) => {
      const stats = sandbox.stats().byCluster[cluster];
      return { reads: stats?.reads ?? 0, writes: stats?.writes ?? 0 };
    },
    sandbox,
    stop: () => sandbox.stop(),
  };
}

// client-node (regops's Kubernetes client) sends node-fetch's User-Agent (functions/adapters/kubernetes/kube-cluster-client.ts);
// kubectl, the controllers and the operator send their own
const regopsUserAgent = /^node-fetch\//;
const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

async function startTestbedTarget(work: string, kubeconfig: string, options: CliTargetOptions): Promise<CliTarget> {
  const fleetFile = options.fleetFile ?? 'config/fleet.yaml';
  const clusters = (await readTestbedFleet(fleetFile)).map((c) => c.name);
  const started = Date.now();
  const testbed = await startTestbed({ fleetFile, kubeconfigPath: kubeconfig, log: (line) => void process.stdout.write(`[testbed] ${line}\n`) });
  process.stdout.write(`[testbed] ${clusters.length} clusters up in ${((Date.now() - started) / 1000).toFixed(0)} s, ${testbed.clusters.reduce((sum, c) => sum + c.rssMiB, 0)} MiB resident\n`);
  let config: string | undefined;
  try {
    if (options.fleetFile === undefined) config = await copyConfigForTestbed('config', clusters, testbed.aws.s3OperatorEndpoint);
  } catch (error) {
    await testbed.stop();
    throw error;
  }
  setCliEnvironment(testbed.caFile, testbed.aws);
  const kubectl = async (cluster: string, args: string[]): Promise<string> => (await run('kubectl', ['--kubeconfig', kubeconfig, '--context', cluster, ...args], { maxBuffer: 16 << 20 })).stdout;
  const namespaced = (ref: ObjectRef): string[] => (ref.namespace === undefined ? [] : ['-n', ref.namespace]);
  return {
    kind: 'testbed',
    work,
    kubeconfig,
    config: config ?? dirname(fleetFile),
    caPem: testbed.caPem,
    readonlyToken: (cluster) => testbed.readonlyToken(cluster),
    server: (cluster) => {
      const info = testbed.clusters.find((c) => c.name === cluster);
      if (info === undefined) throw new Error(`testbed: no cluster ${cluster}`);
      return info.server;
    },
    getObject: async (cluster, ref) => {
      const text = await kubectl(cluster, [...namespaced(ref), 'get', `${resourceOf(ref)}/${ref.name}`, '-o', 'json', '--ignore-not-found', '--show-managed-fields']);
      return text.trim() === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    },
    outsideWrite: async (cluster, ref, patch) => {
      await kubectl(cluster, [...namespaced(ref), 'patch', `${resourceOf(ref)}/${ref.name}`, '--type', 'merge', '-p', JSON.stringify(patch)]);
    },
    setDown: (cluster, down) => testbed.setApiServerDown(cluster, down),
    regopsRequests: async (cluster) => {
      const requests = (await testbed.apiRequests(cluster)).filter((r) => regopsUserAgent.test(r.userAgent));
      const writes = requests.filter((r) => writeVerbs.has(r.verb)).length;
      return { reads: requests.length - writes, writes };
    },
    sandbox: undefined,
    stop: async () => {
      await testbed.stop();
      if (config !== undefined) await rm(config, { recursive: true, force: true });
    },
  };
}

/** Starts the target REGOPS_TEST_TARGET names with the fleet of config/fleet.yaml and points the CLI's environment at it. */
export async function startCliTarget(name: string, options: CliTargetOptions = {}): Promise<CliTarget> {
  const work = await mkdtemp(join(tmpdir(), `regops-${name}-`));
  const kubeconfig = join(work, 'kubeconfig');
  return targetKind() === 'testbed' ? startTestbedTarget(work, kubeconfig, options) : startSandboxTarget(work, kubeconfig, options);
}

/** `regops ARGS` in this process: exit code and what it printed. */
export async function runCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code, stdout, stderr };
}
