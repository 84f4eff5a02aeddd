import { describe, expect, it } from 'vitest';
import { ChunkedBodyError, decodeAwsChunked } from '../../../functions/sandbox/aws/aws-chunked.ts';
import { verifySigV4 } from '../../../functions/sandbox/aws/sigv4-verify.ts';

// The signed-chunk example AWS publishes (66560 bytes of 'a' in chunks of 64 KiB and 1 KiB), with
// its documented seed and chunk signatures.
// Source: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (Example: PUT Object)

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const chunkSignatures = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];

function exampleBody(signatures: string[]): Buffer {
  const a64k = Buffer.alloc(65536, 'a');
  const a1k = Buffer.alloc(1024, 'a');
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    a64k,
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    a1k,
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n\r\n`),
  ]);
}

async function seedSignature() {
  const check = await verifySigV4(
    {
      method: 'PUT',
      url: '/examplebucket/chunkObject.txt',
      rawHeaders: [
        'Host', 's3.amazonaws.com',
        'x-amz-date', '20130524T000000Z',
        'x-amz-storage-class', 'REDUCED_REDUNDANCY',
        'Authorization', 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
        'x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'Content-Encoding', 'aws-chunked',
        'x-amz-decoded-content-length', '66560',
        'Content-Length', '66824',
      ],
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      doubleEncodePath: false,
    },
    () => secret,
  );
  if (!check.ok) throw new Error(`seed signature refused: ${check.failure.kind}`);
  return check.value;
}

describe('decodeAwsChunked', () => {
  it("verifies AWS's example seed and chunk signatures and returns the payload", async () => {
    const body = exampleBody(chunkSignatures);
    expect(body.length).toBe(66824);
    const decoded = decodeAwsChunked(body, await seedSignature());
    expect(decoded.data.length).toBe(66560);
    expect(decoded.data.every((b) => b === 0x61)).toBe(true);
  });

  it('refuses the example with one chunk signature swapped', async () => {
    const swapped = [chunkSignatures[1] ?? '', chunkSignatures[0] ?? '', chunkSignatures[2] ?? ''];
    const seed = await seedSignature();
    expect(() => decodeAwsChunked(exampleBody(swapped), seed)).toThrow(ChunkedBodyError);
  });

  it('refuses the example with one payload byte changed', async () => {
    const body = exampleBody(chunkSignatures);
    body[200] = 0x62;
    const seed = await seedSignature();
    expect(() => decodeAwsChunked(body, seed)).toThrow(/chunk signature/);
  });

  it.each([
    { case: 'unsigned chunks with a checksum trailer', body: '5\r\nhello\r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:+esgrQ==\r\n\r\n', data: 'helloworld', trailers: { 'x-amz-checksum-crc32': '+esgrQ==' } },
    { case: 'an empty payload', body: '0\r\n\r\n', data: '', trailers: {} },
  ])('decodes $case', ({ body, data, trailers }) => {
    const decoded = decodeAwsChunked(Buffer.from(body, 'latin1'), undefined);
    expect(decoded.data.toString()).toBe(data);
    expect(decoded.trailers).toEqual(trailers);
  });

  it.each([
    { case: 'a truncated chunk', body: 'a\r\nhello', code: 'IncompleteBody' },
    { case: 'a non-hex size', body: 'zz\r\nhello\r\n0\r\n\r\n', code: 'InvalidRequest' },
    { case: 'missing CRLF after data', body: '5\r\nhelloX0\r\n\r\n', code: 'IncompleteBody' },
  ])('refuses $case with $code', ({ body, code }) => {
    try {
      decodeAwsChunked(Buffer.from(body, 'latin1'), undefined);
      expect.unreachable('decoded a broken body');
    } catch (error) {
      expect(error).toBeInstanceOf(ChunkedBodyError);
      expect((error as ChunkedBodyError).code).toBe(code);
    }
  });
});
