import { describe, expect, it } from 'vitest';
import { listSecretForms, redactSecrets, rememberSecret } from '../../../../functions/adapters/secrets/redact-secrets.ts';
import { createSecretValue, revealSecretSetting, revealSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';

const value = 'p@ss "w0rd"/é<&>+ 12345';
const json = JSON.stringify(value).slice(1, -1);
const b64 = Buffer.from(value).toString('base64');

describe('redactSecrets', () => {
  const cases: Array<{ name: string; echo: string }> = [
    { name: 'the value', echo: value },
    { name: 'JSON-escaped', echo: json },
    { name: "Go's JSON escaping of < > &", echo: json.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026') },
    { name: 'ASCII-only JSON', echo: json.replace('é', '\\u00e9') },
    { name: 'URL-encoded', echo: encodeURIComponent(value) },
    { name: 'form-encoded', echo: encodeURIComponent(value).replace(/%20/g, '+') },
    { name: 'base64 with padding', echo: b64 },
    { name: 'base64 without padding', echo: b64.replace(/=+$/, '') },
    { name: 'base64url', echo: Buffer.from(value).toString('base64url') },
    { name: 'a 9-character piece', echo: value.slice(5, 14) },
    { name: 'a piece of the base64', echo: b64.slice(4, 16) },
  ];
  it.each(cases)('finds $name in a server message', ({ echo }) => {
    const text = `Secret "x" is invalid: data[k]: Invalid value: "${echo}": too long`;
    const out = redactSecrets(text, [value]);
    expect(out).not.toContain(echo);
    expect(out).toMatch(/^Secret "x" is invalid: data\[k\]: Invalid value: "\[redacted sha256:[0-9a-f]{12}\]": too long$/);
  });

  it('lists each form once, the value first', () => {
    const forms = listSecretForms(value);
    expect(forms[0]).toBe(value);
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms).toContain(b64.replace(/=+$/, ''));
  });

  it('leaves text without the value, and pieces shorter than 8 characters, alone', () => {
    expect(redactSecrets('cluster lab-1: configs/cluster: patch rejected (Conflict)', [value])).toBe('cluster lab-1: configs/cluster: patch rejected (Conflict)');
    expect(redactSecrets(`short piece ${value.slice(0, 7)} stays`, [value])).toBe(`short piece ${value.slice(0, 7)} stays`);
  });

  it('redacts values revealed by the secrets adapter without being told (revealSecretValue remembers them)', () => {
    const held = createSecretValue('revealed-token-0123456789');
    expect(redactSecrets('echo: revealed-token-0123456789')).toBe('echo: revealed-token-0123456789');
    revealSecretValue(held);
    expect(redactSecrets('echo: revealed-token-0123456789')).toMatch(/^echo: \[redacted sha256:[0-9a-f]{12}\]$/);
  });

  it('a setting kept in a secret store (an API server address) is revealed without being remembered', () => {
    revealSecretSetting(createSecretValue('https://api.lab-9.example.com:6443'));
    expect(redactSecrets('connect https://api.lab-9.example.com:6443 refused')).toBe('connect https://api.lab-9.example.com:6443 refused');
  });

  it('a short value (4 to 7 characters) is redacted whole, never shorter ones', () => {
    rememberSecret('abc');
    rememberSecret('hunter');
    expect(redactSecrets('abc and hunter')).toMatch(/^abc and \[redacted sha256:[0-9a-f]{12}\]$/);
  });
});
