/**
 * `regops sandbox up`: the local fleet (functions/sandbox) on one port and a kubeconfig with one
 * context per cluster; runs until Ctrl-C or `regops sandbox down` (POST /_sandbox/shutdown). The
 * URL, CA and AWS settings go to .regops/ so `down` and other shells can find them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import type { CliCommand } from './cli-command.ts';
import { readPositiveInteger, type CommandLine, pickOptions } from './parse-command-line.ts';

/** Where `up` records the running sandbox for `down`. */
export const sandboxStateFile = join('.regops', 'sandbox.json');

/** Starts the fleet, prints where it is and how to use it, serves until Ctrl-C or `sandbox down`. */
export async function runSandboxUp(line: CommandLine): Promise<ExitCode> {
  const clusters = readPositiveInteger(line, 'clusters');
  const fleetFile = line.values.fleet ?? (clusters === undefined ? join(line.values.config ?? 'config', 'fleet.yaml') : undefined);
  const kubeconfigPath = resolve(line.values.kubeconfig ?? join('.regops', 'sandbox.kubeconfig'));
  await mkdir(dirname(kubeconfigPath), { recursive: true });
  const port = readPositiveInteger(line, 'port', true);
  // --seed-dir: clusters start from saved `oc get -o yaml` output (DIR/<cluster>/*.yaml), not the bootstrap
  const seedDir = line.values['seed-dir'];
  const sandbox = await startSandbox({ kubeconfigPath, ...(fleetFile === undefined ? {} : { fleetFile }), ...(clusters === undefined ? {} : { clusters }), ...(port === undefined ? {} : { port }), ...(seedDir === undefined ? {} : { seedDir: resolve(seedDir) }) });
  const caFile = resolve('.regops', 'sandbox-ca.pem');
  await mkdir(dirname(caFile), { recursive: true });
  await writeFile(caFile, sandbox.caPem);
  // the admin token opens the /_sandbox/ control endpoints (shutdown, faults): readable by this user only
  await writeFile(sandboxStateFile, `${JSON.stringify({ url: sandbox.url, kubeconfig: kubeconfigPath, caFile, pid: process.pid, adminToken: sandbox.adminToken }, null, 2)}\n`, { mode: 0o600 });
  const envFile = resolve('.regops', 'sandbox.env');
  const env = { KUBECONFIG: kubeconfigPath, REGOPS_CA_FILE: caFile, AWS_ENDPOINT_URL: sandbox.aws.endpoint, AWS_REGION: sandbox.aws.region, AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey };
  await writeFile(envFile, Object.entries(env).map(([k, v]) => `export ${k}=${v}\n`).join(''), { mode: 0o600 });
  const shown = sandbox.clusters.length > 12 ? [...sandbox.clusters.slice(0, 10), `… ${sandbox.clusters.length - 10} more`] : sandbox.clusters;
  process.stdout.write(`regops sandbox: ${sandbox.clusters.length} clusters at ${sandbox.url}/clusters/<name>\n  ${shown.join('\n  ')}\n`);
  process.stdout.write(`kubeconfig ${kubeconfigPath} (one context per cluster); AWS endpoint ${sandbox.aws.endpoint}\n`);
  process.stdout.write(`In another shell: source ${envFile}; then regops plan / rollout / drift, or kubectl --context <cluster>.\n`);
  process.stdout.write('Ctrl-C or `regops sandbox down` stops it.\n');
  await new Promise<void>((done) => {
    const stop = (): void => {
      clearInterval(watch);
      void sandbox.stop().then(done, done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // `regops sandbox down` stops the server from inside; notice it and end (the sandbox API has no
    // "closed" event, so ask the control endpoint once a second)
    const watch = setInterval(() => {
      const req = request(`${sandbox.url}/_sandbox/status`, { ca: sandbox.caPem, headers: { authorization: `Bearer ${sandbox.adminToken}` } }, (res) => res.resume());
      req.on('error', () => {
        clearInterval(watch);
        done();
      });
      req.end();
    }, 1_000);
  });
  return exitCodes.ok;
}

/** --config DIR: its fleet.yaml when neither --fleet nor --clusters is given. */
export const sandboxUpCommand: CliCommand = {
  options: pickOptions('fleet', 'clusters', 'config', 'kubeconfig', 'port', 'seed-dir'),
  run: runSandboxUp,
};
