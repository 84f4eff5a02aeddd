import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../functions/sandbox/index.ts';

/**
 * What the differential scenario talks to, target-neutral: a kubeconfig with one context per cluster
 * and an S3 endpoint with credentials. The sandbox runs in-process; the testbed (functions/testbed) is
 * the real cluster-image-registry-operator on real control planes.
 */
export interface DifferentialTarget {
  kind: 'sandbox' | 'testbed';
  kubeconfig: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; caPem: string | undefined };
  /** How long to poll between reads, the shortest settle wait, and the registry Deployment's progress deadline. */
  timing: { pollMs: number; minSettleMs: number; settleTimeoutMs: number; progressDeadlineMs: number };
  stop(): Promise<void>;
}

/**
 * The clusters the scenario uses: AWS (S3 bootstrap) and vSphere (Removed bootstrap, the admin's RWO
 * claim). Bare metal takes the same Removed branch of GetPlatformStorage as vSphere; it is left out
 * because the testbed's bare-metal cluster did not become Available within 240 s on 2026-12-04.
 */
export const differentialClusters = [
  { name: 'diff-aws', platform: 'aws', region: 'us-east-1' },
  { name: 'diff-vs', platform: 'vsphere', region: 'us-east-1' },
];

async function startSandboxTarget(): Promise<DifferentialTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'regops-differential-'));
  const fleet = ['spec:', '  clusters:', ...differentialClusters.flatMap((c) => [`    - name: ${c.name}`, `      labels: {platform: ${c.platform}, region: ${c.region}}`])].join('\n');
  await writeFile(join(dir, 'fleet.yaml'), `${fleet}\n`);
  const progressDeadlineMs = 4000;
  const sandbox = await startSandbox({ fleetFile: join(dir, 'fleet.yaml'), progressingMs: 500, degradedAfterMs: 300_000, progressDeadlineMs });
  return {
    kind: 'sandbox',
    kubeconfig: sandbox.kubeconfig,
    s3: { ...sandbox.aws, caPem: sandbox.caPem },
    timing: { pollMs: 150, minSettleMs: 1200, settleTimeoutMs: 30_000, progressDeadlineMs },
    async stop() {
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface TestbedModule {
  startTestbed(options: { clusters: typeof differentialClusters; log?: (line: string) => void }): Promise<{
    kubeconfig: string;
    caPem: string;
    aws: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
    stop(): Promise<void>;
  }>;
}

async function startTestbedTarget(): Promise<DifferentialTarget> {
  // loaded at run time: the testbed is another engineer's module and needs its own build (functions/testbed/README.md)
  const modulePath = '../../../functions/testbed/index.ts';
  const testbedModule = (await import(modulePath)) as TestbedModule;
  const testbed = await testbedModule.startTestbed({ clusters: differentialClusters, log: (line) => process.stderr.write(`testbed: ${line}\n`) });
  return {
    kind: 'testbed',
    kubeconfig: testbed.kubeconfig,
    s3: { ...testbed.aws, caPem: undefined },
    // the real Deployment deadline is 120 s (pkg/resource/deployment.go progressDeadlineSeconds)
    timing: { pollMs: 2000, minSettleMs: 15_000, settleTimeoutMs: 240_000, progressDeadlineMs: 120_000 },
    stop: () => testbed.stop(),
  };
}

/** The target REGOPS_TEST_TARGET names (sandbox by default). */
export async function startDifferentialTarget(name = process.env['REGOPS_TEST_TARGET'] ?? 'sandbox'): Promise<DifferentialTarget> {
  if (name === 'sandbox') return startSandboxTarget();
  if (name === 'testbed') return startTestbedTarget();
  throw new Error(`REGOPS_TEST_TARGET=${name}: expected sandbox or testbed`);
}
