/**
 * SecretSource over SSM Parameter Store SecureString parameters (GetParameter WithDecryption), with
 * the same JSON key selection as Secrets Manager.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretReference } from '../../core/model.ts';
import type { SecretSource, SecretValue } from '../../engine/ports.ts';
import { SecretError } from '../errors.ts';
import { createSecretValue } from './secret-value.ts';
import { selectSecretKey } from './select-secret-key.ts';
import { toSecretError } from './to-secret-error.ts';

export class SsmParameterSource implements SecretSource {
  constructor(private readonly client: SSMClient) {}

  async resolve(ref: SecretReference): Promise<SecretValue> {
    let answer;
    try {
      answer = await this.client.send(new GetParameterCommand({ Name: ref.id, WithDecryption: true }));
    } catch (error) {
      throw toSecretError(error, ref, 'GetParameter');
    }
    const text = answer.Parameter?.Value;
    if (text === undefined) throw new SecretError('secret.invalid', `secret ssm ${ref.id}: GetParameter returned no value`, { source: ref.source, secretId: ref.id });
    return createSecretValue(selectSecretKey(text, ref));
  }
}
