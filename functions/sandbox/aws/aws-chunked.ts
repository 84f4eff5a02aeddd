import { hmac, sha256Hex } from './sigv4-verify.ts';
import type { VerifiedSignature } from './sigv4-verify.ts';

// Decodes an `aws-chunked` request body (Content-Encoding: aws-chunked), the framing the SDK uses
// for streaming uploads: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` … `0…\r\n` then trailer
// lines (`x-amz-checksum-crc32:…`, `x-amz-trailer-signature:…`) and a blank line. Signed chunks are
// verified against the seed signature of the request.
// Source: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html

/** The decoded payload and the trailers the client sent after it. */
export interface DecodedChunkedBody {
  data: Buffer;
  trailers: Record<string, string>;
}

/** A framing or chunk-signature problem; the message is what S3 would say. */
export class ChunkedBodyError extends Error {
  override readonly name = 'ChunkedBodyError';
  constructor(
    readonly code: 'IncompleteBody' | 'SignatureDoesNotMatch' | 'InvalidRequest',
    message: string,
  ) {
    super(message);
  }
}

const emptyHash = sha256Hex('');

/** Decodes `body`; when `seed` is given every chunk (and the trailer, if signed) must carry a valid signature. */
export function decodeAwsChunked(body: Buffer, seed: VerifiedSignature | undefined): DecodedChunkedBody {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  let previous = seed?.signature ?? '';
  const readLine = (): string => {
    const end = body.indexOf('\r\n', pos, 'latin1');
    if (end < 0) throw new ChunkedBodyError('IncompleteBody', 'The request body terminated unexpectedly');
    const line = body.subarray(pos, end).toString('latin1');
    pos = end + 2;
    return line;
  };
  for (;;) {
    const header = readLine();
    const m = /^([0-9a-fA-F]+)(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(header);
    if (!m) throw new ChunkedBodyError('InvalidRequest', `aws-chunked: malformed chunk header "${header.slice(0, 80)}"`);
    const size = parseInt(m[1] ?? '0', 16);
    if (pos + size > body.length) throw new ChunkedBodyError('IncompleteBody', 'The request body terminated unexpectedly');
    const chunk = body.subarray(pos, pos + size);
    pos += size;
    if (seed) {
      const chunkSignature = m[2];
      if (chunkSignature === undefined) throw new ChunkedBodyError('SignatureDoesNotMatch', 'aws-chunked: a chunk lacks its chunk-signature');
      const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', seed.amzDate, seed.scope, previous, emptyHash, sha256Hex(chunk)].join('\n');
      if (hmac(seed.signingKey, stringToSign).toString('hex') !== chunkSignature) {
        throw new ChunkedBodyError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (chunk signature).');
      }
      previous = chunkSignature;
    }
    if (size === 0) break;
    parts.push(chunk);
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new ChunkedBodyError('IncompleteBody', 'aws-chunked: chunk data is not followed by CRLF');
    pos += 2;
  }
  let canonicalTrailers = '';
  for (;;) {
    if (pos >= body.length) break;
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon < 0) throw new ChunkedBodyError('InvalidRequest', 'aws-chunked: malformed trailer line');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (seed) {
        const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', seed.amzDate, seed.scope, previous, sha256Hex(canonicalTrailers)].join('\n');
        if (hmac(seed.signingKey, stringToSign).toString('hex') !== value) {
          throw new ChunkedBodyError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (trailer signature).');
        }
      }
      continue;
    }
    trailers[name] = value;
    canonicalTrailers += `${name}:${value}\n`;
  }
  return { data: Buffer.concat(parts), trailers };
}
