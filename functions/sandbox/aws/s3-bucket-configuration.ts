import type { EncryptionRule, LifecycleShape, PublicAccessBlock } from './s3-bucket.ts';
import { malformedXml, parseRequestXml, requireBucket, requireIntegrity } from './s3-call.ts';
import type { S3Call, S3Store } from './s3-call.ts';
import { replyXml, S3Error } from './s3-reply.ts';
import type { S3Reply } from './s3-reply.ts';
import { childrenNamed, childText } from './xml.ts';
import type { XmlElement, XmlNode } from './xml.ts';

// Bucket configuration sub-resources: ?encryption, ?publicAccessBlock, ?lifecycle, ?tagging, ?policy.
// Each Put replaces the whole configuration (S3 semantics); each Get of an unset one is S3's NoSuch… 404.
// Error codes: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

// --- encryption (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html)

const sseAlgorithms = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

export function putBucketEncryption(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const root = parseRequestXml(call, 'ServerSideEncryptionConfiguration');
  const rules = childrenNamed(root, 'Rule');
  const rule = rules[0];
  if (rules.length !== 1 || rule === undefined) throw malformedXml();
  const byDefault = childrenNamed(rule, 'ApplyServerSideEncryptionByDefault')[0];
  const algorithm = byDefault === undefined ? undefined : childText(byDefault, 'SSEAlgorithm');
  if (byDefault === undefined || algorithm === undefined || !sseAlgorithms.has(algorithm)) throw malformedXml();
  const keyId = childText(byDefault, 'KMSMasterKeyID');
  if (keyId !== undefined && algorithm === 'AES256') {
    throw new S3Error(400, 'InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', [['ArgumentName', 'ApplyServerSideEncryptionByDefault']]);
  }
  const next: EncryptionRule = { sseAlgorithm: algorithm, bucketKeyEnabled: childText(rule, 'BucketKeyEnabled') === 'true' };
  if (keyId !== undefined) next.kmsMasterKeyId = keyId;
  bucket.encryption = next;
  return { status: 200 };
}

export function getBucketEncryption(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const rule = bucket.encryption;
  if (rule === undefined) {
    throw new S3Error(404, 'ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', [['BucketName', bucket.name]]);
  }
  return replyXml('ServerSideEncryptionConfiguration', [
    [
      'Rule',
      [
        ['ApplyServerSideEncryptionByDefault', [['SSEAlgorithm', rule.sseAlgorithm], ['KMSMasterKeyID', rule.kmsMasterKeyId]]],
        ['BucketKeyEnabled', rule.bucketKeyEnabled],
      ],
    ],
  ]);
}

/** On AWS a bucket cannot be without encryption: deleting the configuration restores the SSE-S3 default. */
export function deleteBucketEncryption(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  bucket.encryption = store.newBucketDefaults === 'aws' ? { sseAlgorithm: 'AES256', bucketKeyEnabled: false } : undefined;
  return { status: 204 };
}

// --- public access block (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html)

const blockFlags: Array<[keyof PublicAccessBlock, string]> = [
  ['blockPublicAcls', 'BlockPublicAcls'],
  ['ignorePublicAcls', 'IgnorePublicAcls'],
  ['blockPublicPolicy', 'BlockPublicPolicy'],
  ['restrictPublicBuckets', 'RestrictPublicBuckets'],
];

export function putPublicAccessBlock(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const root = parseRequestXml(call, 'PublicAccessBlockConfiguration');
  const next: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
  for (const [field, element] of blockFlags) {
    const text = childText(root, element);
    if (text !== undefined && text !== 'true' && text !== 'false') throw malformedXml();
    next[field] = text === 'true';
  }
  bucket.publicAccessBlock = next;
  return { status: 200 };
}

