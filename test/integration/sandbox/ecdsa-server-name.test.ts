import { request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';

// startSandbox's ecdsaServerName (a bench option, test/bench/drift.bench.ts): the key type of the
// certificate a client is served, read from the real handshake, by the TLS server name it sends.

interface Served {
  keyType: string | undefined;
  authorized: boolean;
  authorizationError: string | undefined;
}

/** Handshakes with the sandbox and reports the served certificate's key type and node's verdict on it (same CA as the kubeconfig). */
function handshake(sandbox: Sandbox, servername: string): Promise<Served> {
  const url = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    // rejectUnauthorized off only to see what a refused name would have been served; the verdict is asserted
    const socket = connect({ host: url.hostname, port: Number(url.port), servername, ca: sandbox.caPem, rejectUnauthorized: false }, () => {
      const served = { keyType: socket.getPeerX509Certificate()?.publicKey.asymmetricKeyType, authorized: socket.authorized, authorizationError: socket.authorizationError?.toString() };
      socket.destroy();
      resolve(served);
    });
    socket.on('error', reject);
  });
}

function getVersion(sandbox: Sandbox, servername: string): Promise<{ status: number | undefined; minor: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sandbox.clusterUrl(sandbox.clusters[0] ?? '')}/version`, { ca: sandbox.caPem, servername, headers: { authorization: `Bearer ${sandbox.token(sandbox.clusters[0] ?? '')}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, minor: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { minor?: unknown }).minor }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox ecdsaServerName', () => {
  let plain: Sandbox;
  let withEcdsa: Sandbox;
  beforeAll(async () => {
    [plain, withEcdsa] = await Promise.all([startSandbox({ clusters: 1 }), startSandbox({ clusters: 1, ecdsaServerName: 'ecdsa.localhost' })]);
  });
  afterAll(async () => {
    await Promise.all([plain.stop(), withEcdsa.stop()]);
  });

  it('serves the ECDSA P-256 certificate, valid under the kubeconfig CA, to clients asking for that name, and RSA to every other', async () => {
    expect(await handshake(withEcdsa, 'ecdsa.localhost')).toEqual({ keyType: 'ec', authorized: true, authorizationError: undefined });
    expect(await handshake(withEcdsa, 'localhost')).toEqual({ keyType: 'rsa', authorized: true, authorizationError: undefined });
    // and the Kubernetes API answers through the ECDSA certificate, node's host name check included
    expect(await getVersion(withEcdsa, 'ecdsa.localhost')).toEqual({ status: 200, minor: '32' });
  });

  it('without the option every client gets the RSA-2048 certificate, whatever name it asks for', async () => {
    expect(await handshake(plain, 'localhost')).toEqual({ keyType: 'rsa', authorized: true, authorizationError: undefined });
    // the RSA certificate does not name ecdsa.localhost, so node refuses it
    expect(await handshake(plain, 'ecdsa.localhost')).toEqual({ keyType: 'rsa', authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
