import { createHash } from 'node:crypto';
import { compareKeys } from './s3-bucket.ts';
import type { BucketState, StoredObject } from './s3-bucket.ts';
import { header, malformedXml, parseRequestXml, requireBucket, requireIntegrity } from './s3-call.ts';
import type { S3Call, S3Store } from './s3-call.ts';
import { replyXml, S3Error } from './s3-reply.ts';
import type { S3Reply } from './s3-reply.ts';
import { encodeRfc3986 } from './sigv4-verify.ts';
import { childrenNamed, childText } from './xml.ts';
import type { XmlNode } from './xml.ts';

// Object operations: PutObject (with conditional writes), GetObject/HeadObject (conditional reads,
// single ranges, stored checksums), DeleteObject, DeleteObjects and ListObjectsV2.

const systemHeaderNames = ['cache-control', 'content-disposition', 'content-language', 'expires'];

function noSuchKey(call: S3Call): S3Error {
  return new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', call.key]]);
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [['Condition', condition]]);
}

/** ETag lists in If-Match / If-None-Match: `*`, or quoted (optionally weak) tags separated by commas. */
function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || `"${tag}"` === etag;
  });
}

function encryptionHeaders(bucket: BucketState): Record<string, string> {
  const rule = bucket.encryption;
  if (!rule) return {};
  const out: Record<string, string> = { 'x-amz-server-side-encryption': rule.sseAlgorithm };
  if (rule.kmsMasterKeyId !== undefined) out['x-amz-server-side-encryption-aws-kms-key-id'] = rule.kmsMasterKeyId;
  if (rule.sseAlgorithm !== 'AES256' && rule.bucketKeyEnabled) out['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
  return out;
}

/**
 * PutObject. Conditional writes: `If-None-Match: *` fails with 412 when the key exists, `If-Match`
 * with 412 on another ETag and 404 when the key is absent; the check and the write happen in one
 * step, so of two racing writers exactly one wins.
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export function putObject(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  if (Buffer.byteLength(call.key, 'utf8') > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', [['Key', call.key]]);
  if (header(call, 'x-amz-copy-source') !== undefined) throw new S3Error(501, 'NotImplemented', 'CopyObject is not implemented by the regops sandbox AWS emulator');
  const ifNoneMatch = header(call, 'if-none-match');
  const ifMatch = header(call, 'if-match');
  const existing = bucket.objects.get(call.key);
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', [['Header', 'If-None-Match']]);
    }
    if (existing) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(call);
    if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
  const metadata: Record<string, string> = {};
  const systemHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
    if (systemHeaderNames.includes(name)) systemHeaders[name] = value;
  }
  // aws-chunked is transport framing, not the object's encoding.
  const encoding = (header(call, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(',');
  if (encoding !== '') systemHeaders['content-encoding'] = encoding;
  const checksums = Object.fromEntries(
    Object.entries(call.integrity).filter((e): e is [string, string] => e[0].startsWith('x-amz-checksum-') && e[1] !== undefined).map(([n, v]) => [n.slice('x-amz-checksum-'.length), v]),
  );
  const stored: StoredObject = {
    key: call.key,
    body: Buffer.from(call.body),
    etag: `"${createHash('md5').update(call.body).digest('hex')}"`,
    contentType: header(call, 'content-type') ?? 'binary/octet-stream',
    // S3 keeps Last-Modified to the second.
    lastModified: new Date(Math.floor(call.now.getTime() / 1000) * 1000),
    metadata,
    systemHeaders,
    checksums,
  };
  bucket.objects.set(call.key, stored);
  const headers: Record<string, string> = { etag: stored.etag, ...encryptionHeaders(bucket) };
  for (const [algorithm, value] of Object.entries(checksums)) headers[`x-amz-checksum-${algorithm}`] = value;
  if (Object.keys(checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  return { status: 200, headers };
}

/** RFC 7232 evaluation order as S3 applies it; undefined = go on, else the reply/error. */
function evaluateReadConditions(call: S3Call, object: StoredObject): S3Reply | undefined {
  const ifMatch = header(call, 'if-match');
  const ifNoneMatch = header(call, 'if-none-match');
  const ifModifiedSince = header(call, 'if-modified-since');
  const ifUnmodifiedSince = header(call, 'if-unmodified-since');
  const modified = object.lastModified.getTime();
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > Date.parse(ifUnmodifiedSince)) throw preconditionFailed('If-Unmodified-Since');
  const notModified: S3Reply = { status: 304, headers: { etag: object.etag, 'last-modified': object.lastModified.toUTCString() } };
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, object.etag)) return notModified;
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= Date.parse(ifModifiedSince)) return notModified;
  return undefined;
}

