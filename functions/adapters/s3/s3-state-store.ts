/**
 * StateStore on an S3 bucket (AWS: the reports bucket under `state/`, which no lifecycle rule
 * expires). Compare-and-swap is S3's conditional write: PutObject with `If-None-Match: *` creates
 * only, `If-Match: <etag>` replaces only that version; S3 answers 412 PreconditionFailed otherwise
 * (and 409 ConditionalRequestConflict to a racing conditional write), both `state.precondition-failed`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StateObject, StateStore, StateWriteCondition } from '../../engine/ports.ts';
import { StorageError } from '../errors.ts';
import { readHttpStatus, readS3ErrorCode, toStorageError } from './to-storage-error.ts';

export class S3StateStore implements StateStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Key prefix inside the bucket (default `state/`). */
    private readonly prefix = 'state/',
  ) {}

  locate(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  async read(key: string): Promise<StateObject | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}` }));
      const body = answer.Body === undefined ? '' : await answer.Body.transformToString('utf-8');
      if (answer.ETag === undefined) throw new StorageError('state.invalid', `state ${this.locate(key)}: GetObject answered no ETag`, { bucket: this.bucket, key });
      return { body, etag: answer.ETag };
    } catch (error) {
      if (readS3ErrorCode(error) === 'NoSuchKey') return undefined;
      throw toStorageError(error, `state ${this.locate(key)}`, 'GetObject', { bucket: this.bucket, key });
    }
  }

  async write(key: string, body: string, condition?: StateWriteCondition): Promise<string> {
    const conditional = condition === undefined ? {} : 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch };
    try {
      const answer = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}`, Body: body, ContentType: 'application/json', ...conditional }));
      if (answer.ETag === undefined) throw new StorageError('state.invalid', `state ${this.locate(key)}: PutObject answered no ETag`, { bucket: this.bucket, key });
      return answer.ETag;
    } catch (error) {
      const status = readHttpStatus(error);
      if (condition !== undefined && (status === 412 || status === 409)) {
        const which = 'ifNoneMatch' in condition ? 'If-None-Match: * (it exists)' : 'If-Match (it changed)';
        throw new StorageError('state.precondition-failed', `state ${this.locate(key)}: write refused, ${which}`, { bucket: this.bucket, key, status }, { cause: error });
      }
      throw toStorageError(error, `state ${this.locate(key)}`, 'PutObject', { bucket: this.bucket, key });
    }
  }
}
