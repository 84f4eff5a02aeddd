/**
 * The AWS adapters (functions/adapters/s3, functions/adapters/secrets) with the real @aws-sdk clients
 * against one AWS endpoint (./aws-targets.ts): bucket create/inspect/configure and its idempotence,
 * report history never overwritten, Secrets Manager and SSM sources with key selection and their error
 * codes. The same bodies run against the sandbox's emulator (aws-adapters.test.ts, npm test) and moto
 * (aws-adapters.moto.ts, npm run test:moto).
 */
import { inspect } from 'node:util';
import { GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBucketState } from '../../../functions/core/bucket-state.ts';
import type { JsonObject } from '../../../functions/core/model.ts';
import { S3BucketStore } from '../../../functions/adapters/s3/s3-bucket-store.ts';
import { S3ReportStore } from '../../../functions/adapters/s3/s3-report-store.ts';
import { SecretSourceRouter } from '../../../functions/adapters/secrets/secret-source-router.ts';
import { revealSecretValue } from '../../../functions/adapters/secrets/secret-value.ts';
import { SecretsManagerSource } from '../../../functions/adapters/secrets/secrets-manager-source.ts';
import { SsmParameterSource } from '../../../functions/adapters/secrets/ssm-source.ts';
import type { AwsTarget } from './aws-targets.ts';

