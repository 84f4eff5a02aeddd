/**
 * The edge where Kubernetes Secret data meets secret values: on read, every `data` value becomes the
 * `sha256:` digest of its decoded bytes; on write, digests found in `data`/`stringData` are replaced
 * by the values the secrets adapter holds. Nothing else in regops ever sees the value.
 */
import type { JsonObject } from '../../core/model.ts';
import type { SecretValue } from '../../engine/ports.ts';
import { SecretError } from '../errors.ts';
import type { ErrorContext } from '../errors.ts';
import { digestSecretBytes, revealSecretValue } from './secret-value.ts';
import { isJsonObject } from '../../core/is-json-object.ts';

// kubectl apply copies the whole object, values included, into this annotation
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True for a core/v1 Secret (the only kind whose data regops digests). */
export function isSecretObject(object: JsonObject): boolean {
  return object['kind'] === 'Secret' && (object['apiVersion'] === 'v1' || object['apiVersion'] === undefined);
}

/** A copy of a Secret with each `data` value (base64) replaced by the digest of the decoded bytes. */
export function digestSecretData(secret: JsonObject): JsonObject {
  const out: JsonObject = { ...secret };
  const data = secret['data'];
  if (isJsonObject(data)) {
    const digested: JsonObject = {};
    for (const [key, value] of Object.entries(data)) {
      digested[key] = typeof value === 'string' ? digestSecretBytes(Buffer.from(value, 'base64')) : value;
    }
    out['data'] = digested;
  }
  const stringData = secret['stringData'];
  if (isJsonObject(stringData)) {
    const digested: JsonObject = {};
    for (const [key, value] of Object.entries(stringData)) digested[key] = typeof value === 'string' ? digestSecretBytes(value) : value;
    out['stringData'] = digested;
  }
  const metadata = secret['metadata'];
  const annotations = isJsonObject(metadata) ? metadata['annotations'] : undefined;
  if (isJsonObject(metadata) && isJsonObject(annotations) && typeof annotations[LAST_APPLIED] === 'string') {
    out['metadata'] = { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: digestSecretBytes(annotations[LAST_APPLIED]) } };
  }
  return out;
}

/**
 * A copy of a Secret (full object or merge patch) whose `data`/`stringData` digests are replaced by
 * the real values (`data` base64-encoded). A digest with no value in `values` is an error: sending it
 * would store the digest as the secret.
 */
export function revealSecretData(secret: JsonObject, values: ReadonlyMap<string, SecretValue> | undefined, context: ErrorContext): JsonObject {
  const out: JsonObject = { ...secret };
  for (const field of ['data', 'stringData'] as const) {
    const entries = secret[field];
    if (!isJsonObject(entries)) continue;
    const revealed: JsonObject = {};
    for (const [key, value] of Object.entries(entries)) {
      if (typeof value !== 'string' || !DIGEST.test(value)) {
        revealed[key] = value;
        continue;
      }
      const held = values?.get(value);
      if (held === undefined) {
        throw new SecretError(
          'secret.unresolved',
          `${context.resource ?? 'secret'}: ${field}[${JSON.stringify(key)}] is the digest ${value} but no value was resolved for it`,
          { ...context, key, digest: value },
        );
      }
      const plain = revealSecretValue(held);
      revealed[key] = field === 'data' ? Buffer.from(plain, 'utf8').toString('base64') : plain;
    }
    out[field] = revealed;
  }
  return out;
}

/** The strings a server message could echo for these values (plain and base64): for redaction. */
export function listSecretForms(values: ReadonlyMap<string, SecretValue> | undefined): Array<{ form: string; digest: string }> {
  const forms: Array<{ form: string; digest: string }> = [];
  for (const held of values?.values() ?? []) {
    let plain: string;
    try {
      plain = revealSecretValue(held);
    } catch {
      continue;
    }
    if (plain.length >= 4) forms.push({ form: plain, digest: held.digest }, { form: Buffer.from(plain, 'utf8').toString('base64'), digest: held.digest });
  }
  return forms;
}

/** Replaces every occurrence of a secret value (or its base64) in a text by its digest. */
export function redactSecretForms(text: string, forms: ReadonlyArray<{ form: string; digest: string }>): string {
  let out = text;
  for (const { form, digest } of forms) out = out.split(form).join(digest);
  return out;
}
