import { getCanonicalHeaders, getCanonicalQuery, getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Verifies AWS Signature Version 4 on a request by recomputing it with the AWS SDK's own signer,
// @smithy/signature-v4 (issue #12: a maintained library, not a hand-written algorithm): its canonical
// query, headers, path and request, string to sign and signing key. Kept here is what a signer has no
// use for and a verifier needs: reading the Authorization header, the checks a service makes before
// any HMAC, and the constant-time comparison.
// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

/** The signer's request shape (@smithy/types, reached through the signer rather than imported). */
type HttpRequest = Parameters<SignatureV4['presign']>[0];
type QueryParameterBag = HttpRequest['query'];

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

/** The query as the signer takes it: names and values decoded ('+' is a literal plus to AWS, never a space). */
function parseQuery(rawQuery: string): QueryParameterBag {
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeLenient(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeLenient(eq < 0 ? '' : pair.slice(eq + 1));
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** Canonical query string: each name=value decoded, re-encoded, sorted by name then value (X-Amz-Signature left out). */
export function canonicalizeQuery(rawQuery: string): string {
  return getCanonicalQuery({ query: parseQuery(rawQuery) } as HttpRequest);
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

export function hmac(key: Buffer | Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SHA-256 (or HMAC-SHA256 with a secret) in the shape @smithy/signature-v4 asks for, on node:crypto. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** The SDK's signer, opened up for its canonical request and string to sign (protected in SignatureV4Base). */
class SignatureRecomputer extends SignatureV4 {
  constructor(service: string, region: string, uriEscapePath: boolean) {
    // credentials are not used: the signing key is derived separately, for the secret of the caller's key
    super({ service, region, uriEscapePath, applyChecksum: false, credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: NodeSha256 });
  }
  canonicalRequest(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
  stringToSign(amzDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(amzDate, scope, canonicalRequest, 'AWS4-HMAC-SHA256');
  }
}

/** The signed headers only, each name's values joined with "," (the signer trims and folds whitespace). */
function signedHeaderBag(rawHeaders: string[], signed: string[]): Record<string, string> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    if (!signed.includes(name)) continue;
    values.set(name, [...(values.get(name) ?? []), (rawHeaders[i + 1] ?? '').trim()]);
  }
  const headers: Record<string, string> = {};
  for (const name of signed) headers[name] = (values.get(name) ?? []).join(',');
  return getCanonicalHeaders({ headers } as unknown as HttpRequest, undefined, new Set(signed));
}

/** Recomputes the signature of `request` and compares it with the one in its Authorization header. */
export async function verifySigV4(request: SignedRequest, lookupSecret: (accessKeyId: string) => string | undefined): Promise<SignatureCheck> {
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
  const httpRequest = { method: request.method, protocol: 'https:', hostname: '', path: rawPath === '' ? '/' : rawPath, query: parseQuery(q < 0 ? '' : request.url.slice(q + 1)), headers: {} } as HttpRequest;
  const signer = new SignatureRecomputer(service, region, request.doubleEncodePath);
  const canonicalRequest = signer.canonicalRequest(httpRequest, signedHeaderBag(request.rawHeaders, signed), request.payloadHash);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = await signer.stringToSign(amzDate, scope, canonicalRequest);
  const signingKey = Buffer.from(await getSigningKey(NodeSha256, { accessKeyId, secretAccessKey: secret }, date, region, service));
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
