/**
 * BucketStore over @aws-sdk/client-s3: reads a bucket's settings into the JSON document of
 * core/bucket-state.ts and writes the sections it is given. Never deletes a bucket.
 * Region, endpoint, path style, credentials and the TLS agent come from the entry point, either as an
 * S3ClientConfig (then one client per bucket region/endpoint is built and kept) or as one S3Client
 * (then buckets outside its region need `followRegionRedirects: true` on it: S3 answers 301 otherwise).
 */
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import type { BucketLocationConstraint, LifecycleRule, S3ClientConfig, ServerSideEncryption } from '@aws-sdk/client-s3';
import { BUCKET_LIFECYCLE_RULE_ID } from '../../core/bucket-state.ts';
import type { JsonObject } from '../../core/model.ts';
import type { BucketLocation, BucketStore } from '../../engine/ports.ts';
import { StorageError } from '../errors.ts';
import { buildDenyInsecureTransport, deniesInsecureTransport, DENY_INSECURE_TRANSPORT_SID, listStatements } from './bucket-policy.ts';
import type { PolicyDocument } from './bucket-policy.ts';
import { readHttpStatus, readS3ErrorCode, toStorageError } from './to-storage-error.ts';
import { isJsonObject } from '../../core/is-json-object.ts';

export interface S3BucketStoreOptions {
  /** The client for a bucket's region/endpoint; default: the store's one client for every bucket. */
  clientFor?: (location: BucketLocation) => S3Client;
}

// S3 answers these codes when a bucket simply has no such setting (documented per Get* call)
const NOT_CONFIGURED = new Set([
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchLifecycleConfiguration',
  'NoSuchTagSet',
  'NoSuchBucketPolicy',
]);

