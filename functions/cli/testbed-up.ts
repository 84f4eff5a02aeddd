/**
 * `regops testbed up`: the real testbed (functions/testbed: a real control plane per cluster, the real
 * cluster-image-registry-operator, moto) with the `sandbox up` contract: a kubeconfig with one context
 * per cluster and .regops/testbed.env with KUBECONFIG and the AWS settings. Runs until Ctrl-C or
 * `regops testbed down` (SIGTERM to this process, recorded in .regops/testbed.json).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { startTestbed } from '../testbed/index.ts';
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { pickOptions, type CommandLine } from './parse-command-line.ts';

/** Where `up` records the running testbed for `down`. */
export const testbedStateFile = join('.regops', 'testbed.json');

export async function runTestbedUp(line: CommandLine): Promise<ExitCode> {
  const fleetFile = line.values.fleet ?? join(line.values.config ?? 'config', 'fleet.yaml');
  const kubeconfigPath = resolve(line.values.kubeconfig ?? join('.regops', 'testbed.kubeconfig'));
  const started = Date.now();
  const testbed = await startTestbed({ fleetFile, kubeconfigPath, ...(line.values.cluster === undefined ? {} : { only: line.values.cluster }), log: (text) => void process.stdout.write(`${text}\n`) });
  const envFile = resolve('.regops', 'testbed.env');
  await mkdir(dirname(envFile), { recursive: true });
  const env = { KUBECONFIG: kubeconfigPath, AWS_ENDPOINT_URL: testbed.aws.endpoint, AWS_REGION: testbed.aws.region, AWS_ACCESS_KEY_ID: testbed.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: testbed.aws.secretAccessKey };
  await writeFile(envFile, Object.entries(env).map(([k, v]) => `export ${k}=${v}\n`).join(''), { mode: 0o600 });
  await writeFile(testbedStateFile, `${JSON.stringify({ pid: process.pid, kubeconfig: kubeconfigPath, workDir: testbed.workDir }, null, 2)}\n`);
  process.stdout.write(`regops testbed: ${testbed.clusters.length} clusters in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  for (const c of testbed.clusters) process.stdout.write(`  ${c.name.padEnd(16)} ${c.platform.padEnd(10)} ${c.server}  start ${(c.startMs / 1000).toFixed(1)} s  ${c.rssMiB} MiB  logs ${c.logDir}\n`);
  process.stdout.write(`kubeconfig ${kubeconfigPath} (one context per cluster); moto ${testbed.aws.endpoint} (the operator uses ${testbed.aws.s3OperatorEndpoint})\n`);
  process.stdout.write(`In another shell: source ${envFile}; then regops plan / rollout / drift, or kubectl --context <cluster>.\n`);
  process.stdout.write('Ctrl-C or `regops testbed down` stops it.\n');
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.stdout.write('regops testbed: stopping\n');
      void testbed.stop().finally(() => void rm(testbedStateFile, { force: true }).finally(done));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return exitCodes.ok;
}

/** --config DIR: its fleet.yaml when --fleet is not given; --cluster NAME (repeatable) starts only those. */
export const testbedUpCommand: CliCommand = {
  options: pickOptions('fleet', 'config', 'kubeconfig', 'cluster'),
  run: runTestbedUp,
};