/** The registry keys seeded as a JSON secret, as the sandbox seeds regops/<cluster>/registry-s3. */
const registryKeys = { accessKeyId: 'AKIAREGOPSTESTKEY001', secretAccessKey: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY' };

export function awsAdapterSuite(start: () => Promise<AwsTarget>): void {
  let target: AwsTarget | undefined;
  let s3: S3Client;
  let s3Config: S3ClientConfig;
  let secretsManager: SecretsManagerClient;
  let ssm: SSMClient;

  beforeAll(async () => {
    target = await start();
    const common = { region: target.region, endpoint: target.endpoint, credentials: target.credentials, maxAttempts: 1 };
    s3Config = { ...common, forcePathStyle: true };
    s3 = new S3Client(s3Config);
    secretsManager = new SecretsManagerClient(common);
    ssm = new SSMClient(common);
    await secretsManager.send(new CreateSecretCommand({ Name: 'regops/sbx-0001/registry-s3', SecretString: JSON.stringify(registryKeys) }));
    await secretsManager.send(new CreateSecretCommand({ Name: 'regops/github-webhook-secret', SecretString: 'plain-webhook-secret-0123456789' }));
    await ssm.send(new PutParameterCommand({ Name: '/regops/sbx-0001/registry-s3', Type: 'SecureString', Value: JSON.stringify(registryKeys) }));
  }, 120_000);
  afterAll(async () => {
    await target?.stop();
  });

const desired = (name: string, region: string, extra: Partial<{ kms: string; tags: Record<string, string> }> = {}): JsonObject =>
  buildBucketState({
    name,
    region,
    encryption: extra.kms === undefined ? { type: 'SSE-S3' } : { type: 'SSE-KMS', kmsKeyId: extra.kms },
    tags: extra.tags ?? { 'regops.io/cluster': 'sbx-0001', 'regops.io/managed-by': 'regops' },
    origin: { file: 'clusters/sbx-0001/storage.yaml', line: 1, col: 1 },
  });

describe('S3BucketStore', () => {
  it('inspects a missing bucket as undefined', async () => {
    expect(await new S3BucketStore(s3Config).inspect({ name: 'regops-absent', region: 'us-east-1' })).toBeUndefined();
  });

  it.each([
    { name: 'regops-us-east', region: 'us-east-1' },
    { name: 'regops-eu-west', region: 'eu-west-1' },
  ])('creates $name in $region with every setting, and inspect reads back exactly the desired document', async ({ name, region }) => {
    const store = new S3BucketStore(s3Config);
    const state = desired(name, region);
    await store.configure({ name, region }, state, true);
    expect(await store.inspect({ name, region })).toEqual(state);
  });

  it('is idempotent: configuring again (BucketAlreadyOwnedByYou) leaves the same state', async () => {
    const store = new S3BucketStore(s3Config);
    const location = { name: 'regops-twice', region: 'eu-central-1' };
    const state = desired(location.name, location.region, { kms: 'arn:aws:kms:eu-central-1:111122223333:key/abcd' });
    await store.configure(location, state, true);
    const once = await store.inspect(location);
    await store.configure(location, state, true);
    expect(await store.inspect(location)).toEqual(once);
    expect(once).toEqual(state);
  });

  it('writes only the sections given, replacing the whole tag set', async () => {
    const store = new S3BucketStore(s3Config);
    const location = { name: 'regops-partial', region: 'us-east-1' };
    await store.configure(location, desired(location.name, location.region), true);
    await store.configure(location, { tags: { 'regops.io/cluster': 'sbx-0001', team: 'platform' } }, false);
    const live = await store.inspect(location);
    expect(live?.['tags']).toEqual({ 'regops.io/cluster': 'sbx-0001', team: 'platform' });
    expect(live?.['encryption']).toEqual({ algorithm: 'AES256', bucketKeyEnabled: true });
  });

  it("keeps other lifecycle rules and policy statements the team has on the bucket", async () => {
    const store = new S3BucketStore(s3Config);
    const location = { name: 'regops-shared', region: 'us-east-1' };
    await store.configure(location, { region: 'us-east-1' }, true);
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: location.name,
        LifecycleConfiguration: { Rules: [{ ID: 'team-expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] },
      }),
    );
    const teamStatement = { Sid: 'TeamReadOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::regops-shared/*' };
    await s3.send(new PutBucketPolicyCommand({ Bucket: location.name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [teamStatement] }) }));
    await store.configure(location, { lifecycle: { abortIncompleteMultipartUploadDays: 1 }, policy: { denyInsecureTransport: true } }, false);
    const live = await store.inspect(location);
    expect(live).toMatchObject({ lifecycle: { abortIncompleteMultipartUploadDays: 1 }, policy: { denyInsecureTransport: true } });
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: location.name }))).Rules ?? [];
    expect(rules.map((r) => r.ID)).toEqual(['team-expire-tmp', 'cleanup-incomplete-multipart-registry-uploads']);
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: location.name }))).Policy ?? '{}') as { Statement: Array<{ Sid: string; Resource: string[] }> };
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Sid: 'TeamReadOnly' }),
      expect.objectContaining({ Sid: 'RegopsDenyInsecureTransport', Effect: 'Deny', Resource: ['arn:aws:s3:::regops-shared', 'arn:aws:s3:::regops-shared/*'] }),
    ]);
    await store.configure(location, { policy: { denyInsecureTransport: false } }, false);
    expect(await store.inspect(location)).toMatchObject({ policy: { denyInsecureTransport: false } });
  });

  it('works with one client across regions when it follows region redirects', async () => {
    const store = new S3BucketStore(new S3Client({ ...s3Config, followRegionRedirects: true }));
    const location = { name: 'regops-redirected', region: 'ap-southeast-2' };
    const state = desired(location.name, location.region);
    await store.configure(location, state, true);
    expect(await store.inspect(location)).toEqual(state);
  });

  it('reports an unconfigured bucket without the sections it lacks', async () => {
    const store = new S3BucketStore(s3Config);
    const location = { name: 'regops-bare', region: 'us-west-2' };
    await store.configure(location, {}, true);
    const live = await store.inspect(location);
    expect(live).toMatchObject({ region: 'us-west-2' });
    for (const section of ['lifecycle', 'policy', 'tags']) expect(live).not.toHaveProperty(section);
  });

  it('maps bad credentials to storage.unauthorized or storage.forbidden, naming the bucket', async () => {
    const stranger = new S3Client({ ...s3Config, credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'not-the-key' } });
    const error = await new S3BucketStore(stranger).configure({ name: 'regops-stranger', region: 'us-east-1' }, {}, true).catch((e: unknown) => e);
    expect((error as { code: string }).code).toMatch(/^storage\.(unauthorized|forbidden)$/);
    expect((error as Error).message).toMatch(/^bucket regops-stranger: CreateBucket failed/);
  });
});

