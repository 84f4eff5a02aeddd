import { execFile } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { startProcess, type ManagedProcess } from './managed-process.ts';
import { TestbedError } from './testbed-error.ts';
import type { TestbedCa } from './testbed-tls.ts';

/** The host name the operator's S3 client uses (virtual-host style: `<bucket>.s3.regops-testbed.local`), mapped in /etc/hosts. */
export const s3HostName = 's3.regops-testbed.local';

export interface MotoEndpoint {
  /** plain HTTP, for regops (path style, Secrets Manager, SSM) */
  endpoint: string;
  /** HTTPS in front of the same moto, for the operator */
  tlsEndpoint: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * moto's server (PyPI moto[server], from the venv .ci/python-tools.sh makes) on a free port, and a TLS
 * front end signed by the testbed CA: the operator requires an https:// S3 endpoint in the
 * Infrastructure (config/v1 serviceEndpoints pattern) and moto's own -c/-k TLS would leave regops no
 * plain endpoint. One moto process keeps one state, so both see the same buckets.
 */
export async function startMoto(options: { repoRoot: string; dir: string; ca: TestbedCa }): Promise<MotoEndpoint> {
  const { stdout } = await promisify(execFile)('bash', [join(options.repoRoot, '.ci', 'python-tools.sh')], { cwd: options.repoRoot }).catch((error: unknown) => {
    throw new TestbedError('moto.unavailable', `moto: .ci/python-tools.sh failed (it installs moto[server] from PyPI into a cached venv)`, {}, error);
  });
  const pyBin = stdout.trim().split('\n').pop() ?? '';
  const [port, tlsPort] = [await freePort(), await freePort()];
  const tlsEndpoint = `https://${s3HostName}:${tlsPort}`;
  const moto = startProcess('moto', join(pyBin, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    logFile: join(options.dir, 'moto.log'),
    // requests to the bare endpoint host are path style; <bucket>.<host> are virtual-host style (moto/s3/responses.py subdomain_based_buckets)
    env: { MOTO_S3_CUSTOM_ENDPOINTS: tlsEndpoint },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (moto.exited) throw new TestbedError('moto.exited', `moto: moto_server exited; its log ${moto.logFile} ends:\n${moto.tail()}`);
    if (await fetch(`${endpoint}/moto-api/data.json`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await moto.stop();
      throw new TestbedError('moto.timeout', `moto: not answering on ${endpoint} after 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cert = await options.ca.issue({ dns: [s3HostName, `*.${s3HostName}`, 'localhost'], ips: ['127.0.0.1'] }, 'regops-testbed-s3');
  const sockets = new Set<Socket>();
  const front: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (client) => {
    const upstream = createConnection(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(tlsPort, '127.0.0.1', () => resolve());
  });
  return {
    endpoint,
    tlsEndpoint,
    process: moto,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await moto.stop();
    },
  };
}
