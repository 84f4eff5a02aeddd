import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChunkedBodyError, decodeAwsChunked } from './aws-chunked.ts';
import { hasIntegrityValue, verifyPayloadChecksums } from './payload-checksums.ts';
import * as config from './s3-bucket-configuration.ts';
import * as buckets from './s3-bucket-operations.ts';
import type { S3Call, S3Store } from './s3-call.ts';
import * as objects from './s3-object-operations.ts';
import { S3Error, sendS3Reply } from './s3-reply.ts';
import type { S3Reply } from './s3-reply.ts';
import { sha256Hex } from './sigv4-verify.ts';
import type { VerifiedSignature } from './sigv4-verify.ts';

// Routes an authenticated path-style S3 request (`/<bucket>/<key>?<subresource>`) to its operation,
// after checking the payload the way S3 does: x-amz-content-sha256, aws-chunked framing and chunk
// signatures, x-amz-decoded-content-length, Content-MD5 and flexible checksums.
// Anything not listed in `operations` is a loud 501 NotImplemented naming the operation.

type Operation = (store: S3Store, call: S3Call) => S3Reply;

const operations: Record<string, Operation> = {
  ListBuckets: buckets.listBuckets,
  CreateBucket: buckets.createBucket,
  HeadBucket: buckets.headBucket,
  DeleteBucket: buckets.deleteBucket,
  GetBucketLocation: buckets.getBucketLocation,
  GetBucketEncryption: config.getBucketEncryption,
  PutBucketEncryption: config.putBucketEncryption,
  DeleteBucketEncryption: config.deleteBucketEncryption,
  GetPublicAccessBlock: config.getPublicAccessBlock,
  PutPublicAccessBlock: config.putPublicAccessBlock,
  DeletePublicAccessBlock: config.deletePublicAccessBlock,
  GetBucketLifecycleConfiguration: config.getBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration: config.putBucketLifecycleConfiguration,
  DeleteBucketLifecycle: config.deleteBucketLifecycle,
  GetBucketTagging: config.getBucketTagging,
  PutBucketTagging: config.putBucketTagging,
  DeleteBucketTagging: config.deleteBucketTagging,
  GetBucketPolicy: config.getBucketPolicy,
  PutBucketPolicy: config.putBucketPolicy,
  DeleteBucketPolicy: config.deleteBucketPolicy,
  ListObjectsV2: objects.listObjectsV2,
  DeleteObjects: objects.deleteObjects,
  PutObject: objects.putObject,
  GetObject: objects.getObject,
  HeadObject: objects.headObject,
  DeleteObject: objects.deleteObject,
};

// Sub-resource query names → the operation-name fragment S3's API reference uses.
const bucketSubresources: Record<string, string> = {
  accelerate: 'BucketAccelerateConfiguration',
  acl: 'BucketAcl',
  analytics: 'BucketAnalyticsConfiguration',
  cors: 'BucketCors',
  encryption: 'BucketEncryption',
  'intelligent-tiering': 'BucketIntelligentTieringConfiguration',
  inventory: 'BucketInventoryConfiguration',
  lifecycle: 'BucketLifecycleConfiguration',
  location: 'BucketLocation',
  logging: 'BucketLogging',
  metrics: 'BucketMetricsConfiguration',
  notification: 'BucketNotificationConfiguration',
  'object-lock': 'ObjectLockConfiguration',
  ownershipControls: 'BucketOwnershipControls',
  policy: 'BucketPolicy',
  policyStatus: 'BucketPolicyStatus',
  publicAccessBlock: 'PublicAccessBlock',
  replication: 'BucketReplication',
  requestPayment: 'BucketRequestPayment',
  tagging: 'BucketTagging',
  versioning: 'BucketVersioning',
  website: 'BucketWebsite',
  uploads: 'MultipartUploads',
  versions: 'ObjectVersions',
};
const objectSubresources: Record<string, string> = {
  acl: 'ObjectAcl',
  tagging: 'ObjectTagging',
  retention: 'ObjectRetention',
  'legal-hold': 'ObjectLegalHold',
  attributes: 'ObjectAttributes',
  torrent: 'ObjectTorrent',
  restore: 'RestoreObject',
  select: 'SelectObjectContent',
  uploads: 'CreateMultipartUpload',
  uploadId: 'MultipartUpload',
};
const verbs: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Head', POST: 'Post' };

