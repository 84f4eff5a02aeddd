/**
 * trusted-cas/*.pem: each file becomes a key of the additionalTrustedCA ConfigMap, named after the
 * registry host with `..` before a port (docs/registry-operator-facts.md §8), its value a PEM bundle the node-ca
 * DaemonSet writes to every node. Every certificate must parse (node:crypto X509Certificate).
 */
import { X509Certificate } from 'node:crypto';
import type { Diagnostic, SourceFile } from './model.ts';
import { createDiagnostic } from './create-diagnostic.ts';

/** Certificates expiring within this many days of `now` are warned about. */
export const CA_EXPIRY_WARNING_DAYS = 30;
const dayMs = 86_400_000;

const dnsName = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Splits a ConfigMap key `host..port` (or `host`) into its parts; undefined when it is neither. */
export function parseCaKey(key: string): { host: string; port?: number } | undefined {
  const split = key.lastIndexOf('..');
  const host = split < 0 ? key : key.slice(0, split);
  if (!dnsName.test(host) && !ipv4.test(host)) return undefined;
  if (split < 0) return { host };
  const portText = key.slice(split + 2);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

interface PemBlock {
  label: string;
  text: string;
  line: number;
}

function splitPem(content: string): { blocks: PemBlock[]; stray: number | undefined } {
  const lines = content.split(/\r?\n/);
  const blocks: PemBlock[] = [];
  let stray: number | undefined;
  let open: { label: string; line: number; body: string[] } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(line);
    const end = /^-----END ([A-Z0-9 ]+)-----$/.exec(line);
    if (open === undefined) {
      if (begin !== null) open = { label: begin[1] ?? '', line: index + 1, body: [line] };
      else if (line !== '' && stray === undefined) stray = index + 1;
      return;
    }
    open.body.push(line);
    if (end !== null) {
      blocks.push({ label: open.label, text: `${open.body.join('\n')}\n`, line: open.line });
      open = undefined;
    }
  });
  if (open !== undefined) stray ??= open.line;
  return { blocks, stray };
}

/**
 * Checks one trusted-cas/*.pem file: the name (`host` or `host..port`, a DNS name or IPv4 and a
 * port 1-65535), that it holds only certificates, each parsing as X.509, none expired at `now`
 * (error) and none expiring within 30 days (warning).
 */
export function checkCaBundle(file: SourceFile, now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (line: number, col = 1) => ({ file: file.path, line, col });
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  const key = base.endsWith('.pem') ? base.slice(0, -4) : base;
  if (parseCaKey(key) === undefined) {
    out.push(createDiagnostic('ca.file-name', 'error', at(1), `${base}: the file name must be the registry host, with ".." before a port (e.g. registry.example.com..5000.pem)`,
      'rename the file to <host>.pem or <host>..<port>.pem (lower-case DNS name or IPv4, port 1-65535)'));
  }
  const { blocks, stray } = splitPem(file.content);
  if (stray !== undefined) {
    out.push(createDiagnostic('ca.not-a-certificate', 'error', at(stray), `${base}: line ${stray} is not part of a PEM certificate block`,
      'keep only -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- blocks in the file'));
  }
  if (blocks.length === 0 && stray === undefined) {
    out.push(createDiagnostic('ca.not-a-certificate', 'error', at(1), `${base}: no certificate in the file`, 'put the CA certificate(s) in PEM form in the file'));
  }
  for (const block of blocks) {
    if (block.label !== 'CERTIFICATE') {
      // private keys are reported by the secret scan; anything else is simply not a certificate
      if (!block.label.includes('PRIVATE KEY')) {
        out.push(createDiagnostic('ca.not-a-certificate', 'error', at(block.line), `${base}: a ${block.label} block, not a CERTIFICATE`, 'keep only certificates in trusted-cas/'));
      }
      continue;
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block.text);
    } catch {
      out.push(createDiagnostic('ca.not-a-certificate', 'error', at(block.line), `${base}: the certificate at line ${block.line} does not parse as X.509`,
        'replace it with the PEM of the CA certificate (openssl x509 -in cert -text checks it)'));
      continue;
    }
    const notAfter = new Date(cert.validTo);
    const subject = cert.subject.replace(/\n/g, ', ');
    if (notAfter.getTime() <= now.getTime()) {
      out.push(createDiagnostic('ca.expired', 'error', at(block.line), `${base}: certificate "${subject}" expired on ${notAfter.toISOString()}`,
        'replace it with the registry\'s current CA certificate'));
    } else if (notAfter.getTime() - now.getTime() <= CA_EXPIRY_WARNING_DAYS * dayMs) {
      const days = Math.ceil((notAfter.getTime() - now.getTime()) / dayMs);
      out.push(createDiagnostic('ca.expiring', 'warning', at(block.line), `${base}: certificate "${subject}" expires in ${days} days (${notAfter.toISOString()})`,
        'add the renewed CA certificate to the bundle before it expires'));
    }
    if (new Date(cert.validFrom).getTime() > now.getTime()) {
      out.push(createDiagnostic('ca.not-yet-valid', 'warning', at(block.line), `${base}: certificate "${subject}" is valid only from ${new Date(cert.validFrom).toISOString()}`,
        'check the certificate dates and the clock of the machine that made it'));
    }
  }
  return out;
}
