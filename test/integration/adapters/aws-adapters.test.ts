// The AWS adapters against the sandbox's AWS emulator (functions/sandbox/aws); the same suite runs
// against moto in aws-adapters.moto.ts (npm run test:moto).
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BucketStore } from '../../../functions/adapters/s3/s3-bucket-store.ts';
import { awsAdapterSuite } from './aws-adapters-suite.ts';
import { startEmulatorTarget, type AwsTarget } from './aws-targets.ts';

describe('AWS adapters against the sandbox AWS emulator', () => awsAdapterSuite(startEmulatorTarget));

// Not in the shared suite: moto serves every bucket at every regional endpoint (no 301
// PermanentRedirect, moto/s3/responses.py), while S3 answers a request to the wrong regional endpoint
// with 301 and the bucket's region in x-amz-bucket-region
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html); the emulator does.
describe('S3BucketStore against the sandbox AWS emulator: S3 regional endpoints', () => {
  let target: AwsTarget | undefined;
  beforeAll(async () => {
    target = await startEmulatorTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('names the region of a bucket a single client cannot reach (301) as storage.wrong-region', async () => {
    const config = { region: target?.region ?? '', endpoint: target?.endpoint ?? '', credentials: target?.credentials ?? { accessKeyId: '', secretAccessKey: '' }, forcePathStyle: true, maxAttempts: 1 };
    await new S3BucketStore(config).configure({ name: 'regops-far', region: 'sa-east-1' }, {}, true);
    const error = await new S3BucketStore(new S3Client(config)).configure({ name: 'regops-far', region: 'sa-east-1' }, { tags: { a: 'b' } }, false).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'storage.wrong-region', context: { bucket: 'regops-far', bucketRegion: 'sa-east-1' } });
  });
});
