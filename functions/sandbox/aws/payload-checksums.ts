import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

// The integrity checks S3 runs on an upload: Content-MD5 and the flexible checksums
// x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256} (base64 of the big-endian digest).
// Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html

/** A checksum the client sent that does not match the payload. */
export interface ChecksumMismatch {
  code: 'BadDigest' | 'InvalidDigest';
  message: string;
}

export const checksumAlgorithms = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

const crc32cTable = buildCrc32cTable();
const crc64Table = buildCrc64NvmeTable();

function buildCrc32cTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function buildCrc64NvmeTable(): BigUint64Array {
  const poly = 0x9a6c9329ac4bc9b5n;
  const table = new BigUint64Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k += 1) c = c & 1n ? poly ^ (c >> 1n) : c >> 1n;
    table[n] = c;
  }
  return table;
}

function computeCrc32c(data: Buffer): Buffer {
  let c = 0xffffffff;
  for (const byte of data) c = (crc32cTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out;
}

function computeCrc64Nvme(data: Buffer): Buffer {
  let c = 0xffffffffffffffffn;
  for (const byte of data) c = (crc64Table[Number((c ^ BigInt(byte)) & 0xffn)] ?? 0n) ^ (c >> 8n);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(c ^ 0xffffffffffffffffn);
  return out;
}

/** The base64 checksum of `data` with `algorithm`. */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case 'crc32': {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc32(data) >>> 0);
      return out.toString('base64');
    }
    case 'crc32c':
      return computeCrc32c(data).toString('base64');
    case 'crc64nvme':
      return computeCrc64Nvme(data).toString('base64');
    case 'sha1':
      return createHash('sha1').update(data).digest('base64');
    case 'sha256':
      return createHash('sha256').update(data).digest('base64');
  }
}

/**
 * Checks every integrity value given (headers or aws-chunked trailers, lower-case names) against
 * `data`. Returns the verified flexible checksums (to store with an object) or the mismatch.
 */
export function verifyPayloadChecksums(
  data: Buffer,
  values: Record<string, string | undefined>,
): { ok: true; checksums: Partial<Record<ChecksumAlgorithm, string>> } | { ok: false; mismatch: ChecksumMismatch } {
  const md5 = values['content-md5'];
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16) return { ok: false, mismatch: { code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' } };
    if (createHash('md5').update(data).digest('base64') !== md5) {
      return { ok: false, mismatch: { code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' } };
    }
  }
  const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of checksumAlgorithms) {
    const given = values[`x-amz-checksum-${algorithm}`];
    if (given === undefined) continue;
    if (computeChecksum(algorithm, data) !== given) {
      return { ok: false, mismatch: { code: 'BadDigest', message: `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.` } };
    }
    checksums[algorithm] = given;
  }
  return { ok: true, checksums };
}

/** True when the request carries Content-MD5 or any x-amz-checksum-* value (or announces one as a trailer). */
export function hasIntegrityValue(values: Record<string, string | undefined>): boolean {
  if (values['content-md5'] !== undefined) return true;
  return checksumAlgorithms.some((a) => values[`x-amz-checksum-${a}`] !== undefined);
}