function readObject(store: S3Store, call: S3Call, withBody: boolean): S3Reply {
  const bucket = requireBucket(store, call);
  const object = bucket.objects.get(call.key);
  if (!object) throw noSuchKey(call);
  const conditional = evaluateReadConditions(call, object);
  if (conditional) return conditional;
  const size = object.body.length;
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...object.systemHeaders,
    ...encryptionHeaders(bucket),
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  const range = header(call, 'range');
  const match = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (match && (match[1] !== '' || match[2] !== '')) {
    let start: number;
    let end: number;
    if (match[1] === '') {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size || start > end) {
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', [['RangeRequested', range ?? ''], ['ActualObjectSize', String(size)]]);
    }
    const slice = object.body.subarray(start, end + 1);
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
    headers['content-length'] = String(slice.length);
    return { status: 206, headers, body: withBody ? slice : Buffer.alloc(0) };
  }
  // Stored checksums come back only when asked for (x-amz-checksum-mode: ENABLED) and for the whole object.
  if (header(call, 'x-amz-checksum-mode') === 'ENABLED' && Object.keys(object.checksums).length > 0) {
    for (const [algorithm, value] of Object.entries(object.checksums)) headers[`x-amz-checksum-${algorithm}`] = value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  headers['content-length'] = String(size);
  return { status: 200, headers, body: withBody ? object.body : Buffer.alloc(0) };
}

export function getObject(store: S3Store, call: S3Call): S3Reply {
  return readObject(store, call, true);
}

/** HeadObject: GetObject's headers; errors without a body (the SDK names a 404 NotFound). */
export function headObject(store: S3Store, call: S3Call): S3Reply {
  return readObject(store, call, false);
}

/** DeleteObject: 204 whether or not the key existed. */
export function deleteObject(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const ifMatch = header(call, 'if-match');
  const existing = bucket.objects.get(call.key);
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(call);
    if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
  bucket.objects.delete(call.key);
  return { status: 204 };
}

/** DeleteObjects (POST ?delete): up to 1000 keys, Content-MD5 or a checksum required. */
export function deleteObjects(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  requireIntegrity(call);
  const root = parseRequestXml(call, 'Delete');
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const deleted: XmlNode[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    if (key === undefined) throw malformedXml();
    bucket.objects.delete(key);
    if (!quiet) deleted.push(['Deleted', [['Key', key]]]);
  }
  return replyXml('DeleteResult', deleted);
}

interface ListMarker {
  /** The last key or common prefix returned. */
  after: string;
  /** True when `after` is a common prefix: every key under it was rolled up and is skipped too. */
  rolledUp: boolean;
}

function encodeToken(marker: ListMarker): string {
  return Buffer.from(JSON.stringify(marker), 'utf8').toString('base64');
}

function decodeToken(token: string): ListMarker {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as ListMarker).after === 'string' && typeof (parsed as ListMarker).rolledUp === 'boolean') {
      return parsed as ListMarker;
    }
  } catch {
    // fall through to S3's answer for a token it did not issue
  }
  throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', [['ArgumentName', 'continuation-token']]);
}

/** ListObjectsV2. Source: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
export function listObjectsV2(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const startAfter = call.query.get('start-after');
  const token = call.query.get('continuation-token');
  const encodingType = call.query.get('encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') {
    throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', [['ArgumentName', 'encoding-type']]);
  }
  const maxKeysText = call.query.get('max-keys') ?? '1000';
  if (!/^\d+$/.test(maxKeysText)) throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', [['ArgumentName', 'max-keys'], ['ArgumentValue', maxKeysText]]);
  const maxKeys = Math.min(Number(maxKeysText), 1000);
  const marker: ListMarker | undefined = token !== undefined ? decodeToken(token) : startAfter !== undefined ? { after: startAfter, rolledUp: false } : undefined;
  const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
  const contents: StoredObject[] = [];
  const prefixes: string[] = [];
  let last: ListMarker | undefined;
  let truncated = false;
  for (const key of keys) {
    if (marker && (compareKeys(key, marker.after) <= 0 || (marker.rolledUp && key.startsWith(marker.after)))) continue;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    const commonPrefix = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
    if (commonPrefix !== undefined && prefixes[prefixes.length - 1] === commonPrefix) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      prefixes.push(commonPrefix);
      last = { after: commonPrefix, rolledUp: true };
    } else {
      const object = bucket.objects.get(key);
      if (object) contents.push(object);
      last = { after: key, rolledUp: false };
    }
  }
  const encode = (s: string): string => (encodingType === 'url' ? encodeRfc3986(s).replace(/%2F/g, '/') : s);
  const children: XmlNode[] = [
    ['Name', bucket.name],
    ['Prefix', encode(prefix)],
    ['NextContinuationToken', truncated && last ? encodeToken(last) : undefined],
    ['KeyCount', contents.length + prefixes.length],
    ['MaxKeys', maxKeys],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['IsTruncated', truncated],
    ...contents.map((o): XmlNode => [
      'Contents',
      [
        ['Key', encode(o.key)],
        ['LastModified', o.lastModified.toISOString()],
        ['ETag', o.etag],
        ['ChecksumAlgorithm', Object.keys(o.checksums)[0]?.toUpperCase()],
        ['ChecksumType', Object.keys(o.checksums).length > 0 ? 'FULL_OBJECT' : undefined],
        ['Size', o.body.length],
        ['StorageClass', 'STANDARD'],
      ],
    ]),
    ...prefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', encode(p)]]]),
    ['EncodingType', encodingType],
    ['ContinuationToken', token],
    ['StartAfter', startAfter === undefined ? undefined : encode(startAfter)],
  ];
  return replyXml('ListBucketResult', children);
}
