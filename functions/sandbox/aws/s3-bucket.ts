import type { ChecksumAlgorithm } from './payload-checksums.ts';

// The in-memory state of one emulated S3 bucket, and the read-only snapshot tests assert on.

/** A lifecycle rule in the shape the SDK's LifecycleRule type has (PascalCase fields, numbers as numbers). */
export type LifecycleShape = string | number | boolean | LifecycleShape[] | { [field: string]: LifecycleShape };

export interface EncryptionRule {
  sseAlgorithm: string;
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface StoredObject {
  key: string;
  body: Buffer;
  /** Quoted, as S3 sends it: `"<md5 hex>"`. */
  etag: string;
  contentType: string;
  lastModified: Date;
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as given. */
  systemHeaders: Record<string, string>;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface BucketState {
  name: string;
  region: string;
  /** The access key id that created it: the emulator's stand-in for the owning account. */
  owner: string;
  createdAt: Date;
  tags: Array<{ key: string; value: string }> | undefined;
  encryption: EncryptionRule | undefined;
  publicAccessBlock: PublicAccessBlock | undefined;
  lifecycle: LifecycleShape[] | undefined;
  policy: string | undefined;
  objects: Map<string, StoredObject>;
}

/** A copy of one object for assertions. */
export interface ObjectSnapshot {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: string;
  metadata: Record<string, string>;
  body: Buffer;
}

/** A deep copy of a bucket's configuration and objects; `undefined` fields are "not configured" (S3's NoSuch… answers). */
export interface BucketSnapshot {
  name: string;
  region: string;
  owner: string;
  creationDate: string;
  tags: Record<string, string> | undefined;
  encryption: EncryptionRule | undefined;
  publicAccessBlock: PublicAccessBlock | undefined;
  /** Rules in the SDK's LifecycleRule shape, e.g. `{ID, Status, Filter: {Prefix: ''}, AbortIncompleteMultipartUpload: {DaysAfterInitiation: 1}}`. */
  lifecycle: LifecycleShape[] | undefined;
  /** The policy document, parsed. */
  policy: unknown;
  objects: ObjectSnapshot[];
}

/** Copies `bucket` so a test can hold it while the emulator keeps changing. */
export function snapshotBucket(bucket: BucketState): BucketSnapshot {
  return {
    name: bucket.name,
    region: bucket.region,
    owner: bucket.owner,
    creationDate: bucket.createdAt.toISOString(),
    tags: bucket.tags === undefined ? undefined : Object.fromEntries(bucket.tags.map((t) => [t.key, t.value])),
    encryption: bucket.encryption === undefined ? undefined : { ...bucket.encryption },
    publicAccessBlock: bucket.publicAccessBlock === undefined ? undefined : { ...bucket.publicAccessBlock },
    lifecycle: bucket.lifecycle === undefined ? undefined : (structuredClone(bucket.lifecycle) as LifecycleShape[]),
    policy: bucket.policy === undefined ? undefined : (JSON.parse(bucket.policy) as unknown),
    objects: [...bucket.objects.values()]
      .sort((a, b) => compareKeys(a.key, b.key))
      .map((o) => ({
        key: o.key,
        size: o.body.length,
        etag: o.etag,
        contentType: o.contentType,
        lastModified: o.lastModified.toISOString(),
        metadata: { ...o.metadata },
        body: Buffer.from(o.body),
      })),
  };
}

/** S3 lists keys in UTF-8 binary order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