/** The S3 API operation a request stands for (best effort for the unimplemented ones, to name them). */
export function nameS3Operation(method: string, bucket: string, key: string, query: Map<string, string>): string {
  const verb = verbs[method] ?? method;
  if (bucket === '') return method === 'GET' ? 'ListBuckets' : `${verb}Service`;
  if (key === '') {
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    const sub = [...query.keys()].find((k) => k in bucketSubresources);
    if (sub !== undefined) {
      const fragment = bucketSubresources[sub] ?? sub;
      if (sub === 'lifecycle' && method === 'DELETE') return 'DeleteBucketLifecycle';
      if (sub === 'uploads' || sub === 'versions') return `List${fragment}`;
      return `${verb}${fragment}`;
    }
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return { PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket' }[method] ?? `${verb}Bucket`;
  }
  const xId = query.get('x-id');
  if (query.has('uploadId')) {
    if (method === 'PUT') return 'UploadPart';
    return { POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' }[method] ?? 'MultipartUpload';
  }
  const sub = [...query.keys()].find((k) => k in objectSubresources);
  if (sub !== undefined) {
    const fragment = objectSubresources[sub] ?? sub;
    return sub === 'restore' || sub === 'select' || sub === 'uploads' ? fragment : `${verb}${fragment}`;
  }
  if (xId !== undefined) return xId;
  return { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ?? `${verb}Object`;
}

function decodeKeyPath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** Decodes the request body as S3 receives it and verifies every integrity value on it. */
function readPayload(req: IncomingMessage, body: Buffer, caller: VerifiedSignature): { data: Buffer; integrity: Record<string, string | undefined> } {
  const contentSha = String(req.headers['x-amz-content-sha256'] ?? '');
  let data = body;
  const integrity: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if ((name === 'content-md5' || name.startsWith('x-amz-checksum-')) && typeof value === 'string' && name !== 'x-amz-checksum-mode' && name !== 'x-amz-checksum-type') integrity[name] = value;
  }
  if (contentSha.startsWith('STREAMING-')) {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
    const signedChunks = contentSha.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    if (!signedChunks && contentSha !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
      throw new S3Error(400, 'InvalidArgument', `x-amz-content-sha256 ${contentSha} is not supported`, [['ArgumentName', 'x-amz-content-sha256']]);
    }
    try {
      const decoded = decodeAwsChunked(body, signedChunks ? caller : undefined);
      data = decoded.data;
      Object.assign(integrity, Object.fromEntries(Object.entries(decoded.trailers).filter(([n]) => n.startsWith('x-amz-checksum-'))));
    } catch (error) {
      if (error instanceof ChunkedBodyError) throw new S3Error(error.code === 'SignatureDoesNotMatch' ? 403 : 400, error.code, error.message);
      throw error;
    }
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== data.length) {
      throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    }
    const announced = String(req.headers['x-amz-trailer'] ?? '').trim().toLowerCase();
    if (announced.startsWith('x-amz-checksum-') && integrity[announced] === undefined) {
      throw new S3Error(400, 'InvalidRequest', `The trailer ${announced} was announced but not sent`);
    }
  } else if (contentSha !== 'UNSIGNED-PAYLOAD') {
    if (!/^[0-9a-f]{64}$/.test(contentSha)) {
      throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a valid sha256 value.', [['ArgumentName', 'x-amz-content-sha256']]);
    }
    if (sha256Hex(body) !== contentSha) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", [
        ['ClientComputedContentSHA256', contentSha],
        ['S3ComputedContentSHA256', sha256Hex(body)],
      ]);
    }
  }
  if (hasIntegrityValue(integrity)) {
    const checked = verifyPayloadChecksums(data, integrity);
    if (!checked.ok) throw new S3Error(400, checked.mismatch.code, checked.mismatch.message);
  }
  return { data, integrity };
}

/** Answers one S3 request whose signature has already been verified. */
export function handleS3Request(
  store: S3Store,
  request: { req: IncomingMessage; res: ServerResponse; path: string; body: Buffer; caller: VerifiedSignature; requestId: string; now: Date },
): void {
  const { req, res, caller, requestId } = request;
  const method = req.method ?? 'GET';
  let reply: S3Reply | S3Error;
  try {
    const q = request.path.indexOf('?');
    const rawPath = q < 0 ? request.path : request.path.slice(0, q);
    const urlQuery = (req.url ?? '').indexOf('?');
    const rawQuery = urlQuery < 0 ? '' : (req.url ?? '').slice(urlQuery + 1);
    const query = new Map<string, string>();
    for (const part of rawQuery.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      query.set(decodeKeyPath(eq < 0 ? part : part.slice(0, eq)), decodeKeyPath(eq < 0 ? '' : part.slice(eq + 1)));
    }
    const trimmed = rawPath.replace(/^\/+/, '');
    const slash = trimmed.indexOf('/');
    const bucketName = decodeKeyPath(slash < 0 ? trimmed : trimmed.slice(0, slash));
    const key = slash < 0 ? '' : decodeKeyPath(trimmed.slice(slash + 1));
    const operation = nameS3Operation(method, bucketName, key, query);
    const handler = operations[operation];
    if (!handler) {
      throw new S3Error(501, 'NotImplemented', `${operation} is not implemented by the regops sandbox AWS emulator`, [['Operation', operation]]);
    }
    const payload = readPayload(req, request.body, caller);
    reply = handler(store, {
      operation,
      method,
      bucketName,
      key,
      query,
      headers: req.headers,
      body: payload.data,
      integrity: payload.integrity,
      caller,
      now: request.now,
    });
  } catch (error) {
    if (!(error instanceof S3Error)) throw error;
    reply = error;
  }
  sendS3Reply(res, method, requestId, reply);
}
