import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeS3, makeSecretsManager, makeSsm } from './sdk-clients.ts';
import { primaryKeys, serveEmulator } from './serve-emulator.ts';
import type { ServedEmulator } from './serve-emulator.ts';

// SigV4 is verified, not just parsed: unknown keys, wrong secrets, tampered requests and stale
// clocks are refused with the codes the services use, and added keys are accepted.

let served: ServedEmulator;
const wrongSecret = { accessKeyId: primaryKeys.accessKeyId, secretAccessKey: 'not-the-secret' };
const unknownKey = { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'whatever' };

beforeAll(async () => {
  served = await serveEmulator();
  served.emulator.putSecret('regops/prod-eu-1/registry-s3', '{"accessKeyId":"AKIACLUSTER","secretAccessKey":"s"}');
  served.emulator.putParameter('/regops/prod-eu-1/s3', 'parameter-value');
  await makeS3(served.endpoint, primaryKeys, 'eu-west-1').send(new CreateBucketCommand({ Bucket: 'regops-auth', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
});
afterAll(async () => {
  await served.stop();
});

describe('S3', () => {
  it.each([
    { case: 'an unknown access key', keys: unknownKey, name: 'InvalidAccessKeyId', status: 403 },
    { case: 'a wrong secret key', keys: wrongSecret, name: 'SignatureDoesNotMatch', status: 403 },
  ])('refuses $case with $name', async ({ keys, name, status }) => {
    expect(await failureOf(makeS3(served.endpoint, keys, 'eu-west-1').send(new ListBucketsCommand({})))).toMatchObject({ name, status });
  });

  it('refuses a body changed after signing (x-amz-content-sha256 no longer matches)', async () => {
    const s3 = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    s3.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { body: unknown }).body = 'tampered';
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperBody' },
    );
    expect(await failureOf(s3.send(new PutObjectCommand({ Bucket: 'regops-auth', Key: 'k', Body: 'original' })))).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
  });

  it('refuses a signed header changed after signing', async () => {
    const s3 = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    s3.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amz-meta-owner'] = 'mallory';
        (args.request as { headers: Record<string, string> }).headers['content-type'] = 'text/html';
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperHeader' },
    );
    expect(await failureOf(s3.send(new PutObjectCommand({ Bucket: 'regops-auth', Key: 'k', Body: 'x', ContentType: 'application/json' })))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses a path changed after signing', async () => {
    const s3 = makeS3(served.endpoint, primaryKeys, 'eu-west-1');
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path: string };
        request.path = request.path.replace('/k', '/other');
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperPath' },
    );
    expect(await failureOf(s3.send(new PutObjectCommand({ Bucket: 'regops-auth', Key: 'k', Body: 'x' })))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(served.emulator.bucket('regops-auth')?.objects.map((o) => o.key)).not.toContain('other');
  });

  it('refuses a request signed an hour ago with RequestTimeTooSkewed', async () => {
    const s3 = makeS3(served.endpoint, primaryKeys, 'eu-west-1', { systemClockOffset: -3_600_000 });
    expect(await failureOf(s3.send(new ListBucketsCommand({})))).toMatchObject({ name: 'RequestTimeTooSkewed', status: 403 });
  });

  it("an unsigned request is AccessDenied in S3's error XML, with the request id in header and body", async () => {
    const response = await fetch(`${served.endpoint}/regops-auth/k`);
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/xml');
    const requestId = response.headers.get('x-amz-request-id') ?? 'missing';
    expect(text).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId><HostId>[^<]+</HostId></Error>$`));
  });

  it('a presigned (query-string) request is a loud 501, not a silent refusal', async () => {
    const response = await fetch(`${served.endpoint}/regops-auth/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x&X-Amz-Signature=00`);
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('accepts a key added at run time, and areValidKeys tells the pairs apart', async () => {
    served.emulator.addAccessKey('AKIAADDEDLATER000001', 'added-secret');
    const out = await makeS3(served.endpoint, { accessKeyId: 'AKIAADDEDLATER000001', secretAccessKey: 'added-secret' }, 'eu-west-1').send(new ListBucketsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(served.emulator.areValidKeys('AKIAADDEDLATER000001', 'added-secret')).toBe(true);
    expect(served.emulator.areValidKeys('AKIAADDEDLATER000001', 'other')).toBe(false);
    expect(served.emulator.areValidKeys('AKIANOSUCHKEY0000001', 'added-secret')).toBe(false);
  });
});

describe('Secrets Manager and SSM', () => {
  it.each([
    { case: 'Secrets Manager, unknown key', call: () => makeSecretsManager(served.endpoint, unknownKey).send(new GetSecretValueCommand({ SecretId: 'regops/prod-eu-1/registry-s3' })), name: 'UnrecognizedClientException' },
    { case: 'Secrets Manager, wrong secret', call: () => makeSecretsManager(served.endpoint, wrongSecret).send(new GetSecretValueCommand({ SecretId: 'regops/prod-eu-1/registry-s3' })), name: 'InvalidSignatureException' },
    { case: 'SSM, unknown key', call: () => makeSsm(served.endpoint, unknownKey).send(new GetParameterCommand({ Name: '/regops/prod-eu-1/s3', WithDecryption: true })), name: 'UnrecognizedClientException' },
    { case: 'SSM, wrong secret', call: () => makeSsm(served.endpoint, wrongSecret).send(new GetParameterCommand({ Name: '/regops/prod-eu-1/s3', WithDecryption: true })), name: 'InvalidSignatureException' },
  ])('$case → $name (400)', async ({ call, name }) => {
    const failure = await failureOf(call());
    expect(failure).toMatchObject({ name, status: 400 });
    expect(failure.message).not.toContain('AKIACLUSTER');
  });

  it('refuses a JSON body changed after signing', async () => {
    const sm = makeSecretsManager(served.endpoint, primaryKeys);
    sm.middlewareStack.add(
      (next) => async (args) => {
        // Same length, so Content-Length still holds: only the signature can catch it.
        const request = args.request as { body: string };
        request.body = request.body.replace('prod-eu-1', 'prod-eu-2');
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperJson' },
    );
    expect(await failureOf(sm.send(new GetSecretValueCommand({ SecretId: 'regops/prod-eu-1/registry-s3' })))).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
  });

  it('counts every request it answered, refused ones included', () => {
    // 1 CreateBucket + 9 S3 calls + 4 JSON cases + 1 tampered JSON body.
    expect(served.emulator.requestCount()).toBe(1 + 9 + 4 + 1);
  });
});
