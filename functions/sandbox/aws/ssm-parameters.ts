import { createCipheriv, randomBytes } from 'node:crypto';
import { JsonServiceError, requireString } from './json-reply.ts';
import { sandboxAccountId } from './secrets-manager.ts';

// SSM Parameter Store over the JSON 1.1 protocol (X-Amz-Target: AmazonSSM.<Operation>):
// GetParameter, GetParameters, PutParameter. A SecureString read without WithDecryption returns
// ciphertext (here AES-256-GCM under a per-emulator key, base64), never the value.
// Source: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html

interface Parameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  modified: Date;
}

const parameterTypes = new Set(['String', 'StringList', 'SecureString']);

/** The parameter store and its wire operations. */
export class SsmParameterStore {
  private readonly parameters = new Map<string, Parameter>();
  private readonly key = randomBytes(32);

  constructor(private readonly region: string) {}

  /** Writes a new version of `name` (a SecureString unless `type` says otherwise). */
  put(name: string, value: string, now: Date, type: Parameter['type'] = 'SecureString'): Parameter {
    const previous = this.parameters.get(name);
    const parameter: Parameter = { name, type, value, version: (previous?.version ?? 0) + 1, modified: now };
    this.parameters.set(name, parameter);
    return parameter;
  }

  private encrypt(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  private render(parameter: Parameter, decrypt: boolean): Record<string, unknown> {
    const path = parameter.name.startsWith('/') ? parameter.name : `/${parameter.name}`;
    return {
      Name: parameter.name,
      Type: parameter.type,
      Value: parameter.type === 'SecureString' && !decrypt ? this.encrypt(parameter.value) : parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.modified.getTime() / 1000,
      ARN: `arn:aws:ssm:${this.region}:${sandboxAccountId}:parameter${path}`,
      DataType: 'text',
    };
  }

  /** Runs `operation`; unknown operations are undefined (the caller answers 501). */
  operation(operation: string): ((input: Record<string, unknown>, now: Date) => unknown) | undefined {
    switch (operation) {
      case 'GetParameter':
        return (input) => {
          const parameter = this.parameters.get(requireString(input, 'Name'));
          // The service sends ParameterNotFound without a message (aws/aws-sdk-js#4330).
          if (!parameter) throw new JsonServiceError(400, 'ParameterNotFound', undefined);
          return { Parameter: this.render(parameter, input['WithDecryption'] === true) };
        };
      case 'GetParameters':
        return (input) => {
          const names = input['Names'];
          if (!Array.isArray(names) || names.length === 0 || names.length > 10 || !names.every((n) => typeof n === 'string')) {
            throw new JsonServiceError(400, 'ValidationException', "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1");
          }
          const found = names.map((n: string) => this.parameters.get(n)).filter((p): p is Parameter => p !== undefined);
          return {
            Parameters: found.map((p) => this.render(p, input['WithDecryption'] === true)),
            InvalidParameters: names.filter((n: string) => !this.parameters.has(n)),
          };
        };
      case 'PutParameter':
        return (input, now) => {
          const name = requireString(input, 'Name');
          const value = requireString(input, 'Value');
          const existing = this.parameters.get(name);
          const type = typeof input['Type'] === 'string' ? input['Type'] : existing?.type;
          if (type === undefined || !parameterTypes.has(type)) throw new JsonServiceError(400, 'ValidationException', 'A parameter type is required when you create a parameter.');
          if (existing && input['Overwrite'] !== true) {
            throw new JsonServiceError(400, 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
          }
          const written = this.put(name, value, now, type as Parameter['type']);
          return { Version: written.version, Tier: 'Standard' };
        };
      default:
        return undefined;
    }
  }
}
