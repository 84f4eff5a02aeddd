import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Verifies AWS Signature Version 4 on a request, recomputing it the way the service does:
// canonical request → string to sign → HMAC chain over date/region/service/"aws4_request".
// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

/** What the verifier needs to know about a request. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent on the wire (req.url). */
  url: string;
  /** node's req.rawHeaders: name, value, name, value… */
  rawHeaders: string[];
  /** The hashed payload line of the canonical request (hex SHA-256, UNSIGNED-PAYLOAD, STREAMING-…). */
  payloadHash: string;
  /** S3 signs the path as sent; every other service signs it URI-encoded once more. */
  doubleEncodePath: boolean;
}

/** The parsed Authorization header plus the derived key, for verifying aws-chunked chunk signatures. */
export interface VerifiedSignature {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  amzDate: string;
  scope: string;
  signature: string;
  signingKey: Buffer;
}

/** Why a request was refused. */
export type SignatureFailure =
  | { kind: 'missing'; message: string }
  | { kind: 'malformed'; message: string; accessKeyId?: string }
  | { kind: 'unknown-key'; accessKeyId: string; message: string }
  | { kind: 'mismatch'; accessKeyId: string; message: string; stringToSign: string; canonicalRequest: string; signatureProvided: string };

export type SignatureCheck = { ok: true; value: VerifiedSignature } | { ok: false; failure: SignatureFailure };

/** RFC 3986 encoding as SigV4 requires: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Canonical query string: each name=value decoded, re-encoded, sorted by name then value. */
export function canonicalizeQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      // '+' in a query is a literal plus to AWS, never a space.
      return [encodeRfc3986(decodeLenient(name)), encodeRfc3986(decodeLenient(value))] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature');
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** The header values of the signed headers, in canonical form ("name:value\n" each). */
function canonicalizeHeaders(rawHeaders: string[], signed: string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const list = values.get(name) ?? [];
    list.push((rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' '));
    values.set(name, list);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}

/** The header value (first occurrence) by lower-case name. */
export function headerValue(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] ?? '').toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

function canonicalizePath(rawPath: string, doubleEncode: boolean): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (!doubleEncode) return path;
  return path
    .split('/')
    .map((segment) => encodeRfc3986(segment))
    .join('/');
}

/** Recomputes the signature of `request` and compares it with the one in its Authorization header. */
export function verifySigV4(request: SignedRequest, lookupSecret: (accessKeyId: string) => string | undefined): SignatureCheck {
  const authorization = headerValue(request.rawHeaders, 'authorization');
  if (authorization === undefined) return { ok: false, failure: { kind: 'missing', message: 'Request is missing Authentication Token' } };
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(authorization);
  if (!match) {
    return { ok: false, failure: { kind: 'malformed', message: 'The authorization header is malformed; it must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….' } };
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = match;
  const parts = credential.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || terminator !== 'aws4_request' || !/^\d{8}$/.test(date)) {
    return { ok: false, failure: { kind: 'malformed', accessKeyId, message: `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".` } };
  }
  const secret = lookupSecret(accessKeyId);
  if (secret === undefined) return { ok: false, failure: { kind: 'unknown-key', accessKeyId, message: 'The AWS Access Key Id you provided does not exist in our records.' } };
  const signed = signedHeaderList.split(';');
  const amzDate = headerValue(request.rawHeaders, 'x-amz-date') ?? '';
  if (!signed.includes('host') || !/^\d{8}T\d{6}Z$/.test(amzDate) || !(signed.includes('x-amz-date') || signed.includes('date'))) {
    return { ok: false, failure: { kind: 'malformed', accessKeyId, message: 'The request must sign the host header and carry a signed x-amz-date in ISO 8601 basic format.' } };
  }
  if (amzDate.slice(0, 8) !== date) {
    return { ok: false, failure: { kind: 'malformed', accessKeyId, message: `The authorization header is malformed; Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".` } };
  }
  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
  const canonicalRequest = [
    request.method,
    canonicalizePath(rawPath, request.doubleEncodePath),
    canonicalizeQuery(rawQuery),
    canonicalizeHeaders(request.rawHeaders, signed),
    signedHeaderList,
    request.payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = deriveSigningKey(secret, date, region, service);
  const expected = hmac(signingKey, stringToSign);
  const provided = Buffer.from(signature, 'hex');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return {
      ok: false,
      failure: {
        kind: 'mismatch',
        accessKeyId,
        message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        stringToSign,
        canonicalRequest,
        signatureProvided: signature,
      },
    };
  }
  return { ok: true, value: { accessKeyId, date, region, service, amzDate, scope, signature, signingKey } };
}

/** Parses an x-amz-date (20261125T163842Z) into epoch milliseconds. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
