import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeSecretsManager, makeSsm } from './sdk-clients.ts';
import { primaryKeys, serveEmulator } from './serve-emulator.ts';
import type { ServedEmulator } from './serve-emulator.ts';

// The real client-secrets-manager and client-ssm against the emulator (JSON 1.1 protocol).

let served: ServedEmulator;
let sm: SecretsManagerClient;
let ssm: SSMClient;
const credentials = '{"accessKeyId":"AKIACLUSTERPRODEU001","secretAccessKey":"cluster-secret"}';

beforeAll(async () => {
  served = await serveEmulator();
  sm = makeSecretsManager(served.endpoint, primaryKeys);
  ssm = makeSsm(served.endpoint, primaryKeys);
  served.emulator.putSecret('regops/prod-eu-1/registry-s3', credentials);
  served.emulator.putParameter('/regops/prod-eu-1/registry-s3', credentials);
});
afterAll(async () => {
  await served.stop();
});

describe('Secrets Manager', () => {
  it('GetSecretValue returns the SecretString with its ARN, version and AWSCURRENT stage', async () => {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: 'regops/prod-eu-1/registry-s3' }));
    expect(out.SecretString).toBe(credentials);
    expect(out.Name).toBe('regops/prod-eu-1/registry-s3');
    expect(out.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:\d{12}:secret:regops\/prod-eu-1\/registry-s3-[A-Za-z0-9]{6}$/);
    expect(out.VersionStages).toEqual(['AWSCURRENT']);
    expect(out.CreatedDate).toBeInstanceOf(Date);
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: out.ARN }));
    expect(byArn.SecretString).toBe(credentials);
  });

  it('a rotated value becomes AWSCURRENT and the old one AWSPREVIOUS', async () => {
    served.emulator.putSecret('regops/rotating', 'v1');
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 'regops/rotating' }));
    served.emulator.putSecret('regops/rotating', 'v2');
    const current = await sm.send(new GetSecretValueCommand({ SecretId: 'regops/rotating' }));
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: 'regops/rotating', VersionStage: 'AWSPREVIOUS' }));
    expect([current.SecretString, previous.SecretString]).toEqual(['v2', 'v1']);
    expect(previous.VersionId).toBe(first.VersionId);
    expect(current.VersionId).not.toBe(first.VersionId);
  });

  it.each([
    { case: 'an unknown secret', input: { SecretId: 'regops/absent' }, message: "Secrets Manager can't find the specified secret." },
    { case: 'an unknown version', input: { SecretId: 'regops/prod-eu-1/registry-s3', VersionId: '00000000-0000-0000-0000-000000000000' }, message: "Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000" },
  ])('$case → ResourceNotFoundException', async ({ input, message }) => {
    expect(await failureOf(sm.send(new GetSecretValueCommand(input)))).toEqual({ name: 'ResourceNotFoundException', status: 400, message });
  });

  it('CreateSecret, PutSecretValue and DescribeSecret over the wire', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'regops/github-webhook-secret', SecretString: 'w1' }));
    expect(await failureOf(sm.send(new CreateSecretCommand({ Name: 'regops/github-webhook-secret', SecretString: 'w1' })))).toMatchObject({ name: 'ResourceExistsException' });
    await sm.send(new PutSecretValueCommand({ SecretId: 'regops/github-webhook-secret', SecretString: 'w2' }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'regops/github-webhook-secret' }));
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    const out = await sm.send(new GetSecretValueCommand({ SecretId: 'regops/github-webhook-secret' }));
    expect(out.SecretString).toBe('w2');
  });

  it('an operation the emulator lacks is a loud 501 naming it', async () => {
    const failure = await failureOf(sm.send(new ListSecretsCommand({})));
    expect(failure).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(failure.message).toContain('secretsmanager.ListSecrets');
  });
});

describe('SSM Parameter Store', () => {
  it('GetParameter WithDecryption returns the SecureString value', async () => {
    const out = await ssm.send(new GetParameterCommand({ Name: '/regops/prod-eu-1/registry-s3', WithDecryption: true }));
    expect(out.Parameter).toMatchObject({ Name: '/regops/prod-eu-1/registry-s3', Type: 'SecureString', Value: credentials, Version: 1, DataType: 'text' });
    expect(out.Parameter?.ARN).toMatch(/^arn:aws:ssm:eu-west-1:\d{12}:parameter\/regops\/prod-eu-1\/registry-s3$/);
  });

  it('without WithDecryption a SecureString comes back as ciphertext, never the value', async () => {
    const out = await ssm.send(new GetParameterCommand({ Name: '/regops/prod-eu-1/registry-s3' }));
    expect(out.Parameter?.Value).not.toContain('cluster-secret');
    expect(out.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('a missing parameter is ParameterNotFound, without a message as the service sends it', async () => {
    const failure = await failureOf(ssm.send(new GetParameterCommand({ Name: '/regops/absent', WithDecryption: true })));
    expect(failure).toMatchObject({ name: 'ParameterNotFound', status: 400 });
  });

  it('putParameter makes a new version', async () => {
    served.emulator.putParameter('/regops/versioned', 'a');
    served.emulator.putParameter('/regops/versioned', 'b');
    const out = await ssm.send(new GetParameterCommand({ Name: '/regops/versioned', WithDecryption: true }));
    expect(out.Parameter).toMatchObject({ Value: 'b', Version: 2 });
  });

  it('GetParameters splits found and invalid names; PutParameter needs Overwrite for an existing name', async () => {
    const out = await ssm.send(new GetParametersCommand({ Names: ['/regops/versioned', '/regops/absent'], WithDecryption: true }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual(['/regops/versioned']);
    expect(out.InvalidParameters).toEqual(['/regops/absent']);
    expect(await failureOf(ssm.send(new PutParameterCommand({ Name: '/regops/versioned', Value: 'c', Type: 'SecureString' })))).toMatchObject({ name: 'ParameterAlreadyExists' });
    const put = await ssm.send(new PutParameterCommand({ Name: '/regops/versioned', Value: 'c', Type: 'SecureString', Overwrite: true }));
    expect(put.Version).toBe(3);
  });
});