export function getPublicAccessBlock(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const block = bucket.publicAccessBlock;
  if (block === undefined) {
    throw new S3Error(404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', [['BucketName', bucket.name]]);
  }
  return replyXml('PublicAccessBlockConfiguration', blockFlags.map(([field, element]): XmlNode => [element, block[field]]));
}

export function deletePublicAccessBlock(store: S3Store, call: S3Call): S3Reply {
  requireBucket(store, call).publicAccessBlock = undefined;
  return { status: 204 };
}

// --- lifecycle (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html)

const repeatedLifecycleElements = new Set(['Rule', 'Transition', 'NoncurrentVersionTransition', 'Tag']);
const numericLifecycleElements = new Set(['Days', 'DaysAfterInitiation', 'NoncurrentDays', 'NewerNoncurrentVersions', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);
const booleanLifecycleElements = new Set(['ExpiredObjectDeleteMarker']);
const lifecycleActions = ['Expiration', 'Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];

/** An XML element as the SDK-shaped value (repeated elements become arrays, counts numbers). */
function shapeOf(element: XmlElement): LifecycleShape {
  if (element.children.length === 0) {
    if (numericLifecycleElements.has(element.name)) {
      const n = Number(element.text);
      if (!Number.isInteger(n)) throw malformedXml();
      return n;
    }
    if (booleanLifecycleElements.has(element.name)) return element.text === 'true';
    return element.text;
  }
  const out: { [field: string]: LifecycleShape } = {};
  for (const child of element.children) {
    const value = shapeOf(child);
    if (repeatedLifecycleElements.has(child.name)) {
      const list = out[child.name];
      if (Array.isArray(list)) list.push(value);
      else out[child.name] = [value];
    } else {
      if (child.name in out) throw malformedXml();
      out[child.name] = value;
    }
  }
  return out;
}

/** The SDK-shaped value back as XML children. */
function nodesOf(shape: { [field: string]: LifecycleShape }): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const [name, value] of Object.entries(shape)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      nodes.push([name, typeof item === 'object' && !Array.isArray(item) ? nodesOf(item) : (item as string | number | boolean)]);
    }
  }
  return nodes;
}

function validateLifecycleRule(rule: { [field: string]: LifecycleShape }, ids: Set<string>): void {
  if (rule['Status'] !== 'Enabled' && rule['Status'] !== 'Disabled') throw malformedXml();
  if ('Filter' in rule && 'Prefix' in rule) throw malformedXml();
  const id = rule['ID'];
  if (typeof id === 'string') {
    if (id.length > 255) throw new S3Error(400, 'InvalidArgument', 'ID length should not exceed allowed limit of 255', [['ArgumentName', 'ID']]);
    if (ids.has(id)) throw new S3Error(400, 'InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule', [['ArgumentName', 'ID'], ['ArgumentValue', id]]);
    ids.add(id);
  }
  if (!lifecycleActions.some((a) => a in rule)) throw new S3Error(400, 'InvalidRequest', 'At least one action needs to be specified in a rule');
  const abort = rule['AbortIncompleteMultipartUpload'];
  if (abort !== undefined) {
    const days = typeof abort === 'object' && !Array.isArray(abort) ? abort['DaysAfterInitiation'] : undefined;
    if (typeof days !== 'number' || days < 1) {
      throw new S3Error(400, 'InvalidArgument', "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", [['ArgumentName', 'DaysAfterInitiation']]);
    }
    const filter = rule['Filter'];
    const tagged = typeof filter === 'object' && !Array.isArray(filter) && ('Tag' in filter || (typeof filter['And'] === 'object' && !Array.isArray(filter['And']) && 'Tag' in filter['And']));
    if (tagged) throw new S3Error(400, 'InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Tags.');
  }
}

