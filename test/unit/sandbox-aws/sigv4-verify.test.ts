import { describe, expect, it } from 'vitest';
import { canonicalizeQuery, verifySigV4 } from '../../../functions/sandbox/aws/sigv4-verify.ts';
import type { SignedRequest } from '../../../functions/sandbox/aws/sigv4-verify.ts';

// Worked examples published by AWS, with their documented signatures: the emulator must accept
// them byte for byte and refuse any change.

const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const examples: Array<{ name: string; source: string; secret: string; request: SignedRequest }> = [
  {
    name: 'IAM ListUsers (JSON/query services sign the path URI-encoded twice)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html (example request)',
    secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    request: {
      method: 'GET',
      url: '/?Action=ListUsers&Version=2010-05-08',
      rawHeaders: [
        'Host', 'iam.amazonaws.com',
        'Content-Type', 'application/x-www-form-urlencoded; charset=utf-8',
        'X-Amz-Date', '20150830T123600Z',
        'Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      ],
      payloadHash: emptyHash,
      doubleEncodePath: true,
    },
  },
  {
    name: 'S3 GetObject with a Range header',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (Example: GET Object)',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    request: {
      method: 'GET',
      url: '/test.txt',
      rawHeaders: [
        'Host', 'examplebucket.s3.amazonaws.com',
        'Range', 'bytes=0-9',
        'x-amz-content-sha256', emptyHash,
        'x-amz-date', '20130524T000000Z',
        'Authorization', 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      ],
      payloadHash: emptyHash,
      doubleEncodePath: false,
    },
  },
];

describe('verifySigV4 on AWS worked examples', () => {
  it.each(examples)('accepts $name', async ({ secret, request }) => {
    const check = await verifySigV4(request, () => secret);
    expect(check.ok).toBe(true);
  });

  it.each(examples)('refuses $name once a signed header changes', async ({ secret, request }) => {
    const tampered = { ...request, rawHeaders: request.rawHeaders.map((v, i) => (i === 1 ? `${v}.evil` : v)) };
    const check = await verifySigV4(tampered, () => secret);
    expect(check.ok ? 'accepted' : check.failure.kind).toBe('mismatch');
  });

  it.each(examples)('refuses $name with another secret', async ({ request }) => {
    const check = await verifySigV4(request, () => 'another-secret');
    expect(check.ok ? 'accepted' : check.failure.kind).toBe('mismatch');
  });

  it.each(examples)('refuses $name for an access key it does not know', async ({ request }) => {
    const check = await verifySigV4(request, () => undefined);
    expect(check.ok ? 'accepted' : check.failure.kind).toBe('unknown-key');
  });
});

describe('verifySigV4 refusals before any HMAC', () => {
  const base = examples[1]?.request;
  if (!base) throw new Error('example missing');
  const withAuthorization = (value: string | undefined): SignedRequest => ({
    ...base,
    rawHeaders: base.rawHeaders.flatMap((v, i, all) => (i % 2 === 0 && v === 'Authorization' ? (value === undefined ? [] : [v, value]) : i % 2 === 1 && all[i - 1] === 'Authorization' ? [] : [v])),
  });
  it.each([
    { case: 'no Authorization header', auth: undefined, kind: 'missing' },
    { case: 'another scheme', auth: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=', kind: 'malformed' },
    { case: 'a credential without aws4_request', auth: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41', kind: 'malformed' },
    { case: 'a credential date other than x-amz-date', auth: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41', kind: 'malformed' },
    { case: 'host not signed', auth: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41', kind: 'malformed' },
  ])('$case → $kind', async ({ auth, kind }) => {
    const check = await verifySigV4(withAuthorization(auth), () => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(check.ok ? 'accepted' : check.failure.kind).toBe(kind);
  });
});

describe('canonicalizeQuery', () => {
  it.each([
    { raw: '', expected: '' },
    { raw: 'lifecycle', expected: 'lifecycle=' },
    { raw: 'prefix=a%2Fb&list-type=2&max-keys=2', expected: 'list-type=2&max-keys=2&prefix=a%2Fb' },
    { raw: 'prefix=a/b c', expected: 'prefix=a%2Fb%20c' },
    { raw: 'k=a+b', expected: 'k=a%2Bb' },
    { raw: "k=it's(*)!", expected: 'k=it%27s%28%2A%29%21' },
    { raw: 'b=2&a=2&a=1', expected: 'a=1&a=2&b=2' },
  ])('$raw → $expected', ({ raw, expected }) => {
    expect(canonicalizeQuery(raw)).toBe(expected);
  });
});
