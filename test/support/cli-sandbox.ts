/**
 * The setup every CLI integration test against the sandbox shares: a sandbox fleet from config/fleet.yaml
 * in a fresh folder, its CA on disk, and the process environment the CLI reads for the sandbox's AWS
 * endpoints (REGOPS_CA_FILE, AWS_*), as `source .regops/sandbox.env` gives a person; plus `regops` run
 * in-process with its output captured.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRegops } from '../../functions/cli/main.ts';
import { startSandbox, type Sandbox } from '../../functions/sandbox/index.ts';
import { captureOutput } from './capture-output.ts';

export interface CliSandbox {
  sandbox: Sandbox;
  /** The test's own folder (kubeconfig, CA, anything the test writes). */
  work: string;
  kubeconfig: string;
}

/** Starts the sandbox fleet (operator progress 50 ms unless given) and points the CLI's environment at it. */
export async function startCliSandbox(name: string, options: { progressingMs?: number } = {}): Promise<CliSandbox> {
  const work = await mkdtemp(join(tmpdir(), `regops-${name}-`));
  const kubeconfig = join(work, 'kubeconfig');
  const sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', kubeconfigPath: kubeconfig, progressingMs: options.progressingMs ?? 50 });
  const caFile = join(work, 'ca.pem');
  await writeFile(caFile, sandbox.caPem);
  Object.assign(process.env, { REGOPS_CA_FILE: caFile, AWS_ENDPOINT_URL: sandbox.aws.endpoint, AWS_REGION: sandbox.aws.region, AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  return { sandbox, work, kubeconfig };
}

/** `regops ARGS` in this process: exit code and what it printed. */
export async function runCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code, stdout, stderr };
}
