import { describe, expect, it } from 'vitest';
import { isValidBucketName } from '../../../functions/sandbox/aws/s3-bucket-operations.ts';
import { nameS3Operation } from '../../../functions/sandbox/aws/s3-handler.ts';

// Operation names follow the S3 API reference, so a 501 names exactly what is missing.
describe('nameS3Operation', () => {
  const q = (s: string): Map<string, string> => new Map(new URLSearchParams(s));
  it.each([
    { method: 'GET', bucket: '', key: '', query: '', op: 'ListBuckets' },
    { method: 'PUT', bucket: 'b', key: '', query: '', op: 'CreateBucket' },
    { method: 'HEAD', bucket: 'b', key: '', query: '', op: 'HeadBucket' },
    { method: 'GET', bucket: 'b', key: '', query: 'list-type=2&prefix=a', op: 'ListObjectsV2' },
    { method: 'GET', bucket: 'b', key: '', query: 'prefix=a', op: 'ListObjects' },
    { method: 'PUT', bucket: 'b', key: '', query: 'lifecycle=', op: 'PutBucketLifecycleConfiguration' },
    { method: 'DELETE', bucket: 'b', key: '', query: 'lifecycle=', op: 'DeleteBucketLifecycle' },
    { method: 'GET', bucket: 'b', key: '', query: 'publicAccessBlock=', op: 'GetPublicAccessBlock' },
    { method: 'GET', bucket: 'b', key: '', query: 'versioning=', op: 'GetBucketVersioning' },
    { method: 'GET', bucket: 'b', key: '', query: 'uploads=', op: 'ListMultipartUploads' },
    { method: 'POST', bucket: 'b', key: '', query: 'delete=', op: 'DeleteObjects' },
    { method: 'PUT', bucket: 'b', key: 'k', query: 'x-id=PutObject', op: 'PutObject' },
    { method: 'GET', bucket: 'b', key: 'k', query: 'tagging=', op: 'GetObjectTagging' },
    { method: 'POST', bucket: 'b', key: 'k', query: 'uploads=', op: 'CreateMultipartUpload' },
    { method: 'PUT', bucket: 'b', key: 'k', query: 'partNumber=1&uploadId=u', op: 'UploadPart' },
    { method: 'POST', bucket: 'b', key: 'k', query: 'uploadId=u', op: 'CompleteMultipartUpload' },
  ])('$method /$bucket/$key?$query → $op', ({ method, bucket, key, query, op }) => {
    expect(nameS3Operation(method, bucket, key, q(query))).toBe(op);
  });
});

// Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
describe('isValidBucketName', () => {
  it.each([
    { name: 'acme-prod-eu-1-image-registry-eu-west-1', valid: true },
    { name: 'a.b-c', valid: true },
    { name: 'ab', valid: false },
    { name: 'a'.repeat(64), valid: false },
    { name: 'Upper', valid: false },
    { name: 'under_score', valid: false },
    { name: '-leading', valid: false },
    { name: 'two..dots', valid: false },
    { name: '192.168.5.4', valid: false },
    { name: 'xn--punycode', valid: false },
    { name: 'bucket-s3alias', valid: false },
  ])('$name → $valid', ({ name, valid }) => {
    expect(isValidBucketName(name)).toBe(valid);
  });
});