/** GetBucketLocation's LocationConstraint → region: empty means us-east-1, `EU` is the old eu-west-1. */
function regionOf(constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

function requireBoolean(section: JsonObject, key: string, bucket: string): boolean {
  const value = section[key];
  if (typeof value !== 'boolean') throw new StorageError('storage.invalid-settings', `bucket ${bucket}: settings ${key} must be a boolean`, { bucket, key });
  return value;
}

export class S3BucketStore implements BucketStore {
  private readonly clients = new Map<string, S3Client>();

  constructor(
    private readonly client: S3Client | S3ClientConfig,
    private readonly options: S3BucketStoreOptions = {},
  ) {}

  async inspect(location: BucketLocation): Promise<JsonObject | undefined> {
    const client = this.clientOf(location);
    const bucket = location.name;
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const code = readS3ErrorCode(error);
      if (code === 'NotFound' || code === 'NoSuchBucket' || (readHttpStatus(error) === 404 && code !== 'PermanentRedirect')) return undefined;
      throw toStorageError(error, `bucket ${bucket}`, 'HeadBucket', { bucket });
    }
    const state: JsonObject = {};
    const [location_, encryption, publicAccessBlock, lifecycle, tags, policy] = await Promise.all([
      this.read(bucket, 'GetBucketLocation', () => client.send(new GetBucketLocationCommand({ Bucket: bucket }))),
      this.read(bucket, 'GetBucketEncryption', () => client.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
      this.read(bucket, 'GetPublicAccessBlock', () => client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
      this.read(bucket, 'GetBucketLifecycleConfiguration', () => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))),
      this.read(bucket, 'GetBucketTagging', () => client.send(new GetBucketTaggingCommand({ Bucket: bucket }))),
      this.read(bucket, 'GetBucketPolicy', () => client.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    ]);
    state['region'] = regionOf(location_?.LocationConstraint);

    const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
    const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    if (algorithm !== undefined) {
      const section: JsonObject = { algorithm, bucketKeyEnabled: rule?.BucketKeyEnabled === true };
      const kmsKeyId = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
      if (algorithm !== 'AES256' && kmsKeyId !== undefined) section['kmsKeyId'] = kmsKeyId;
      state['encryption'] = section;
    }

    const block = publicAccessBlock?.PublicAccessBlockConfiguration;
    if (block !== undefined) {
      state['publicAccessBlock'] = {
        blockPublicAcls: block.BlockPublicAcls === true,
        ignorePublicAcls: block.IgnorePublicAcls === true,
        blockPublicPolicy: block.BlockPublicPolicy === true,
        restrictPublicBuckets: block.RestrictPublicBuckets === true,
      };
    }

    const cleanup = lifecycle?.Rules?.find((r) => r.ID === BUCKET_LIFECYCLE_RULE_ID && r.Status === 'Enabled');
    const days = cleanup?.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (days !== undefined) state['lifecycle'] = { abortIncompleteMultipartUploadDays: days };

    if (tags?.TagSet !== undefined) {
      const section: JsonObject = {};
      for (const tag of [...tags.TagSet].sort((a, b) => ((a.Key ?? '') < (b.Key ?? '') ? -1 : 1))) if (tag.Key !== undefined) section[tag.Key] = tag.Value ?? '';
      state['tags'] = section;
    }

    if (policy?.Policy !== undefined) state['policy'] = { denyInsecureTransport: deniesInsecureTransport(this.parsePolicy(bucket, policy.Policy)) };
    return state;
  }

  async configure(location: BucketLocation, settings: JsonObject, create: boolean): Promise<void> {
    const client = this.clientOf(location);
    const bucket = location.name;
    const subject = `bucket ${bucket}`;
    if (create) await this.create(client, location);

    const encryption = settings['encryption'];
    if (isJsonObject(encryption)) {
      const algorithm = encryption['algorithm'];
      if (algorithm !== 'AES256' && algorithm !== 'aws:kms') throw new StorageError('storage.invalid-settings', `${subject}: encryption.algorithm must be AES256 or aws:kms`, { bucket });
      const kmsKeyId = encryption['kmsKeyId'];
      await this.write(bucket, 'PutBucketEncryption', () =>
        client.send(
          new PutBucketEncryptionCommand({
            Bucket: bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm as ServerSideEncryption, ...(algorithm === 'aws:kms' && typeof kmsKeyId === 'string' ? { KMSMasterKeyID: kmsKeyId } : {}) },
                  BucketKeyEnabled: encryption['bucketKeyEnabled'] !== false,
                },
              ],
            },
          }),
        ),
      );
    }

    const block = settings['publicAccessBlock'];
    if (isJsonObject(block)) {
      await this.write(bucket, 'PutPublicAccessBlock', () =>
        client.send(
          new PutPublicAccessBlockCommand({
            Bucket: bucket,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: requireBoolean(block, 'blockPublicAcls', bucket),
              IgnorePublicAcls: requireBoolean(block, 'ignorePublicAcls', bucket),
              BlockPublicPolicy: requireBoolean(block, 'blockPublicPolicy', bucket),
              RestrictPublicBuckets: requireBoolean(block, 'restrictPublicBuckets', bucket),
            },
          }),
        ),
      );
    }

    const lifecycle = settings['lifecycle'];
    if (isJsonObject(lifecycle)) {
      const days = lifecycle['abortIncompleteMultipartUploadDays'];
      if (typeof days !== 'number') throw new StorageError('storage.invalid-settings', `${subject}: lifecycle.abortIncompleteMultipartUploadDays must be a number`, { bucket });
      // PutBucketLifecycleConfiguration replaces every rule: keep the rules others keep on the bucket
      const live = await this.read(bucket, 'GetBucketLifecycleConfiguration', () => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })));
      const others = (live?.Rules ?? []).filter((r) => r.ID !== BUCKET_LIFECYCLE_RULE_ID);
      // the operator's own rule, field for field (docs/registry-operator-facts.md §3.5)
      const ours: LifecycleRule = { ID: BUCKET_LIFECYCLE_RULE_ID, Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: days } };
      await this.write(bucket, 'PutBucketLifecycleConfiguration', () =>
        client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [...others, ours] } })),
      );
    }

    const tags = settings['tags'];
    if (isJsonObject(tags)) {
      // the whole tag set, as core/bucket-state.ts sends it (live merged with Git by the planner)
      const TagSet = Object.keys(tags)
        .sort()
        .map((Key) => ({ Key, Value: String(tags[Key]) }));
      await this.write(bucket, 'PutBucketTagging', () => client.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } })));
    }

    const policy = settings['policy'];
    if (isJsonObject(policy) && typeof policy['denyInsecureTransport'] === 'boolean') {
      await this.writePolicy(client, location, policy['denyInsecureTransport']);
    }
  }

  private clientOf(location: BucketLocation): S3Client {
    const chosen = this.options.clientFor?.(location);
    if (chosen !== undefined) return chosen;
    if (this.client instanceof S3Client) return this.client;
    // one client per region and endpoint, built once: S3 wants each bucket addressed in its own region
    const key = `${location.region}|${location.endpoint ?? ''}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = new S3Client({ ...this.client, region: location.region, ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }) });
      this.clients.set(key, client);
    }
    return client;
  }

  private async create(client: S3Client, location: BucketLocation): Promise<void> {
    const bucket = location.name;
    try {
      // SDK v3 does not add the LocationConstraint itself; us-east-1 refuses one (docs/registry-operator-facts.md §3.5)
      await client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(location.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: location.region as BucketLocationConstraint } }),
        }),
      );
    } catch (error) {
      const code = readS3ErrorCode(error);
      if (code === 'BucketAlreadyOwnedByYou') return;
      if (code === 'BucketAlreadyExists') {
        throw new StorageError('storage.bucket-taken', `bucket ${bucket}: the name is taken by another account; choose another bucket name in storage.yaml`, { bucket, awsError: code }, { cause: error });
      }
      throw toStorageError(error, `bucket ${bucket}`, 'CreateBucket', { bucket, region: location.region });
    }
  }

  private async writePolicy(client: S3Client, location: BucketLocation, deny: boolean): Promise<void> {
    const bucket = location.name;
    const live = await this.read(bucket, 'GetBucketPolicy', () => client.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    const document: PolicyDocument = live?.Policy === undefined ? { Version: '2012-10-17' } : this.parsePolicy(bucket, live.Policy);
    const others = listStatements(document).filter((s) => s.Sid !== DENY_INSECURE_TRANSPORT_SID);
    const statements = deny ? [...others, buildDenyInsecureTransport(bucket, location.region)] : others;
    if (statements.length === 0) {
      if (live?.Policy !== undefined) await this.write(bucket, 'DeleteBucketPolicy', () => client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
      return;
    }
    const text = JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: statements });
    await this.write(bucket, 'PutBucketPolicy', () => client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text })));
  }

  private parsePolicy(bucket: string, text: string): PolicyDocument {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as PolicyDocument;
    } catch {
      // reported below
    }
    throw new StorageError('storage.invalid', `bucket ${bucket}: the bucket policy is not a JSON object`, { bucket });
  }

  /** A Get* call; the "not configured" answers become undefined. */
  private async read<T>(bucket: string, verb: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (NOT_CONFIGURED.has(readS3ErrorCode(error) ?? '')) return undefined;
      throw toStorageError(error, `bucket ${bucket}`, verb, { bucket });
    }
  }

  private async write(bucket: string, verb: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw toStorageError(error, `bucket ${bucket}`, verb, { bucket });
    }
  }
}
