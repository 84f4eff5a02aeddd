/**
 * The SecretValue of engine/ports.ts: the value sits in a private field; everything that prints it
 * (JSON.stringify, String(), template literals, util.inspect / console.log) shows only the digest.
 * `revealSecretValue` is for adapters that must put the value on the wire (Kubernetes, files).
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { SecretValue } from '../../engine/ports.ts';
import { rememberSecret } from './redact-secrets.ts';

/** `sha256:<hex>` of the bytes (a string is taken as UTF-8): the one digest form regops shows. */
export function digestSecretBytes(bytes: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

class HeldSecretValue implements SecretValue {
  readonly #value: string;
  readonly digest: string;

  constructor(value: string) {
    this.#value = value;
    this.digest = digestSecretBytes(value);
  }

  toJSON(): string {
    return this.digest;
  }

  toString(): string {
    return this.digest;
  }

  [inspect.custom](): string {
    return `SecretValue(${this.digest})`;
  }

  static reveal(held: HeldSecretValue): string {
    return held.#value;
  }
}

/** Wraps a value read from a secret store. Only the secrets adapter calls this. */
export function createSecretValue(value: string): SecretValue {
  return new HeldSecretValue(value);
}

/**
 * The value behind a SecretValue that is kept in a secret store but is no credential (a cluster's
 * API server address, its CA bundle): not remembered for redaction, since every message naming the
 * server would otherwise be cut to pieces (redact-secrets.ts redacts any 8 characters of a value).
 */
export function revealSecretSetting(secret: SecretValue): string {
  if (!(secret instanceof HeldSecretValue)) {
    throw new TypeError(`secret ${secret.digest}: not held by the secrets adapter, no value to reveal`);
  }
  return HeldSecretValue.reveal(secret);
}

/** The value behind a SecretValue made by createSecretValue. Adapters only; never log the result. */
export function revealSecretValue(secret: SecretValue): string {
  if (!(secret instanceof HeldSecretValue)) {
    throw new TypeError(`secret ${secret.digest}: not held by the secrets adapter, no value to reveal`);
  }
  const value = HeldSecretValue.reveal(secret);
  // from here the value is on its way to a wire: any server that echoes it must not print it
  rememberSecret(value);
  return value;
}
