import { randomBytes, randomUUID } from 'node:crypto';
import { JsonServiceError, requireString } from './json-reply.ts';

// Secrets Manager over the JSON 1.1 protocol (X-Amz-Target: secretsmanager.<Operation>):
// GetSecretValue, DescribeSecret, CreateSecret, PutSecretValue. Versions carry the staging labels
// AWSCURRENT / AWSPREVIOUS as the service moves them on every new value.
// Source: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html

interface SecretVersion {
  id: string;
  value: string;
  stages: string[];
  created: Date;
}

interface Secret {
  name: string;
  arn: string;
  created: Date;
  versions: SecretVersion[];
}

/** The account id in every ARN the emulator writes. */
export const sandboxAccountId = '000000000000';

/** The secrets store and its wire operations. */
export class SecretsManagerStore {
  private readonly secrets = new Map<string, Secret>();

  constructor(private readonly region: string) {}

  /** Adds a new AWSCURRENT version (creating the secret on first use), as PutSecretValue does. */
  put(name: string, value: string, now: Date): SecretVersion {
    let secret = this.secrets.get(name);
    if (!secret) {
      // Secrets Manager appends a dash and six random characters to the name in the ARN.
      const suffix = randomBytes(6).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);
      secret = { name, arn: `arn:aws:secretsmanager:${this.region}:${sandboxAccountId}:secret:${name}-${suffix}`, created: now, versions: [] };
      this.secrets.set(name, secret);
    }
    for (const version of secret.versions) {
      version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS');
      if (version.stages.includes('AWSCURRENT')) version.stages = version.stages.filter((s) => s !== 'AWSCURRENT').concat('AWSPREVIOUS');
    }
    secret.versions = secret.versions.filter((v) => v.stages.length > 0);
    const version: SecretVersion = { id: randomUUID(), value, stages: ['AWSCURRENT'], created: now };
    secret.versions.push(version);
    return version;
  }

  private find(secretId: string): Secret {
    const secret = this.secrets.get(secretId) ?? [...this.secrets.values()].find((s) => s.arn === secretId);
    if (!secret) throw new JsonServiceError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  /** Runs operation `operation` on `input`; unknown operations are undefined (the caller answers 501). */
  operation(operation: string): ((input: Record<string, unknown>, now: Date) => unknown) | undefined {
    switch (operation) {
      case 'GetSecretValue':
        return (input) => {
          const secret = this.find(requireString(input, 'SecretId'));
          const versionId = input['VersionId'];
          const stage = typeof input['VersionStage'] === 'string' ? input['VersionStage'] : undefined;
          const version =
            typeof versionId === 'string'
              ? secret.versions.find((v) => v.id === versionId && (stage === undefined || v.stages.includes(stage)))
              : secret.versions.find((v) => v.stages.includes(stage ?? 'AWSCURRENT'));
          if (!version) {
            const what = typeof versionId === 'string' ? `VersionId: ${versionId}` : `staging label: ${stage ?? 'AWSCURRENT'}`;
            throw new JsonServiceError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
          }
          return {
            ARN: secret.arn,
            Name: secret.name,
            VersionId: version.id,
            SecretString: version.value,
            VersionStages: [...version.stages],
            CreatedDate: version.created.getTime() / 1000,
          };
        };
      case 'DescribeSecret':
        return (input) => {
          const secret = this.find(requireString(input, 'SecretId'));
          const current = secret.versions.find((v) => v.stages.includes('AWSCURRENT'));
          return {
            ARN: secret.arn,
            Name: secret.name,
            CreatedDate: secret.created.getTime() / 1000,
            LastChangedDate: (current?.created ?? secret.created).getTime() / 1000,
            VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.id, [...v.stages]])),
          };
        };
      case 'CreateSecret':
        return (input, now) => {
          const name = requireString(input, 'Name');
          if (this.secrets.has(name)) throw new JsonServiceError(400, 'ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
          const value = input['SecretString'];
          if (typeof value !== 'string') throw new JsonServiceError(400, 'InvalidParameterException', 'You must provide either SecretString or SecretBinary (SecretBinary is not emulated).');
          const version = this.put(name, value, now);
          return { ARN: this.find(name).arn, Name: name, VersionId: version.id };
        };
      case 'PutSecretValue':
        return (input, now) => {
          const secret = this.find(requireString(input, 'SecretId'));
          const value = input['SecretString'];
          if (typeof value !== 'string') throw new JsonServiceError(400, 'InvalidParameterException', 'You must provide either SecretString or SecretBinary (SecretBinary is not emulated).');
          const version = this.put(secret.name, value, now);
          return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
        };
      default:
        return undefined;
    }
  }
}
