import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  GetBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import type { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeS3 } from './sdk-clients.ts';
import { primaryKeys, serveEmulator } from './serve-emulator.ts';
import type { ServedEmulator } from './serve-emulator.ts';

// The real @aws-sdk/client-s3 against the emulator: bucket life cycle and configuration.

let served: ServedEmulator;
let euWest: S3Client;
let usEast: S3Client;
let other: S3Client;
const otherKeys = { accessKeyId: 'AKIAOTHERACCOUNT0001', secretAccessKey: 'other-account-secret' };

beforeAll(async () => {
  served = await serveEmulator();
  served.emulator.addAccessKey(otherKeys.accessKeyId, otherKeys.secretAccessKey);
  euWest = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
  usEast = makeS3(served.endpoint, primaryKeys, 'us-east-1');
  other = makeS3(served.endpoint, otherKeys, 'eu-west-1');
});
afterAll(async () => {
  await served.stop();
});

describe('CreateBucket', () => {
  it('creates a bucket in the constraint region and HeadBucket names the region', async () => {
    await euWest.send(new CreateBucketCommand({ Bucket: 'regops-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const head = await euWest.send(new HeadBucketCommand({ Bucket: 'regops-eu' }));
    expect(head.BucketRegion).toBe('eu-west-1');
    expect(served.emulator.bucketExists('regops-eu')).toBe(true);
    expect(served.emulator.bucket('regops-eu')?.region).toBe('eu-west-1');
    expect(served.emulator.bucket('regops-eu')?.owner).toBe(primaryKeys.accessKeyId);
  });

  it('creates a us-east-1 bucket without a configuration, and GetBucketLocation reports it as empty', async () => {
    await usEast.send(new CreateBucketCommand({ Bucket: 'regops-use1' }));
    expect(served.emulator.bucket('regops-use1')?.region).toBe('us-east-1');
    const location = await euWest.send(new GetBucketLocationCommand({ Bucket: 'regops-use1' }));
    expect(location.LocationConstraint).toBeUndefined();
    const eu = await usEast.send(new GetBucketLocationCommand({ Bucket: 'regops-eu' }));
    expect(eu.LocationConstraint).toBe('eu-west-1');
  });

  it.each([
    { case: 'constraint for another region on a regional endpoint', client: () => euWest, bucket: 'regops-x1', constraint: 'us-west-2' as const, name: 'IllegalLocationConstraintException', status: 400 },
    { case: 'explicit us-east-1 constraint', client: () => usEast, bucket: 'regops-x3', constraint: 'us-east-1' as const, name: 'InvalidLocationConstraint', status: 400 },
    { case: 'invalid bucket name', client: () => euWest, bucket: 'Regops_Bad', constraint: 'eu-west-1' as const, name: 'InvalidBucketName', status: 400 },
    { case: 'bucket already owned (regional)', client: () => euWest, bucket: 'regops-eu', constraint: 'eu-west-1' as const, name: 'BucketAlreadyOwnedByYou', status: 409 },
    { case: "another account's bucket", client: () => other, bucket: 'regops-eu', constraint: 'eu-west-1' as const, name: 'BucketAlreadyExists', status: 409 },
  ])('refuses: $case', async ({ client, bucket, constraint, name, status }) => {
    // 'us-east-1' is not in the SDK's BucketLocationConstraint enum; S3 is sent it anyway.
    const input = { Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: constraint as BucketLocationConstraint } };
    const failure = await failureOf(client().send(new CreateBucketCommand(input)));
    expect(failure.name).toBe(name);
    expect(failure.status).toBe(status);
  });

  it('the SDK adds LocationConstraint=<client region> by itself when the input has none', async () => {
    await euWest.send(new CreateBucketCommand({ Bucket: 'regops-implicit' }));
    expect(served.emulator.bucket('regops-implicit')?.region).toBe('eu-west-1');
  });

  it('a CreateBucket without a body on a regional endpoint is IllegalLocationConstraintException', async () => {
    const raw = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    // Drop the body the SDK serialised (before signing), as another client would send it.
    raw.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers: Record<string, string> };
        request.body = undefined;
        delete request.headers['content-length'];
        delete request.headers['content-type'];
        return next(args);
      },
      { step: 'build', name: 'dropCreateBucketBody' },
    );
    const failure = await failureOf(raw.send(new CreateBucketCommand({ Bucket: 'regops-x2' })));
    expect(failure).toMatchObject({ name: 'IllegalLocationConstraintException', status: 400 });
    expect(failure.message).toContain('unspecified location constraint');
  });

  it('re-creating an owned us-east-1 bucket answers 200 (the legacy North Virginia behaviour)', async () => {
    const out = await usEast.send(new CreateBucketCommand({ Bucket: 'regops-use1' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('the global endpoint (us-east-1 signing) accepts any constraint', async () => {
    await usEast.send(new CreateBucketCommand({ Bucket: 'regops-global-ap', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    expect(served.emulator.bucket('regops-global-ap')?.region).toBe('ap-southeast-2');
  });
});

describe('HeadBucket errors', () => {
  // S3 answers HEAD without a body; this SDK names a bodiless 404 "NotFound" and anything else
  // "Unknown", so callers must look at $metadata.httpStatusCode (and x-amz-bucket-region).
  it.each([
    { case: 'missing bucket', client: () => euWest, bucket: 'regops-none', name: 'NotFound', status: 404 },
    { case: "another account's bucket", client: () => other, bucket: 'regops-eu', name: 'Unknown', status: 403 },
    { case: 'sent to another region', client: () => usEast, bucket: 'regops-eu', name: 'Unknown', status: 301 },
  ])('$case → $name', async ({ client, bucket, name, status }) => {
    const failure = await failureOf(client().send(new HeadBucketCommand({ Bucket: bucket })));
    expect(failure).toMatchObject({ name, status });
  });

  it('a call for a bucket of another region is a 301 PermanentRedirect', async () => {
    const failure = await failureOf(usEast.send(new GetBucketTaggingCommand({ Bucket: 'regops-eu' })));
    expect(failure).toMatchObject({ name: 'PermanentRedirect', status: 301 });
  });

  it("the SDK's followRegionRedirects re-signs for the bucket's region and succeeds", async () => {
    const redirecting = new S3Client({ endpoint: served.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: primaryKeys, maxAttempts: 1, followRegionRedirects: true });
    const head = await redirecting.send(new HeadBucketCommand({ Bucket: 'regops-eu' }));
    expect(head.BucketRegion).toBe('eu-west-1');
    await redirecting.send(new PutBucketTaggingCommand({ Bucket: 'regops-eu', Tagging: { TagSet: [{ Key: 'via', Value: 'redirect' }] } }));
    expect(served.emulator.bucket('regops-eu')?.tags).toEqual({ via: 'redirect' });
  });
});

describe('bucket configuration', () => {
  const bucket = 'regops-config';
  beforeAll(async () => {
    await euWest.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  });

  it('a new bucket has what AWS gives every bucket: SSE-S3 without bucket key, all public-access blocks on', async () => {
    const encryption = await euWest.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const block = await euWest.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  });

  it.each([
    { case: 'tagging', call: () => euWest.send(new GetBucketTaggingCommand({ Bucket: bucket })), name: 'NoSuchTagSet' },
    { case: 'lifecycle', call: () => euWest.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), name: 'NoSuchLifecycleConfiguration' },
    { case: 'policy', call: () => euWest.send(new GetBucketPolicyCommand({ Bucket: bucket })), name: 'NoSuchBucketPolicy' },
    { case: 'tagging of a missing bucket', call: () => euWest.send(new GetBucketTaggingCommand({ Bucket: 'regops-absent' })), name: 'NoSuchBucket' },
  ])('unset $case → 404 $name', async ({ call, name }) => {
    expect(await failureOf(call())).toMatchObject({ name, status: 404 });
  });

  it('PutBucketEncryption with SSE-KMS and a bucket key reads back', async () => {
    await euWest.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:000000000000:key/abc' }, BucketKeyEnabled: true }] },
      }),
    );
    const out = await euWest.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(out.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:000000000000:key/abc' }, BucketKeyEnabled: true },
    ]);
    expect(served.emulator.bucket(bucket)?.encryption).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:000000000000:key/abc', bucketKeyEnabled: true });
  });

  it('DeleteBucketEncryption restores the SSE-S3 default, as on AWS', async () => {
    await euWest.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    expect(served.emulator.bucket(bucket)?.encryption).toEqual({ sseAlgorithm: 'AES256', bucketKeyEnabled: false });
  });

  it('KMSMasterKeyID with AES256 is an InvalidArgument', async () => {
    const failure = await failureOf(
      euWest.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' } }] } })),
    );
    expect(failure).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('Put/Get/Delete PublicAccessBlock; a deleted one is NoSuchPublicAccessBlockConfiguration', async () => {
    await euWest.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false } }));
    expect(served.emulator.bucket(bucket)?.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false });
    await euWest.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect(await failureOf(euWest.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))).toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    await euWest.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    const out = await euWest.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(out.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  });

  it("the operator's lifecycle rule round-trips in the SDK's shape, and Put replaces all rules", async () => {
    const operatorRule = { ID: 'cleanup-incomplete-multipart-registry-uploads', Status: 'Enabled' as const, Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } };
    await euWest.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'old', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] },
      }),
    );
    await euWest.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [operatorRule] } }));
    const out = await euWest.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(out.Rules).toEqual([operatorRule]);
    expect(served.emulator.bucket(bucket)?.lifecycle).toEqual([operatorRule]);
  });

  it.each([
    { case: 'duplicate rule ids', rules: [{ ID: 'a', Status: 'Enabled' as const, Filter: { Prefix: '' }, Expiration: { Days: 1 } }, { ID: 'a', Status: 'Enabled' as const, Filter: { Prefix: 'x' }, Expiration: { Days: 1 } }], name: 'InvalidArgument' },
    { case: 'a rule without an action', rules: [{ ID: 'a', Status: 'Enabled' as const, Filter: { Prefix: '' } }], name: 'InvalidRequest' },
    { case: 'abort-multipart with a tag filter', rules: [{ ID: 'a', Status: 'Enabled' as const, Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }], name: 'InvalidRequest' },
    { case: 'zero days after initiation', rules: [{ ID: 'a', Status: 'Enabled' as const, Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 0 } }], name: 'InvalidArgument' },
  ])('lifecycle refuses $case', async ({ rules, name }) => {
    expect(await failureOf(euWest.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } })))).toMatchObject({ name, status: 400 });
  });

  it('PutBucketLifecycleConfiguration without Content-MD5 or a checksum is InvalidRequest', async () => {
    const bare = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    // Strip the integrity headers the SDK added, before it signs, as a client without them would send.
    bare.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        for (const name of Object.keys(headers)) if (/^(content-md5|x-amz-checksum-|x-amz-sdk-checksum-)/i.test(name)) delete headers[name];
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'stripIntegrity' },
    );
    const failure = await failureOf(
      bare.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] } })),
    );
    expect(failure).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(failure.message).toContain('Content-MD5');
  });

  it('DeleteBucketLifecycle removes the configuration', async () => {
    await euWest.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    expect(served.emulator.bucket(bucket)?.lifecycle).toBeUndefined();
  });

  it('PutBucketTagging replaces the whole set', async () => {
    await euWest.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'a' }, { Key: 'old', Value: 'x' }] } }));
    await euWest.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'cluster', Value: 'prod-eu-1' }, { Key: 'managed-by', Value: 'regops' }] } }));
    const out = await euWest.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(out.TagSet).toEqual([{ Key: 'cluster', Value: 'prod-eu-1' }, { Key: 'managed-by', Value: 'regops' }]);
    expect(served.emulator.bucket(bucket)?.tags).toEqual({ cluster: 'prod-eu-1', 'managed-by': 'regops' });
  });

  it.each([
    { case: 'duplicate keys', tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] },
    { case: 'a reserved aws: key', tags: [{ Key: 'aws:cloudformation:stack', Value: 'x' }] },
    { case: 'a key longer than 128', tags: [{ Key: 'k'.repeat(129), Value: 'x' }] },
  ])('tagging refuses $case with InvalidTag', async ({ tags }) => {
    expect(await failureOf(euWest.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } })))).toMatchObject({ name: 'InvalidTag', status: 400 });
  });

  it('DeleteBucketTagging leaves NoSuchTagSet', async () => {
    await euWest.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    expect(await failureOf(euWest.send(new GetBucketTaggingCommand({ Bucket: bucket })))).toMatchObject({ name: 'NoSuchTagSet' });
  });

  const denyInsecure = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::regops-config', 'arn:aws:s3:::regops-config/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  };

  it('PutBucketPolicy stores the JSON document and GetBucketPolicy returns it as given', async () => {
    const text = JSON.stringify(denyInsecure);
    await euWest.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
    const out = await euWest.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(out.Policy).toBe(text);
    expect(served.emulator.bucket(bucket)?.policy).toEqual(denyInsecure);
  });

  it.each([
    { case: 'not JSON', policy: 'deny everything', name: 'MalformedPolicy', status: 400 },
    { case: 'no Statement', policy: '{"Version":"2012-10-17"}', name: 'MalformedPolicy', status: 400 },
    { case: 'a public Allow while BlockPublicPolicy is on', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::regops-config/*' }] }), name: 'AccessDenied', status: 403 },
  ])('PutBucketPolicy refuses $case', async ({ policy, name, status }) => {
    expect(await failureOf(euWest.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })))).toMatchObject({ name, status });
  });

  it('DeleteBucketPolicy leaves NoSuchBucketPolicy', async () => {
    await euWest.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(await failureOf(euWest.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toMatchObject({ name: 'NoSuchBucketPolicy', status: 404 });
  });

  it("another account's calls on the bucket are AccessDenied", async () => {
    expect(await failureOf(other.send(new GetBucketEncryptionCommand({ Bucket: bucket })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('an operation the emulator lacks is a loud 501 naming it', async () => {
    const failure = await failureOf(euWest.send(new GetBucketVersioningCommand({ Bucket: bucket })));
    expect(failure).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(failure.message).toContain('GetBucketVersioning');
  });
});

describe('ListBuckets and DeleteBucket', () => {
  it("lists only the caller's buckets", async () => {
    await other.send(new CreateBucketCommand({ Bucket: 'other-account-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const mine = await euWest.send(new ListBucketsCommand({}));
    const names = (mine.Buckets ?? []).map((b) => b.Name);
    expect(names).toContain('regops-eu');
    expect(names).not.toContain('other-account-bucket');
  });

  it('refuses to delete a non-empty bucket, then deletes it once empty', async () => {
    await euWest.send(new CreateBucketCommand({ Bucket: 'regops-doomed', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await euWest.send(new PutObjectCommand({ Bucket: 'regops-doomed', Key: 'k', Body: 'x' }));
    expect(await failureOf(euWest.send(new DeleteBucketCommand({ Bucket: 'regops-doomed' })))).toMatchObject({ name: 'BucketNotEmpty', status: 409 });
    served.emulator.bucket('regops-doomed');
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await euWest.send(new DeleteObjectCommand({ Bucket: 'regops-doomed', Key: 'k' }));
    await euWest.send(new DeleteBucketCommand({ Bucket: 'regops-doomed' }));
    expect(served.emulator.bucketExists('regops-doomed')).toBe(false);
  });
});

describe("newBucketDefaults 'none' (an S3-compatible store)", () => {
  it('a new bucket has no encryption and no public-access block', async () => {
    const bare = await serveEmulator({ newBucketDefaults: 'none' });
    try {
      const s3 = makeS3(bare.endpoint, primaryKeys, 'eu-west-1');
      await s3.send(new CreateBucketCommand({ Bucket: 'bare-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      expect(await failureOf(s3.send(new GetBucketEncryptionCommand({ Bucket: 'bare-bucket' })))).toMatchObject({ name: 'ServerSideEncryptionConfigurationNotFoundError', status: 404 });
      expect(await failureOf(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bare-bucket' })))).toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    } finally {
      await bare.stop();
    }
  });
});
