import { Agent } from 'node:https';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../functions/sandbox/index.ts';
import type { Sandbox } from '../../../functions/sandbox/index.ts';
import { failureOf } from './sdk-clients.ts';

// The emulator as the sandbox mounts it: HTTPS with the sandbox CA, under /aws, with the seeded
// Secrets Manager secrets and per-cluster access keys (docs/interfaces.md §2).

let sandbox: Sandbox;
let agent: Agent;

beforeAll(async () => {
  sandbox = await startSandbox({ clusters: 2, progressingMs: 50 });
  agent = new Agent({ ca: sandbox.caPem, keepAlive: true });
});
afterAll(async () => {
  agent.destroy();
  await sandbox.stop();
});

function s3With(keys: { accessKeyId: string; secretAccessKey: string }, region = sandbox.aws.region): S3Client {
  return new S3Client({ endpoint: sandbox.aws.endpoint, forcePathStyle: true, region, credentials: keys, maxAttempts: 1, requestHandler: { httpsAgent: agent } });
}

describe('AWS endpoint of the sandbox', () => {
  it("serves the seeded cluster credentials, and S3 accepts them and refuses a cluster's key with a wrong secret", async () => {
    const sm = new SecretsManagerClient({ endpoint: sandbox.aws.endpoint, region: sandbox.aws.region, credentials: sandbox.aws, maxAttempts: 1, requestHandler: { httpsAgent: agent } });
    const cluster = sandbox.clusters[0] ?? '';
    const out = await sm.send(new GetSecretValueCommand({ SecretId: `regops/${cluster}/registry-s3` }));
    const keys = JSON.parse(out.SecretString ?? '{}') as { accessKeyId: string; secretAccessKey: string };
    const listed = await s3With(keys).send(new ListBucketsCommand({}));
    expect(listed.$metadata.httpStatusCode).toBe(200);
    expect(await failureOf(s3With({ accessKeyId: keys.accessKeyId, secretAccessKey: `${keys.secretAccessKey}x` }).send(new ListBucketsCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('creates a bucket, uploads a streamed object over TLS and reads it back', async () => {
    const s3 = s3With(sandbox.aws);
    await s3.send(new CreateBucketCommand({ Bucket: 'regops-sandbox-reports' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'regops-sandbox-reports' }));
    expect(head.BucketRegion).toBe(sandbox.aws.region);
    await s3.send(new PutObjectCommand({ Bucket: 'regops-sandbox-reports', Key: 'latest/drift.json', Body: Readable.from([Buffer.from('{"kind":'), Buffer.from('"drift"}')]), ContentLength: 16, IfNoneMatch: '*' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'regops-sandbox-reports', Key: 'latest/drift.json' }));
    expect(await got.Body?.transformToString()).toBe('{"kind":"drift"}');
  });
});
