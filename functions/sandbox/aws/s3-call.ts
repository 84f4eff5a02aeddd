import type { IncomingHttpHeaders } from 'node:http';
import type { BucketState } from './s3-bucket.ts';
import { S3Error } from './s3-reply.ts';
import type { VerifiedSignature } from './sigv4-verify.ts';
import { parseXml, XmlSyntaxError } from './xml.ts';
import type { XmlElement } from './xml.ts';

// One authenticated S3 call as the operation handlers see it, the shared bucket store, and the
// checks every bucket-level operation makes before it acts (exists, right region, right owner).

/** What new buckets start with: real AWS (SSE-S3 default encryption and all four public-access
 *  blocks on, since 2023) or a bare S3-compatible store (nothing configured). */
export type NewBucketDefaults = 'aws' | 'none';

export interface S3Store {
  buckets: Map<string, BucketState>;
  newBucketDefaults: NewBucketDefaults;
}

export interface S3Call {
  /** The S3 API operation name (PutObject, GetBucketTagging, …). */
  operation: string;
  method: string;
  /** '' for service-level calls (ListBuckets). */
  bucketName: string;
  /** '' for bucket-level calls. */
  key: string;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** The decoded payload (aws-chunked framing removed). */
  body: Buffer;
  /** Content-MD5 and x-amz-checksum-* values from headers and trailers, already verified. */
  integrity: Record<string, string | undefined>;
  caller: VerifiedSignature;
  now: Date;
}

/** A header's single value. */
export function header(call: S3Call, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * The bucket a bucket- or object-level call addresses, after S3's checks: it exists (NoSuchBucket),
 * the request went to the bucket's region (the emulator is every regional endpoint at once, so the
 * signing region says which one the client meant), and the caller owns it (AccessDenied; each access
 * key stands for its own account here).
 */
export function requireBucket(store: S3Store, call: S3Call, options: { anyRegion?: boolean } = {}): BucketState {
  const bucket = store.buckets.get(call.bucketName);
  if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', call.bucketName]]);
  if (options.anyRegion !== true && call.caller.region !== bucket.region) {
    // A regional endpoint answers for another region's bucket with 301 PermanentRedirect and the
    // bucket's region in x-amz-bucket-region (bodiless on HEAD); the SDK's followRegionRedirects
    // acts on exactly that. https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    throw new S3Error(
      301,
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      [['Endpoint', `s3.${bucket.region}.amazonaws.com`], ['Bucket', bucket.name]],
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  if (bucket.owner !== call.caller.accessKeyId) {
    throw new S3Error(403, 'AccessDenied', 'Access Denied', [], { 'x-amz-bucket-region': bucket.region });
  }
  return bucket;
}

/** Parses a request document; S3 answers a broken one with MalformedXML. */
export function parseRequestXml(call: S3Call, expectedRoot: string): XmlElement {
  try {
    const root = parseXml(call.body.toString('utf8'));
    if (root.name !== expectedRoot) throw new XmlSyntaxError(`expected <${expectedRoot}>`);
    return root;
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', [], {});
    }
    throw error;
  }
}

/** MalformedXML for a document that parses but does not fit the schema. */
export function malformedXml(): S3Error {
  return new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

/** Operations S3 refuses without Content-MD5 or an x-amz-checksum-* header. */
export function requireIntegrity(call: S3Call): void {
  const present = Object.values(call.integrity).some((v) => v !== undefined);
  if (!present) {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    // ("Content-MD5 … is required for all requests to this operation", or a flexible checksum).
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
}