describe('S3ReportStore', () => {
  it('replaces latest/ keys, refuses to overwrite history/, lists sorted, answers undefined when absent', async () => {
    await new S3BucketStore(s3).configure({ name: 'regops-reports', region: 'us-east-1' }, {}, true);
    const store = new S3ReportStore(s3, 'regops-reports');
    await store.put('latest/drift.json', '{"v":1}', 'application/json');
    await store.put('latest/drift.json', '{"v":2}', 'application/json');
    expect(await store.get('latest/drift.json')).toBe('{"v":2}');
    await store.put('history/drift/2026/11/25/b.json', '{"v":2}', 'application/json');
    await store.put('history/drift/2026/11/24/a.json', '{"v":1}', 'application/json');
    await expect(store.put('history/drift/2026/11/25/b.json', '{"v":3}', 'application/json')).rejects.toMatchObject({ code: 'storage.exists' });
    expect(await store.get('history/drift/2026/11/25/b.json')).toBe('{"v":2}');
    expect(await store.list('history/drift/')).toEqual(['history/drift/2026/11/24/a.json', 'history/drift/2026/11/25/b.json']);
    expect(await store.get('latest/none.json')).toBeUndefined();
  });

  it('maps a missing reports bucket to storage.not-found', async () => {
    await expect(new S3ReportStore(s3, 'regops-no-reports').put('latest/x.json', '{}', 'application/json')).rejects.toMatchObject({ code: 'storage.not-found' });
  });
});

describe('secret sources', () => {
  it('reads a JSON key of a Secrets Manager secret and never prints the value', async () => {
          const source = new SecretsManagerSource(secretsManager);
    const held = await source.resolve({ source: 'secretsmanager', id: 'regops/sbx-0001/registry-s3', key: 'secretAccessKey' });
    const value = revealSecretValue(held);
    expect(value.length).toBeGreaterThan(8);
    expect(held.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const printed of [JSON.stringify({ held }), String(held), inspect(held), `${held.digest}`]) expect(printed).not.toContain(value);
  });

  it('reads a JSON key of an SSM SecureString parameter (GetParameter WithDecryption), as Secrets Manager does', async () => {
    const ref = { id: '/regops/sbx-0001/registry-s3', key: 'secretAccessKey' };
    const fromSsm = await new SsmParameterSource(ssm).resolve({ source: 'ssm', ...ref });
    expect(revealSecretValue(fromSsm)).toBe(registryKeys.secretAccessKey);
    const fromSecretsManager = await new SecretsManagerSource(secretsManager).resolve({ source: 'secretsmanager', id: 'regops/sbx-0001/registry-s3', key: 'secretAccessKey' });
    expect(fromSsm.digest).toBe(fromSecretsManager.digest);
  });

  it('reads every key of a JSON secret in one call (resolveDocument)', async () => {
    const document = await new SecretsManagerSource(secretsManager).resolveDocument('regops/sbx-0001/registry-s3');
    expect(Object.fromEntries([...document].map(([k, v]) => [k, revealSecretValue(v)]))).toEqual(registryKeys);
  });

  it.each(['secretsmanager', 'ssm'] as const)('maps a key pair the endpoint does not know to secret.unauthorized or secret.forbidden (%s)', async (source) => {
    const stranger = { region: s3Config.region as string, endpoint: s3Config.endpoint as string, maxAttempts: 1, credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'not-the-key' } };
    const sources = { secretsmanager: new SecretsManagerSource(new SecretsManagerClient(stranger)), ssm: new SsmParameterSource(new SSMClient(stranger)) };
    const error = await sources[source].resolve({ source, id: source === 'ssm' ? '/regops/sbx-0001/registry-s3' : 'regops/sbx-0001/registry-s3' }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toMatch(/^secret\.(unauthorized|forbidden)$/);
  });

  it.each([
    { name: 'a missing secret', ref: { source: 'secretsmanager' as const, id: 'regops/nope' }, code: 'secret.not-found' },
    { name: 'a missing key', ref: { source: 'secretsmanager' as const, id: 'regops/sbx-0001/registry-s3', key: 'password' }, code: 'secret.key-not-found' },
    { name: 'a key of a plain-string secret', ref: { source: 'secretsmanager' as const, id: 'regops/github-webhook-secret', key: 'x' }, code: 'secret.invalid' },
    { name: 'a missing SSM parameter', ref: { source: 'ssm' as const, id: '/regops/nope' }, code: 'secret.not-found' },
    { name: 'a source not configured', ref: { source: 'file' as const, id: 'x' }, code: 'secret.no-source' },
  ])('maps $name to $code without the value in the message', async ({ ref, code }) => {
    const router = new SecretSourceRouter({ secretsmanager: new SecretsManagerSource(secretsManager), ssm: new SsmParameterSource(ssm) });
    const error = await router.resolve(ref).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    const secretValue = revealSecretValue(await new SecretsManagerSource(secretsManager).resolve({ source: 'secretsmanager', id: 'regops/sbx-0001/registry-s3', key: 'secretAccessKey' }));
    expect(inspect(error, { depth: 10 })).not.toContain(secretValue);
  });
});
}
