import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeS3 } from './sdk-clients.ts';
import { primaryKeys, serveEmulator } from './serve-emulator.ts';
import type { ServedEmulator } from './serve-emulator.ts';

// The real @aws-sdk/client-s3 against the emulator: objects, conditional writes, listing.

let served: ServedEmulator;
let s3: S3Client;
const bucket = 'regops-reports';

beforeAll(async () => {
  served = await serveEmulator();
  s3 = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
});
afterAll(async () => {
  await served.stop();
});

describe('PutObject / GetObject / HeadObject / DeleteObject', () => {
  it('stores a string body with its content type and metadata; GetObject returns it with the same ETag', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'latest/drift report.json', Body: '{"a":1}', ContentType: 'application/json', Metadata: { generator: 'regops' } }));
    // S3's ETag of a single-part upload is the quoted MD5 of the body.
    expect(put.ETag).toBe(`"${createHash('md5').update('{"a":1}').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'latest/drift report.json' }));
    expect(await got.Body?.transformToString()).toBe('{"a":1}');
    expect(got.ContentType).toBe('application/json');
    expect(got.ETag).toBe(put.ETag);
    expect(got.Metadata).toEqual({ generator: 'regops' });
    expect(got.ServerSideEncryption).toBe('AES256');
    const snapshot = served.emulator.bucket(bucket)?.objects.find((o) => o.key === 'latest/drift report.json');
    expect(snapshot?.body.toString()).toBe('{"a":1}');
    expect(snapshot?.etag).toBe(put.ETag);
  });

  it.each(["a+b=c&d.json", 'unicode/é ü 日本.txt', "sub/dir/it's (1)*!~.txt", 'percent%20literal', 'trailing/'])('round-trips the key %s (signed path encoding)', async (key) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body?.transformToString()).toBe(key);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
    expect(listed.Contents?.[0]?.Key).toBe(key);
  });

  it('a streamed upload (aws-chunked with a CRC32 trailer) stores the decoded bytes', async () => {
    const parts = [Buffer.from('hello '), Buffer.from('streamed '), Buffer.from('world')];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'stream.txt', Body: Readable.from(parts), ContentLength: 20 }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.txt', ChecksumMode: 'ENABLED' }));
    expect(await got.Body?.transformToString()).toBe('hello streamed world');
    // S3 answers the CRC32 of the decoded body, big-endian, base64
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat(parts)));
    expect(got.ChecksumCRC32).toBe(crc.toString('base64'));
  });

  it('a checksum that does not match the body is BadDigest, and nothing is stored', async () => {
    const s3Bad = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    s3Bad.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amz-checksum-crc32'] = 'AAAAAA==';
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'wrongChecksum' },
    );
    expect(await failureOf(s3Bad.send(new PutObjectCommand({ Bucket: bucket, Key: 'corrupt.json', Body: '{"a":1}' })))).toMatchObject({ name: 'BadDigest', status: 400 });
    expect(served.emulator.bucket(bucket)?.objects.some((o) => o.key === 'corrupt.json')).toBe(false);
  });

  it('HeadObject returns the headers without a body; a missing key is NotFound', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream.txt' }));
    expect(head.ContentLength).toBe(20);
    expect(await failureOf(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'absent' })))).toMatchObject({ name: 'NotFound', status: 404 });
  });

  it.each([
    { case: 'missing key', call: () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent.json' })), name: 'NoSuchKey', status: 404 },
    { case: 'missing bucket', call: () => s3.send(new GetObjectCommand({ Bucket: 'regops-absent', Key: 'a' })), name: 'NoSuchBucket', status: 404 },
    { case: 'put into a missing bucket', call: () => s3.send(new PutObjectCommand({ Bucket: 'regops-absent', Key: 'a', Body: 'x' })), name: 'NoSuchBucket', status: 404 },
    { case: 'unsatisfiable range', call: () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.txt', Range: 'bytes=100-200' })), name: 'InvalidRange', status: 416 },
  ])('GetObject $case → $name', async ({ call, name, status }) => {
    expect(await failureOf(call())).toMatchObject({ name, status });
  });

  it('serves a byte range with 206', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.txt', Range: 'bytes=6-13' }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe('bytes 6-13/20');
    expect(await got.Body?.transformToString()).toBe('streamed');
  });

  it('GetObject with If-None-Match of the current ETag is 304 NotModified; If-Match of another is 412', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream.txt' }));
    expect(await failureOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.txt', IfNoneMatch: head.ETag })))).toMatchObject({ status: 304 });
    expect(await failureOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.txt', IfMatch: '"0000"' })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
  });

  it('DeleteObject answers 204 for present and absent keys', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone', Body: 'x' }));
    const first = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    const second = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    expect([first.$metadata.httpStatusCode, second.$metadata.httpStatusCode]).toEqual([204, 204]);
    expect(served.emulator.bucket(bucket)?.objects.some((o) => o.key === 'gone')).toBe(false);
  });

  it('DeleteObjects removes a batch', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'batch/1', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'batch/2', Body: '2' }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['batch/1', 'batch/2']);
    expect(served.emulator.bucket(bucket)?.objects.filter((o) => o.key.startsWith('batch/'))).toEqual([]);
  });
});

describe('conditional writes (If-None-Match: *)', () => {
  it('creates a key once; a second create is 412 PreconditionFailed and keeps the first body', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'history/once.json', Body: 'first', IfNoneMatch: '*' }));
    const failure = await failureOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'history/once.json', Body: 'second', IfNoneMatch: '*' })));
    expect(failure).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'history/once.json' }));
    expect(await got.Body?.transformToString()).toBe('first');
  });

  it('of 20 concurrent writers of one new key exactly one wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'history/race.json', Body: `writer-${i}`, IfNoneMatch: '*' }))),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.map((l) => (l.reason as { name: string }).name)).toEqual(Array.from({ length: 19 }, () => 'PreconditionFailed'));
    const body = served.emulator.bucket(bucket)?.objects.find((o) => o.key === 'history/race.json')?.body.toString();
    expect(body).toMatch(/^writer-\d+$/);
  });

  it('If-Match overwrites only the expected version', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas.json', Body: 'v1' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas.json', Body: 'v2', IfMatch: first.ETag }));
    expect(await failureOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas.json', Body: 'v3', IfMatch: first.ETag })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await failureOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas-absent.json', Body: 'v1', IfMatch: first.ETag })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
  });
});

describe('ListObjectsV2', () => {
  const listBucket = 'regops-listing';
  const keys = ['history/drift/2026/11/01/a.json', 'history/drift/2026/11/02/b.json', 'history/drift/2026/11/02/c.json', 'history/rollout/x.json', 'latest/drift.json', 'latest/index.html', 'z.txt'];
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: listBucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    for (const key of [...keys].reverse()) await s3.send(new PutObjectCommand({ Bucket: listBucket, Key: key, Body: key }));
  });

  it('lists in key order with sizes and ETags', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: listBucket }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(keys);
    expect(out.KeyCount).toBe(keys.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.Contents?.[0]?.Size).toBe(keys[0]?.length);
  });

  it.each([
    { case: 'a prefix', input: { Prefix: 'latest/' }, expected: ['latest/drift.json', 'latest/index.html'], prefixes: [] as string[] },
    { case: 'a delimiter', input: { Delimiter: '/' }, expected: ['z.txt'], prefixes: ['history/', 'latest/'] },
    { case: 'prefix and delimiter', input: { Prefix: 'history/', Delimiter: '/' }, expected: [], prefixes: ['history/drift/', 'history/rollout/'] },
    { case: 'start-after', input: { StartAfter: 'latest/drift.json' }, expected: ['latest/index.html', 'z.txt'], prefixes: [] },
  ])('filters by $case', async ({ input, expected, prefixes }) => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: listBucket, ...input }));
    expect((out.Contents ?? []).map((c) => c.Key)).toEqual(expected);
    expect((out.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(prefixes);
  });

  it('pages with max-keys and continuation tokens, visiting every key once', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: listBucket })) {
      pages += 1;
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
    }
    expect(seen).toEqual(keys);
    expect(pages).toBe(4);
  });

  it('pages through common prefixes without repeating them', async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket: listBucket, Delimiter: '/', MaxKeys: 1 }));
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['history/']);
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(new ListObjectsV2Command({ Bucket: listBucket, Delimiter: '/', MaxKeys: 1, ContinuationToken: first.NextContinuationToken }));
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['latest/']);
  });

  it('a token it did not issue is InvalidArgument', async () => {
    expect(await failureOf(s3.send(new ListObjectsV2Command({ Bucket: listBucket, ContinuationToken: 'not-a-token' })))).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });
});
