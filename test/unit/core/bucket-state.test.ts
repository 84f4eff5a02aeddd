import { describe, expect, it } from 'vitest';
import { buildBucketSettings, buildBucketState } from '../../../functions/core/bucket-state.ts';
import type { DesiredBucket } from '../../../functions/core/model.ts';

const origin = { file: 'clusters/bm-1/storage.yaml', line: 3, col: 1 };

describe('buildBucketState', () => {
  const cases: Array<{ name: string; bucket: DesiredBucket; encryption: object }> = [
    { name: 'SSE-S3 → AES256 with a bucket key', bucket: { name: 'b', region: 'us-east-1', encryption: { type: 'SSE-S3' }, tags: {}, origin }, encryption: { algorithm: 'AES256', bucketKeyEnabled: true } },
    { name: 'SSE-KMS → aws:kms with the key id', bucket: { name: 'b', region: 'us-east-1', encryption: { type: 'SSE-KMS', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k' }, tags: {}, origin }, encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k', bucketKeyEnabled: true } },
  ];
  it.each(cases)('$name', ({ bucket, encryption }) => {
    expect(buildBucketState({ ...bucket, tags: { 'regops.io/cluster': 'bm-1' } })).toEqual({
      region: 'us-east-1',
      encryption,
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      lifecycle: { abortIncompleteMultipartUploadDays: 1 },
      tags: { 'regops.io/cluster': 'bm-1' },
      policy: { denyInsecureTransport: true },
    });
  });
});

describe('buildBucketSettings', () => {
  const desired = buildBucketState({ name: 'b', region: 'us-east-1', encryption: { type: 'SSE-S3' }, tags: { a: '1' }, origin });
  it('a new bucket gets every setting', () => {
    expect(buildBucketSettings(desired, undefined, [])).toEqual(desired);
  });
  it('an existing bucket gets only the sections that changed, tags merged over live', () => {
    const live = { ...desired, tags: { other: 'x' }, publicAccessBlock: { blockPublicAcls: false } };
    const changes = [
      { path: 'publicAccessBlock.blockPublicAcls', op: 'change' as const, before: false, after: true },
      { path: 'publicAccessBlock.ignorePublicAcls', op: 'add' as const, after: true },
      { path: 'tags.a', op: 'add' as const, after: '1' },
    ];
    expect(buildBucketSettings(desired, live, changes)).toEqual({ publicAccessBlock: desired['publicAccessBlock'], tags: { other: 'x', a: '1' } });
  });
});
