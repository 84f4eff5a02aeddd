/**
 * SecretSource over AWS Secrets Manager (GetSecretValue, AWSCURRENT), with JSON key selection. The
 * client comes from the entry point (region, endpoint, credentials, CA); this adapter only reads.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReference } from '../../core/model.ts';
import type { SecretSource, SecretValue } from '../../engine/ports.ts';
import { SecretError } from '../errors.ts';
import { createSecretValue } from './secret-value.ts';
import { parseSecretDocument, selectSecretKey } from './select-secret-key.ts';
import { toSecretError } from './to-secret-error.ts';

export class SecretsManagerSource implements SecretSource {
  constructor(private readonly client: SecretsManagerClient) {}

  async resolve(ref: SecretReference): Promise<SecretValue> {
    return createSecretValue(selectSecretKey(await this.readText(ref), ref));
  }

  /** Every key of a secret holding a JSON object, each value held (one GetSecretValue call). */
  async resolveDocument(id: string): Promise<ReadonlyMap<string, SecretValue>> {
    const ref: SecretReference = { source: 'secretsmanager', id };
    const document = parseSecretDocument(await this.readText(ref), ref);
    const out = new Map<string, SecretValue>();
    for (const [key, value] of Object.entries(document)) out.set(key, createSecretValue(typeof value === 'string' ? value : JSON.stringify(value)));
    return out;
  }

  private async readText(ref: SecretReference): Promise<string> {
    let answer;
    try {
      answer = await this.client.send(new GetSecretValueCommand({ SecretId: ref.id }));
    } catch (error) {
      throw toSecretError(error, ref, 'GetSecretValue');
    }
    if (answer.SecretString !== undefined) return answer.SecretString;
    if (answer.SecretBinary !== undefined) return Buffer.from(answer.SecretBinary).toString('utf8');
    throw new SecretError('secret.invalid', `secret secretsmanager ${ref.id}: GetSecretValue returned neither SecretString nor SecretBinary`, { source: ref.source, secretId: ref.id });
  }
}
