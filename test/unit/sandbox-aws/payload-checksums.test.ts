import { describe, expect, it } from 'vitest';
import { computeChecksum, verifyPayloadChecksums } from '../../../functions/sandbox/aws/payload-checksums.ts';
import type { ChecksumAlgorithm } from '../../../functions/sandbox/aws/payload-checksums.ts';

// Check values of "123456789" from the CRC catalogue (https://reveng.sourceforge.io/crc-catalogue/):
// CRC-32/ISO-HDLC cbf43926, CRC-32/ISCSI (CRC32C) e3069283, CRC-64/NVME ae8b14860a799888;
// SHA-1 and SHA-256 of the same string from FIPS 180 tooling (sha1sum/sha256sum).
const checkInput = Buffer.from('123456789');

describe('computeChecksum', () => {
  it.each<{ algorithm: ChecksumAlgorithm; hex: string }>([
    { algorithm: 'crc32', hex: 'cbf43926' },
    { algorithm: 'crc32c', hex: 'e3069283' },
    { algorithm: 'crc64nvme', hex: 'ae8b14860a799888' },
    { algorithm: 'sha1', hex: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441' },
    { algorithm: 'sha256', hex: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225' },
  ])('$algorithm of "123456789" is $hex', ({ algorithm, hex }) => {
    expect(Buffer.from(computeChecksum(algorithm, checkInput), 'base64').toString('hex')).toBe(hex);
  });
});

describe('verifyPayloadChecksums', () => {
  const body = Buffer.from('{"x":1}');
  it.each([
    // The SDK's own CRC32 header for this body, captured from a PutObject.
    { case: 'the CRC32 the SDK sent', values: { 'x-amz-checksum-crc32': 'O+tZXA==' }, result: 'ok' },
    { case: 'a wrong CRC32', values: { 'x-amz-checksum-crc32': 'AAAAAA==' }, result: 'BadDigest' },
    // MD5 from `printf '{"x":1}' | openssl md5 -binary | base64`.
    { case: 'a matching Content-MD5', values: { 'content-md5': 'rD70jKoI+j7V4CXaae3GRQ==' }, result: 'ok' },
    { case: 'a wrong Content-MD5', values: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, result: 'BadDigest' },
    { case: 'a Content-MD5 that is not 16 bytes', values: { 'content-md5': 'abcd' }, result: 'InvalidDigest' },
  ])('$case → $result', ({ values, result }) => {
    const out = verifyPayloadChecksums(body, values);
    expect(out.ok ? 'ok' : out.mismatch.code).toBe(result);
  });
});
