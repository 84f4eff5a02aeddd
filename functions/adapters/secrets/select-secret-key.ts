/**
 * Picks one key out of a secret that holds a JSON object (`{"accessKeyId": …, "secretAccessKey": …}`).
 * Errors name the reference and the keys present, never the text: a JSON parse message would quote it.
 */
import type { SecretReference } from '../../core/model.ts';
import { SecretError } from '../errors.ts';
import { parseJsonObject } from './parse-json-object.ts';
import { describeSecretReference } from './to-secret-error.ts';

/** The whole text when `ref.key` is absent, else the string (or JSON text) under that key. */
export function selectSecretKey(text: string, ref: SecretReference): string {
  if (ref.key === undefined) return text;
  const document = parseSecretDocument(text, ref);
  // own keys only: `__proto__` or `constructor` would otherwise read Object.prototype and resolve to "{}" or nothing
  const value = Object.hasOwn(document, ref.key) ? document[ref.key] : undefined;
  if (value === undefined) {
    throw new SecretError('secret.key-not-found', `secret ${describeSecretReference(ref)}: no key "${ref.key}" (keys: ${Object.keys(document).sort().join(', ')})`, {
      source: ref.source,
      secretId: ref.id,
      key: ref.key,
    });
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The JSON object a secret holds; SecretError `secret.invalid` if it is not one. */
export function parseSecretDocument(text: string, ref: SecretReference): Record<string, unknown> {
  const parsed = parseJsonObject(text);
  if (parsed === undefined) {
    throw new SecretError('secret.invalid', `secret ${describeSecretReference(ref)}: the value is not a JSON object, so no key can be selected`, {
      source: ref.source,
      secretId: ref.id,
    });
  }
  return parsed;
}
