import { describe, expect, it } from 'vitest';
import { createAwsEmulator } from '../../../functions/sandbox/aws/index.ts';

// The programmatic side the sandbox and its simulated operator use (no HTTP involved).
describe('createAwsEmulator programmatic API', () => {
  const make = () => createAwsEmulator({ accessKeyId: 'AKIAMAIN', secretAccessKey: 'main-secret', region: 'us-east-1' });

  it('createBucket makes a bucket owned by the main key, with the AWS defaults, and is idempotent', () => {
    const aws = make();
    expect(aws.bucketExists('acme-image-registry-eu-west-1')).toBe(false);
    aws.createBucket('acme-image-registry-eu-west-1', 'eu-west-1');
    aws.createBucket('acme-image-registry-eu-west-1', 'us-west-2');
    const snapshot = aws.bucket('acme-image-registry-eu-west-1');
    expect(snapshot).toMatchObject({
      name: 'acme-image-registry-eu-west-1',
      region: 'eu-west-1',
      owner: 'AKIAMAIN',
      tags: undefined,
      lifecycle: undefined,
      policy: undefined,
      encryption: { sseAlgorithm: 'AES256', bucketKeyEnabled: false },
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      objects: [],
    });
    expect(aws.bucket('absent')).toBeUndefined();
  });

  it('refuses a name S3 would refuse', () => {
    expect(() => make().createBucket('Not_Valid', 'us-east-1')).toThrow(/not a valid S3 bucket name/);
  });

  it('a snapshot is a copy: changing it does not change the bucket', () => {
    const aws = make();
    aws.createBucket('regops-copy', 'us-east-1');
    const first = aws.bucket('regops-copy');
    if (first?.publicAccessBlock) first.publicAccessBlock.blockPublicAcls = false;
    expect(aws.bucket('regops-copy')?.publicAccessBlock?.blockPublicAcls).toBe(true);
  });

  it('areValidKeys accepts exactly the configured and added pairs', () => {
    const aws = make();
    aws.addAccessKey('AKIACLUSTER', 'cluster-secret');
    expect([
      aws.areValidKeys('AKIAMAIN', 'main-secret'),
      aws.areValidKeys('AKIACLUSTER', 'cluster-secret'),
      aws.areValidKeys('AKIACLUSTER', 'main-secret'),
      aws.areValidKeys('AKIAOTHER', 'cluster-secret'),
    ]).toEqual([true, true, false, false]);
  });

  it('counts no requests until one is handled', () => {
    expect(make().requestCount()).toBe(0);
  });
});
