import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsaKeyPair = promisify(generateKeyPair);

/** A CA made for one testbed; it signs every serving certificate of it (API servers, the S3 endpoint, the operator's metrics). */
export interface TestbedCa {
  caPem: string;
  issue(names: { dns: string[]; ips: string[] }, commonName: string): Promise<{ certPem: string; keyPem: string }>;
}

async function forgeKeys(): Promise<{ privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string }> {
  // node:crypto makes the key (native); node-forge only builds and signs certificates (as functions/sandbox/tls-material.ts does)
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgePrivate, publicKey: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e), privatePem };
}

function validity(cert: forge.pki.Certificate, serial: number): void {
  cert.serialNumber = serial.toString(16).padStart(2, '0');
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
}

export async function createTestbedCa(): Promise<TestbedCa> {
  const ca = await forgeKeys();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  validity(caCert, 1);
  const subject = [{ name: 'commonName', value: 'regops-testbed-ca' }];
  caCert.setSubject(subject);
  caCert.setIssuer(subject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  let serial = 1;
  return {
    caPem: forge.pki.certificateToPem(caCert),
    issue: async (names, commonName) => {
      const keys = await forgeKeys();
      const cert = forge.pki.createCertificate();
      cert.publicKey = keys.publicKey;
      serial += 1;
      validity(cert, serial);
      cert.setSubject([{ name: 'commonName', value: commonName }]);
      cert.setIssuer(subject);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))] },
      ]);
      cert.sign(ca.privateKey, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
    },
  };
}
