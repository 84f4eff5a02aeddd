import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';

// The real AWS SDK v3 clients, pointed at the emulator. maxAttempts 1 so an error surfaces as the
// service sent it (no retries, no clock-skew correction) unless a test asks otherwise.

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

export function makeS3(endpoint: string, keys: Keys, region: string, extra: { systemClockOffset?: number; maxAttempts?: number } = {}): S3Client {
  return new S3Client({ endpoint, forcePathStyle: true, region, credentials: keys, maxAttempts: extra.maxAttempts ?? 1, ...(extra.systemClockOffset === undefined ? {} : { systemClockOffset: extra.systemClockOffset }) });
}

export function makeSecretsManager(endpoint: string, keys: Keys, region = 'eu-west-1'): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region, credentials: keys, maxAttempts: 1 });
}

export function makeSsm(endpoint: string, keys: Keys, region = 'eu-west-1'): SSMClient {
  return new SSMClient({ endpoint, region, credentials: keys, maxAttempts: 1 });
}

/** What the SDK surfaced for a failed call: err.name, the HTTP status, and the message. */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail, it succeeded');
}
