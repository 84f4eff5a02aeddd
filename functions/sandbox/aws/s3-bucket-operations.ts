import type { BucketState } from './s3-bucket.ts';
import { header, parseRequestXml, requireBucket, malformedXml } from './s3-call.ts';
import type { NewBucketDefaults, S3Call, S3Store } from './s3-call.ts';
import { replyXml, S3Error } from './s3-reply.ts';
import type { S3Reply } from './s3-reply.ts';
import { childrenNamed, childText, renderXmlDocument } from './xml.ts';

// Bucket life-cycle operations: CreateBucket, HeadBucket, GetBucketLocation, DeleteBucket, ListBuckets.

/** S3's bucket naming rules. Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  return !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
}

/**
 * A new, empty bucket. With 'aws' defaults it has what AWS gives every new bucket: SSE-S3 default
 * encryption without a bucket key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html,
 * since January 2023) and all four Block Public Access settings on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html, since April 2023).
 */
export function createBucketState(name: string, region: string, owner: string, defaults: NewBucketDefaults, now: Date): BucketState {
  const aws = defaults === 'aws';
  return {
    name,
    region,
    owner,
    createdAt: now,
    tags: undefined,
    encryption: aws ? { sseAlgorithm: 'AES256', bucketKeyEnabled: false } : undefined,
    publicAccessBlock: aws ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } : undefined,
    lifecycle: undefined,
    policy: undefined,
    objects: new Map(),
  };
}

/** CreateBucket. Source: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html */
export function createBucket(store: S3Store, call: S3Call): S3Reply {
  const name = call.bucketName;
  if (!isValidBucketName(name)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', [['BucketName', name]]);
  let constraint = '';
  if (call.body.length > 0) {
    const root = parseRequestXml(call, 'CreateBucketConfiguration');
    if (childrenNamed(root, 'LocationConstraint').length > 1) throw malformedXml();
    constraint = childText(root, 'LocationConstraint') ?? '';
  }
  // "us-east-1" must be expressed by sending no constraint; "EU" is the legacy alias of eu-west-1.
  if (constraint === 'us-east-1') throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', [['LocationConstraint', constraint]]);
  const region = constraint === '' ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
  const signingRegion = call.caller.region;
  // A regional endpoint only creates buckets in its own region; us-east-1 (the global endpoint) takes any constraint.
  if (signingRegion !== 'us-east-1' && region !== signingRegion) {
    const named = constraint === '' ? 'unspecified' : constraint;
    throw new S3Error(400, 'IllegalLocationConstraintException', `The ${named} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  const existing = store.buckets.get(name);
  if (existing) {
    if (existing.owner !== call.caller.accessKeyId) {
      throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', [['BucketName', name]]);
    }
    // "For legacy compatibility, if you re-create an existing bucket that you already own in the
    // North Virginia Region, Amazon S3 returns 200 OK" (API_CreateBucket.html, Errors).
    if (existing.region === 'us-east-1' && region === 'us-east-1') return { status: 200, headers: { location: `/${name}` } };
    throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', [['BucketName', name]]);
  }
  store.buckets.set(name, createBucketState(name, region, call.caller.accessKeyId, store.newBucketDefaults, call.now));
  return { status: 200, headers: { location: `/${name}` } };
}

/** HeadBucket: 200 with x-amz-bucket-region, or a bodiless 404/403/400 (the SDK names them NotFound, Forbidden, BadRequest). */
export function headBucket(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
}

/** GetBucketLocation answers from any region; us-east-1 is an empty LocationConstraint. */
export function getBucketLocation(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call, { anyRegion: true });
  const xmlns = 'http://s3.amazonaws.com/doc/2006-03-01/';
  const body =
    bucket.region === 'us-east-1'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${xmlns}"/>`
      : renderXmlDocument('LocationConstraint', bucket.region, xmlns);
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

/** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise). */
export function deleteBucket(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  if (bucket.objects.size > 0) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', [['BucketName', bucket.name]]);
  store.buckets.delete(bucket.name);
  return { status: 204 };
}

/** ListBuckets: the caller's buckets, by name. */
export function listBuckets(store: S3Store, call: S3Call): S3Reply {
  const owned = [...store.buckets.values()].filter((b) => b.owner === call.caller.accessKeyId).sort((a, b) => (a.name < b.name ? -1 : 1));
  const prefix = header(call, 'x-amz-prefix') ?? call.query.get('prefix');
  return replyXml('ListAllMyBucketsResult', [
    ['Owner', [['ID', ownerId(call.caller.accessKeyId)], ['DisplayName', 'sandbox']]],
    [
      'Buckets',
      owned
        .filter((b) => prefix === undefined || b.name.startsWith(prefix))
        .map((b) => ['Bucket', [['Name', b.name], ['CreationDate', b.createdAt.toISOString()], ['BucketRegion', b.region]]]),
    ],
  ]);
}

/** A canonical-user-id-like hex string per access key. */
function ownerId(accessKeyId: string): string {
  return Buffer.from(accessKeyId.padEnd(32, '0').slice(0, 32)).toString('hex');
}
