// SecretValue prints as its digest in every way JavaScript prints a value; only reveal gives the value.
import { createHash } from 'node:crypto';
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSecretValue, digestSecretBytes, revealSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';

const value = 'hunter2-but-longer-0123456789';
const digest = `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;

describe('SecretValue', () => {
  const held = createSecretValue(value);

  it('has the sha256 digest of the UTF-8 value, equal for string and bytes', () => {
    expect(held.digest).toBe(digest);
    expect(digestSecretBytes(Buffer.from(value, 'utf8'))).toBe(digest);
  });

  const printers: Array<[string, (v: unknown) => string]> = [
    ['JSON.stringify', (v) => JSON.stringify(v)],
    ['JSON.stringify in an object', (v) => JSON.stringify({ nested: { v } })],
    ['String()', (v) => String(v)],
    ['template literal', (v) => `${v as string}`],
    ['util.inspect', (v) => inspect(v, { depth: 10, showHidden: true })],
    ['util.format %o (console.log)', (v) => format('%o', v)],
    ['util.format %j', (v) => format('%j', v)],
    ['Object.entries', (v) => JSON.stringify(Object.entries(v as object))],
    ['spread', (v) => JSON.stringify({ ...(v as object) })],
    ['structuredClone', (v) => JSON.stringify(structuredClone(v))],
  ];
  it.each(printers)('prints only the digest through %s', (_name, print) => {
    const text = print(held);
    expect(text).not.toContain(value);
  });

  it('gives the value back to adapters through revealSecretValue only', () => {
    expect(revealSecretValue(held)).toBe(value);
    expect(() => revealSecretValue({ digest })).toThrow(/not held by the secrets adapter/);
  });
});
