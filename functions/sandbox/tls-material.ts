import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** The sandbox's own CA and a server certificate for 127.0.0.1/localhost, made at start. */
export interface TlsMaterial {
  caPem: string;
  /** RSA-2048, as OpenShift's own serving certificates (library-go pkg/crypto: keyBits = 2048). */
  certPem: string;
  keyPem: string;
  /** Only when asked for (createTlsMaterial's ecdsaServerName): an ECDSA P-256 certificate for that name, signed by the same CA. */
  ecdsa?: { serverName: string; certPem: string; keyPem: string };
}

const generateRsaKeyPair = promisify(generateKeyPair);
const generateEcKeyPair = promisify(generateKeyPair);

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

/**
 * An ECDSA P-256 server certificate for `serverName`, signed by the RSA CA. node-forge encodes and
 * signs only RSA keys, so the TBSCertificate is built by forge around a placeholder key and its
 * SubjectPublicKeyInfo swapped for node:crypto's EC one before the CA signs it (RFC 5280 §4.1).
 */
async function createEcdsaCertificate(ca: ForgeKeys, issuer: forge.pki.CertificateField[], serverName: string): Promise<{ certPem: string; keyPem: string }> {
  const { privateKey, publicKey } = await generateEcKeyPair('ec', { namedCurve: 'P-256' });
  const cert = forge.pki.createCertificate();
  cert.publicKey = ca.publicKey; // placeholder, replaced below
  setValidity(cert, '03');
  cert.setSubject([{ name: 'commonName', value: 'regops-sandbox-ecdsa' }]);
  cert.setIssuer(issuer);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    // ECDSA keys sign only: no keyEncipherment (library-go pkg/crypto/key_config.go KeyUsage does the same)
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: serverName }] },
  ]);
  const sha256WithRsa = forge.pki.oids['sha256WithRSAEncryption'] ?? '1.2.840.113549.1.1.11';
  cert.siginfo.algorithmOid = sha256WithRsa;
  cert.signatureOid = sha256WithRsa;
  // exported by node-forge (lib/x509.js pki.getTBSCertificate) but missing from @types/node-forge
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  // TBSCertificate: version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  (tbs.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(forge.util.createBuffer(spki.toString('binary')));
  const tbsDer = forge.asn1.toDer(tbs).getBytes();
  const md = forge.md.sha256.create();
  md.update(tbsDer);
  const signature = ca.privateKey.sign(md);
  const { asn1 } = forge;
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(sha256WithRsa).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature}`)]);
  const certPem = forge.pem.encode({ type: 'CERTIFICATE', body: asn1.toDer(certificate).getBytes() });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function setValidity(cert: forge.pki.Certificate, serial: string): void {
  cert.serialNumber = serial;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
}

/**
 * Creates a fresh CA and a server certificate signed by it for 127.0.0.1, ::1, localhost and `host`;
 * with `ecdsaServerName`, also an ECDSA P-256 certificate for that name (startSandbox's option of the same name).
 */
export async function createTlsMaterial(host: string, ecdsaServerName?: string): Promise<TlsMaterial> {
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

  const material: TlsMaterial = { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.privatePem };
  if (ecdsaServerName !== undefined) material.ecdsa = { serverName: ecdsaServerName, ...(await createEcdsaCertificate(ca, caSubject, ecdsaServerName)) };
  return material;
}
