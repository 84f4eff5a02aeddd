/**
 * The fleet `npm run demo` tells its story on: the in-process sandbox (default), or with `--testbed`
 * the real testbed (functions/testbed: real control planes, the real registry operator, moto), three
 * clusters of config/fleet.yaml, one per platform.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonObject } from '../core/model.ts';
import { startSandbox } from '../sandbox/index.ts';
import { copyConfigForTestbed, startTestbed } from '../testbed/index.ts';

export interface DemoRef { apiVersion: string; kind: string; name: string }

export interface DemoFleet {
  /** what step 0 says about the fleet */
  intro: string;
  where: string;
  clusters: string[];
  kubeconfig: string;
  /** the config folder the story runs on */
  configDir: string;
  /** the health gate's --timeout for rollouts and enforce */
  gateTimeout: string;
  /** AWS settings for regops (process.env) */
  env: Record<string, string>;
  getObject(cluster: string, ref: DemoRef): Promise<JsonObject | undefined>;
  /** a write from outside regops without kubectl (sandbox only) */
  outsideWrite?: (cluster: string, ref: DemoRef, patch: JsonObject) => Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxFleet(work: string): Promise<DemoFleet> {
  const kubeconfig = join(work, 'kubeconfig');
  const sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', kubeconfigPath: kubeconfig, progressingMs: 300, degradedAfterMs: 20_000 });
  const caFile = join(work, 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.caPem);
  return {
    intro: 'The sandbox starts every cluster of config/fleet.yaml on one local HTTPS port, with the image registry operator simulated: AWS clusters Managed on S3, bare metal still Removed.',
    where: sandbox.url,
    clusters: sandbox.clusters,
    kubeconfig,
    configDir: 'config',
    gateTimeout: '60s',
    env: { REGOPS_CA_FILE: caFile, AWS_ENDPOINT_URL: sandbox.aws.endpoint, AWS_REGION: sandbox.aws.region, AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey },
    getObject: (cluster, ref) => Promise.resolve(sandbox.getObject(cluster, ref) as JsonObject | undefined),
    outsideWrite: (cluster, ref, patch) => sandbox.outsideWrite(cluster, ref, patch),
    stop: () => sandbox.stop(),
  };
}

const testbedClusters = ['aws-canary-1', 'lab-bm-1', 'edge-vs-1'];

export async function startTestbedFleet(work: string, say: (text: string) => void): Promise<DemoFleet> {
  const kubeconfig = join(work, 'kubeconfig');
  const testbed = await startTestbed({ fleetFile: 'config/fleet.yaml', only: testbedClusters, kubeconfigPath: kubeconfig, log: say });
  try {
    // config/fleet.yaml enforces prod only; the three-cluster copy enforces the canary so the story keeps an enforce cluster
    const configDir = await copyConfigForTestbed('config', testbedClusters, testbed.aws.s3OperatorEndpoint, { enforce: ['aws-canary-1'] });
    for (const c of testbed.clusters) say(`${c.name} (${c.platform}): started in ${(c.startMs / 1000).toFixed(1)} s, ${c.rssMiB} MiB`);
    const kubectl = (args: string[]): Promise<{ stdout: string }> => promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args]);
    return {
      intro: `The testbed starts ${testbedClusters.join(', ')} as real control planes (etcd, kube-apiserver with the OpenShift CRDs, controller-manager, scheduler, KWOK nodes), each with the real cluster-image-registry-operator; S3 and Secrets Manager are moto. The AWS operator made its own bucket; bare metal and vSphere bootstrapped Removed.`,
      where: testbed.clusters.map((c) => c.server).join(' '),
      clusters: testbed.contexts,
      kubeconfig,
      configDir,
      gateTimeout: '300s',
      env: { REGOPS_CA_FILE: testbed.caFile, AWS_ENDPOINT_URL: testbed.aws.endpoint, AWS_REGION: testbed.aws.region, AWS_ACCESS_KEY_ID: testbed.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: testbed.aws.secretAccessKey },
      getObject: async (cluster, ref) => {
        const resource = ref.kind === 'Config' ? 'configs.imageregistry.operator.openshift.io' : ref.kind.toLowerCase();
        return JSON.parse((await kubectl(['--context', cluster, 'get', `${resource}/${ref.name}`, '-o', 'json'])).stdout) as JsonObject;
      },
      stop: async () => {
        await testbed.stop();
        await rm(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await testbed.stop();
    throw error;
  }
}
