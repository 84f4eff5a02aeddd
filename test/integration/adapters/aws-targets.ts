/**
 * The AWS endpoints the adapter suites run against: the sandbox's AWS emulator (functions/sandbox/aws,
 * ours, served by ../sandbox-aws/serve-emulator.ts; in `npm test`) and moto's server (PyPI moto, an
 * implementation this project did not write; in `npm run test:moto`, vitest.moto.config.ts, so a fresh
 * `npm test` needs no Python). The suites hold the same bodies for both; where moto and the emulator
 * disagree, the emulator is wrong.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../../functions/testbed/free-port.ts';
import { primaryKeys, serveEmulator } from '../sandbox-aws/serve-emulator.ts';

export interface AwsTarget {
  name: string;
  endpoint: string;
  region: string;
  /** A key pair the endpoint knows; others are refused (moto: see startMotoTarget). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

const region = 'us-east-1';

export async function startEmulatorTarget(): Promise<AwsTarget> {
  const served = await serveEmulator({ region });
  return { name: 'sandbox AWS emulator', endpoint: served.endpoint, region, credentials: primaryKeys, stop: () => served.stop() };
}

/** The cached venv's bin folder (.ci/python-tools.sh installs moto[server] from PyPI on first use). */
export function pythonToolsBin(): string {
  return execFileSync('bash', ['.ci/python-tools.sh'], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
}

/** moto's version, as the venv's Python imports it. */
export function motoVersion(bin: string): string {
  return execFileSync(join(bin, 'python'), ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim();
}

/** How many requests moto serves before it enforces IAM authentication: the three IAM calls below. */
const unauthenticatedSetupCalls = 3;

/**
 * moto_server on a free port with IAM authentication on after the set-up calls
 * (docs.getmoto.org "IAM-like Access Control": INITIAL_NO_AUTH_ACTION_COUNT), so a key pair moto does
 * not know is refused as AWS refuses it. The set-up creates a user allowed everything and its keys.
 */
export async function startMotoTarget(): Promise<AwsTarget> {
  const bin = pythonToolsBin();
  console.log(`moto ${motoVersion(bin)} (${join(bin, 'moto_server')})`);
  const port = await freePort();
  const child = spawn(join(bin, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: String(unauthenticatedSetupCalls) },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  // a TCP probe: an HTTP request would count against the unauthenticated calls
  while (!(await portAnswers(port))) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering on ${endpoint}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} in 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const key = await createMotoAdmin(endpoint).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { name: 'moto', endpoint, region, credentials: key, stop };
}

/**
 * The set-up IAM calls, before moto enforces authentication: plain Query API posts (moto routes them
 * to IAM by the credential scope of the Authorization header, which it does not verify yet).
 */
async function createMotoAdmin(endpoint: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const call = async (params: Record<string, string>): Promise<string> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto: IAM ${params['Action'] ?? ''} answered ${response.status}: ${text}`);
    return text;
  };
  await call({ Action: 'CreateUser', UserName: 'regops-tests' });
  // an inline policy: moto loads AWS-managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES
  const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  await call({ Action: 'PutUserPolicy', UserName: 'regops-tests', PolicyName: 'all', PolicyDocument: allowAll });
  const created = await call({ Action: 'CreateAccessKey', UserName: 'regops-tests' });
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(created)?.[1];
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(created)?.[1];
  if (accessKeyId === undefined || secretAccessKey === undefined) throw new Error(`moto: CreateAccessKey returned no key: ${created}`);
  return { accessKeyId, secretAccessKey };
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
