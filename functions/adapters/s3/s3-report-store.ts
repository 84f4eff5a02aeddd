/**
 * ReportStore on an S3 bucket (the reports bucket in AWS). Keys under an immutable prefix (default
 * `history/`) are written with `If-None-Match: *`, so a history entry is never overwritten: a second
 * write of the same key fails with `storage.exists`. `latest/…` keys are replaced in place.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ReportStore } from '../../engine/ports.ts';
import { readS3ErrorCode, toStorageError } from './to-storage-error.ts';

export interface S3ReportStoreOptions {
  /** Key prefix inside the bucket, e.g. `regops/` (default none). */
  prefix?: string;
  /** Keys (after `prefix`) that are written once only (default `['history/']`). */
  immutablePrefixes?: string[];
}

export class S3ReportStore implements ReportStore {
  private readonly prefix: string;
  private readonly immutable: string[];

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3ReportStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.immutable = options.immutablePrefixes ?? ['history/'];
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    const once = this.immutable.some((p) => key.startsWith(p));
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}`, Body: body, ContentType: contentType, ...(once ? { IfNoneMatch: '*' } : {}) }),
      );
    } catch (error) {
      throw toStorageError(error, this.subject(key), 'PutObject', { bucket: this.bucket, key });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}` }));
      return answer.Body === undefined ? '' : await answer.Body.transformToString('utf-8');
    } catch (error) {
      if (readS3ErrorCode(error) === 'NoSuchKey') return undefined;
      throw toStorageError(error, this.subject(key), 'GetObject', { bucket: this.bucket, key });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      let answer;
      try {
        answer = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}${prefix}`, ...(token === undefined ? {} : { ContinuationToken: token }) }));
      } catch (error) {
        throw toStorageError(error, this.subject(prefix), 'ListObjectsV2', { bucket: this.bucket, prefix });
      }
      for (const object of answer.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key.slice(this.prefix.length));
      token = answer.IsTruncated === true ? answer.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  private subject(key: string): string {
    return `report store s3://${this.bucket}/${this.prefix}${key}`;
  }
}
