/**
 * The testbed suite (npm run test:testbed, after npm run testbed:build): one fleet of three real
 * control planes with the real cluster-image-registry-operator (AWS, bare metal, vSphere) and moto,
 * started once. It checks what the real operator did by itself, then runs the regops CLI story on it.
 * Nothing here is mocked.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../functions/cli/main.ts';
import { copyConfigForTestbed, startTestbed, type Testbed } from '../../functions/testbed/index.ts';
import { captureOutput } from '../support/capture-output.ts';

const clusters = ['aws-canary-1', 'lab-bm-1', 'edge-vs-1'];
let testbed: Testbed;
let config: string;
let work: string;
const savedEnv = { ...process.env };

interface Condition { type: string; status: string; reason?: string }
interface Obj { metadata: { managedFields?: Array<{ manager: string; subresource?: string }> }; spec: Record<string, unknown>; status?: { conditions?: Condition[]; storage?: unknown } }

async function kubectl(context: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', testbed.kubeconfigPath, '--context', context, ...args]);
  return stdout;
}
const getJson = async (context: string, resource: string, namespace?: string): Promise<Obj> =>
  // kubectl leaves managedFields out unless asked
  JSON.parse(await kubectl(context, [...(namespace === undefined ? [] : ['-n', namespace]), 'get', resource, '-o', 'json', '--show-managed-fields'])) as Obj;
const condition = (object: Obj, type: string): string | undefined => object.status?.conditions?.find((c) => c.type === type)?.status;

/** The operator keeps reconciling after the start (measured: Available flips to False for a few seconds while it rolls the registry Deployment again), so read the settled state. */
async function settledClusterOperator(context: string, timeoutMs = 120_000): Promise<Obj> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const co = await getJson(context, 'clusteroperator/image-registry');
    if (condition(co, 'Available') === 'True' || Date.now() > deadline) return co;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function regops(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code: result, stdout, stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regops-testbed-suite-'));
  const started = Date.now();
  testbed = await startTestbed({ fleetFile: 'config/fleet.yaml', only: clusters, kubeconfigPath: join(work, 'kubeconfig'), log: (line) => void process.stdout.write(`[testbed] ${line}\n`) });
  process.stdout.write(`[testbed] ${clusters.length} clusters up in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  // aws-canary-1 is enforced here so the story has an enforce cluster (config/fleet.yaml enforces prod only)
  config = await copyConfigForTestbed('config', clusters, testbed.aws.s3OperatorEndpoint, { enforce: ['aws-canary-1'] });
  Object.assign(process.env, { AWS_ENDPOINT_URL: testbed.aws.endpoint, AWS_REGION: testbed.aws.region, AWS_ACCESS_KEY_ID: testbed.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: testbed.aws.secretAccessKey, REGOPS_CA_FILE: testbed.caFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
}, 900_000);

afterAll(async () => {
  process.env = savedEnv;
  await testbed?.stop();
  if (config !== undefined) await rm(config, { recursive: true, force: true });
  if (work !== undefined) await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the real operator on the testbed', () => {
  it('AWS: ClusterOperator image-registry Available=True written by the operator itself, and its own bucket in moto', async () => {
    const co = await settledClusterOperator('aws-canary-1');
    expect(condition(co, 'Available')).toBe('True');
    const statusWriters = (co.metadata.managedFields ?? []).filter((f) => f.subresource === 'status').map((f) => f.manager);
    expect(statusWriters).toContain('cluster-image-registry-operator');
    // the name the operator derives: <infrastructureName>-image-registry-<region> (pkg/storage/util GenerateDeterministicStorageName)
    const bucket = 'tb-aws-canary-1-image-registry-us-east-1';
    const s3 = new S3Client({ endpoint: testbed.aws.endpoint, region: testbed.aws.region, forcePathStyle: true, credentials: testbed.aws });
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeTruthy();
    s3.destroy();
  });

  it('bare metal and vSphere: the operator bootstrapped Removed, and says Available', async () => {
    for (const cluster of ['lab-bm-1', 'edge-vs-1']) {
      const operatorConfig = await getJson(cluster, 'configs.imageregistry.operator.openshift.io/cluster');
      expect(operatorConfig.spec['managementState']).toBe('Removed');
      expect(condition(await settledClusterOperator(cluster), 'Available')).toBe('True');
    }
  });
});

describe('the regops CLI story on the testbed', () => {
  it('validate, plan, rollout (bare metal onto a bucket regops provisions), drift from a kubectl patch, enforce', async () => {
    const kube = ['--config', config, '--kubeconfig', testbed.kubeconfigPath];
    expect((await regops(['validate', '--config', config])).code).toBe(0);
    expect((await regops(['plan', ...kube])).code).toBe(2);

    const rollout = await regops(['rollout', ...kube, '--bake', '1s', '--timeout', '300s']);
    expect(rollout.code, rollout.stdout + rollout.stderr).toBe(0);
    const metal = await getJson('lab-bm-1', 'configs.imageregistry.operator.openshift.io/cluster');
    expect(metal.spec['managementState']).toBe('Managed');
    expect(metal.spec['storage']).toMatchObject({ managementState: 'Unmanaged', s3: { bucket: 'acme-registry-lab-bm-1', regionEndpoint: testbed.aws.s3OperatorEndpoint } });
    // the real operator rolled the registry out on that storage: its Deployment exists and the ClusterOperator is healthy
    expect(await kubectl('lab-bm-1', ['-n', 'openshift-image-registry', 'get', 'deployment', 'image-registry', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    const co = await getJson('lab-bm-1', 'clusteroperator/image-registry');
    expect([condition(co, 'Available'), condition(co, 'Progressing'), condition(co, 'Degraded')]).toEqual(['True', 'False', 'False']);
    const s3 = new S3Client({ endpoint: testbed.aws.endpoint, region: testbed.aws.region, forcePathStyle: true, credentials: testbed.aws });
    expect(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)).toContain('acme-registry-lab-bm-1');
    s3.destroy();
    expect((await regops(['plan', ...kube])).code).toBe(0);

    await kubectl('aws-canary-1', ['patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type', 'merge', '-p', '{"spec":{"replicas":1}}']);
    expect((await regops(['drift', ...kube, '--no-enforce'])).code).toBe(2);
    expect((await regops(['drift', ...kube, '--timeout', '300s'])).code).toBe(2);
    expect(await kubectl('aws-canary-1', ['get', 'configs.imageregistry.operator.openshift.io/cluster', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    expect((await regops(['drift', ...kube, '--no-enforce'])).code).toBe(0);
  }, 900_000);
});
