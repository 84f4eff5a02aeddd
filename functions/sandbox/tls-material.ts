import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** The sandbox's own CA and a server certificate for 127.0.0.1/localhost, made at start. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

interface ForgeKeys {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  privatePem: string;
}

// Keys come from node:crypto (native, on the libuv pool, both at once) because node-forge's pure-JS
// RSA keygen takes seconds; node-forge only builds and signs the X.509 certificates.
async function generateForgeKeys(): Promise<ForgeKeys> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  const forgePublic = forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e);
  return { privateKey: forgePrivate, publicKey: forgePublic, privatePem };
}

function setValidity(cert: forge.pki.Certificate, serial: string): void {
  cert.serialNumber = serial;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
}

/** Creates a fresh CA and a server certificate signed by it for 127.0.0.1, ::1, localhost and `host`. */
export async function createTlsMaterial(host: string): Promise<TlsMaterial> {
  const [ca, server] = await Promise.all([generateForgeKeys(), generateForgeKeys()]);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  setValidity(caCert, '01');
  const caSubject = [{ name: 'commonName', value: 'regops-sandbox-ca' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  setValidity(cert, '02');
  cert.setSubject([{ name: 'commonName', value: 'regops-sandbox' }]);
  cert.setIssuer(caSubject);
  const altNames: Array<{ type: number; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    altNames.push(/^[\d.]+$|:/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.privatePem };
}
