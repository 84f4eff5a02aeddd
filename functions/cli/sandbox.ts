/**
 * `regops sandbox up|down`: the local fleet (functions/sandbox) on one port, a kubeconfig with one
 * context per cluster; `up` runs until Ctrl-C or `regops sandbox down` (POST /_sandbox/shutdown).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { readPositiveInteger, type CommandLine } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

const stateFile = join('.regops', 'sandbox.json');

export async function runSandbox(line: CommandLine): Promise<ExitCode> {
  const [action] = line.rest;
  if (action === 'down') return stopSandbox(line);
  if (action !== 'up') throw new UsageError('sandbox: expected `sandbox up` or `sandbox down`');
  const clusters = readPositiveInteger(line, 'clusters');
  const fleetFile = line.values.fleet ?? (clusters === undefined ? join(line.values.config ?? 'config', 'fleet.yaml') : undefined);
  const kubeconfigPath = resolve(line.values.kubeconfig ?? join('.regops', 'sandbox.kubeconfig'));
  await mkdir(dirname(kubeconfigPath), { recursive: true });
  const port = readPositiveInteger(line, 'port', true);
  const sandbox = await startSandbox({ kubeconfigPath, ...(fleetFile === undefined ? {} : { fleetFile }), ...(clusters === undefined ? {} : { clusters }), ...(port === undefined ? {} : { port }) });
  const caFile = resolve('.regops', 'sandbox-ca.pem');
  await mkdir(dirname(caFile), { recursive: true });
  await writeFile(caFile, sandbox.caPem);
  await writeFile(stateFile, `${JSON.stringify({ url: sandbox.url, kubeconfig: kubeconfigPath, caFile, pid: process.pid }, null, 2)}\n`);
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
      const req = request(`${sandbox.url}/_sandbox/status`, { ca: sandbox.caPem }, (res) => res.resume());
      req.on('error', () => {
        clearInterval(watch);
        done();
      });
      req.end();
    }, 1_000);
  });
  return exitCodes.ok;
}

async function stopSandbox(line: CommandLine): Promise<ExitCode> {
  const state = JSON.parse(await readFile(stateFile, 'utf8').catch(() => '{}')) as { url?: string; caFile?: string };
  const url = line.values.url ?? state.url;
  if (url === undefined) throw new UsageError(`sandbox down: no running sandbox recorded in ${stateFile}; pass --url`);
  const ca = state.caFile === undefined ? undefined : await readFile(state.caFile, 'utf8');
  await new Promise<void>((done, fail) => {
    const req = request(`${url}/_sandbox/shutdown`, { method: 'POST', ...(ca === undefined ? {} : { ca }) }, (res) => { res.resume(); res.on('end', done); });
    req.on('error', fail);
    req.end();
  });
  process.stdout.write(`regops sandbox: stopped ${url}\n`);
  return exitCodes.ok;
}
