// The Secret data edge: digests out, values in, and nothing else touched.
import { describe, expect, it } from 'vitest';
import { digestSecretData, redactSecretForms, listSecretForms, revealSecretData } from '../../../../functions/adapters/secrets/kubernetes-secret-data.ts';
import { createSecretValue, digestSecretBytes } from '../../../../functions/adapters/secrets/secret-value.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('Secret data', () => {
  it('digests data (decoded), stringData and the last-applied annotation, leaving the rest alone', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"dmFsdWU="}}', other: 'kept' } },
      data: { k: b64('value'), bin: Buffer.from([0, 255, 1]).toString('base64') },
      stringData: { s: 'plain' },
      type: 'Opaque',
    };
    expect(digestSecretData(secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': digestSecretBytes('{"data":{"k":"dmFsdWU="}}'), other: 'kept' } },
      data: { k: digestSecretBytes('value'), bin: digestSecretBytes(Buffer.from([0, 255, 1])) },
      stringData: { s: digestSecretBytes('plain') },
      type: 'Opaque',
    });
  });

  it('reveals digests as base64 in data and plain in stringData; other values and nulls pass through', () => {
    const held = createSecretValue('the-value');
    const patch = { data: { k: held.digest, removed: null, literal: b64('not-a-digest') }, stringData: { s: held.digest } };
    expect(revealSecretData(patch, new Map([[held.digest, held]]), {})).toEqual({ data: { k: b64('the-value'), removed: null, literal: b64('not-a-digest') }, stringData: { s: 'the-value' } });
  });

  it('redacts plain and base64 forms of values in a text', () => {
    const held = createSecretValue('the-value');
    const text = `bad: the-value / ${b64('the-value')}`;
    expect(redactSecretForms(text, listSecretForms(new Map([[held.digest, held]])))).toBe(`bad: ${held.digest} / ${held.digest}`);
  });
});
