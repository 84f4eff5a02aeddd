/**
 * The AWS path of issue 10 item 6: an S3-compatible server that echoes what it was sent in its
 * error message (here a PutBucketTagging refused with the rejected tag quoted, JSON-escaped and
 * base64 without padding) must not bring a secret value into regops' error. The real
 * @aws-sdk/client-s3 and S3BucketStore talk to a small local server; only its error answer is
 * written here (no S3 engine decides anything in this test, the value could be echoed by any).
 */
import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BucketStore } from '../../../functions/adapters/s3/s3-bucket-store.ts';
import { createSecretValue, revealSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';

const secret = 'aws-echo-"secret"/value<&>0123456789';
const json = JSON.stringify(secret).slice(1, -1);
const b64 = Buffer.from(secret).toString('base64').replace(/=+$/, '');
let server: Server;
let endpoint = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const message = `The TagValue you have provided is invalid: "${json}" (${b64}) ${encodeURIComponent(secret)}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      res.writeHead(400, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidTag</Code><Message>${message}</Message><RequestId>r1</RequestId></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('S3 errors echoing a secret value', () => {
  it('the StorageError, its cause and its inspection hold no form of the value', async () => {
    // the value left the secrets adapter (as the storage credentials do on their way to a cluster)
    revealSecretValue(createSecretValue(secret));
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' }, maxAttempts: 1 });
    const store = new S3BucketStore(client, { clientFor: () => client });
    const error = await store.configure({ name: 'b-one', region: 'us-east-1' }, { tags: { team: 'x' } }, false).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'storage.invalid' });
    const printed = [String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
    expect(printed).toContain('The TagValue you have provided is invalid');
    expect(printed).toMatch(/\[redacted sha256:[0-9a-f]{12}\]/);
    for (const form of [secret, json, b64, encodeURIComponent(secret), secret.slice(5, 15)]) expect(printed).not.toContain(form);
  });
});