export function putBucketLifecycleConfiguration(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  requireIntegrity(call);
  const root = parseRequestXml(call, 'LifecycleConfiguration');
  if (root.children.some((c) => c.name !== 'Rule')) throw malformedXml();
  const rules = root.children.map((r) => shapeOf(r));
  if (rules.length === 0) throw malformedXml();
  if (rules.length > 1000) throw new S3Error(400, 'InvalidRequest', 'The number of lifecycle rules must not exceed the allowed limit of 1000 rules');
  const ids = new Set<string>();
  for (const rule of rules) {
    if (typeof rule !== 'object' || Array.isArray(rule)) throw malformedXml();
    validateLifecycleRule(rule, ids);
  }
  bucket.lifecycle = rules;
  return { status: 200, headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' } };
}

export function getBucketLifecycleConfiguration(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  if (bucket.lifecycle === undefined) throw new S3Error(404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', [['BucketName', bucket.name]]);
  return replyXml(
    'LifecycleConfiguration',
    bucket.lifecycle.map((rule): XmlNode => ['Rule', typeof rule === 'object' && !Array.isArray(rule) ? nodesOf(rule) : []]),
    200,
    { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' },
  );
}

export function deleteBucketLifecycle(store: S3Store, call: S3Call): S3Reply {
  requireBucket(store, call).lifecycle = undefined;
  return { status: 204 };
}

// --- tagging (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html)

export function putBucketTagging(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const root = parseRequestXml(call, 'Tagging');
  const tagSet = childrenNamed(root, 'TagSet');
  if (tagSet.length !== 1 || tagSet[0] === undefined) throw malformedXml();
  const tags: Array<{ key: string; value: string }> = [];
  for (const tag of tagSet[0].children) {
    const key = childText(tag, 'Key');
    const value = childText(tag, 'Value');
    if (tag.name !== 'Tag' || key === undefined || value === undefined) throw malformedXml();
    if (key.length < 1 || key.length > 128) throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid', [['TagKey', key]]);
    if (value.length > 256) throw new S3Error(400, 'InvalidTag', 'The TagValue you have provided is invalid', [['TagKey', key], ['TagValue', value]]);
    if (key.toLowerCase().startsWith('aws:')) throw new S3Error(400, 'InvalidTag', 'System tags cannot be added/updated by requester');
    if (tags.some((t) => t.key === key)) throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key', [['TagKey', key]]);
    tags.push({ key, value });
  }
  if (tags.length > 50) throw new S3Error(400, 'BadRequest', 'Bucket tag count cannot be greater than 50');
  // PutBucketTagging replaces the whole set; an empty set leaves the bucket untagged.
  bucket.tags = tags.length === 0 ? undefined : tags;
  return { status: 204 };
}

export function getBucketTagging(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  if (bucket.tags === undefined) throw new S3Error(404, 'NoSuchTagSet', 'The TagSet does not exist', [['BucketName', bucket.name]]);
  return replyXml('Tagging', [['TagSet', bucket.tags.map((t): XmlNode => ['Tag', [['Key', t.key], ['Value', t.value]]])]]);
}

export function deleteBucketTagging(store: S3Store, call: S3Call): S3Reply {
  requireBucket(store, call).tags = undefined;
  return { status: 204 };
}

// --- policy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html)

/** An Allow statement to everyone without conditions: what Block Public Access calls public (simplified). */
function isPublicPolicy(document: { Statement?: unknown }): boolean {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.some((s: unknown) => {
    if (typeof s !== 'object' || s === null) return false;
    const st = s as { Effect?: unknown; Principal?: unknown; Condition?: unknown };
    if (st.Effect !== 'Allow' || st.Condition !== undefined) return false;
    const p = st.Principal;
    const aws = typeof p === 'object' && p !== null ? (p as { AWS?: unknown }).AWS : undefined;
    return p === '*' || aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  });
}

export function putBucketPolicy(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  const text = call.body.toString('utf8');
  if (text.length > 20 * 1024) throw new S3Error(400, 'PolicyTooLarge', 'Policy exceeds the maximum allowed document size.');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new S3Error(400, 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !text.trimStart().startsWith('{')) {
    throw new S3Error(400, 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  }
  if (!('Statement' in document)) throw new S3Error(400, 'MalformedPolicy', 'Missing required field Statement');
  // Block Public Access refuses a public policy (access-control-block-public-access.html).
  if (bucket.publicAccessBlock?.blockPublicPolicy === true && isPublicPolicy(document)) throw new S3Error(403, 'AccessDenied', 'Access Denied');
  bucket.policy = text;
  return { status: 204 };
}

export function getBucketPolicy(store: S3Store, call: S3Call): S3Reply {
  const bucket = requireBucket(store, call);
  if (bucket.policy === undefined) throw new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', [['BucketName', bucket.name]]);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: bucket.policy };
}

export function deleteBucketPolicy(store: S3Store, call: S3Call): S3Reply {
  requireBucket(store, call).policy = undefined;
  return { status: 204 };
}
