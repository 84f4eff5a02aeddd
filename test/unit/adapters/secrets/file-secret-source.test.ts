// The file-backed secret source (teams without AWS, the demo): JSON and env files, key selection,
// rotation seen at once, and errors that name the reference but never a value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSecretSource } from '../../../../functions/adapters/secrets/file-secret-source.ts';
import { SecretSourceRouter } from '../../../../functions/adapters/secrets/secret-source-router.ts';
import { revealSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';

const dir = mkdtempSync(join(tmpdir(), 'regops-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const jsonFile = join(dir, 'secrets.json');
const envFile = join(dir, 'secrets.env');
const values = { accessKeyId: 'AKIAFILEEXAMPLE00001', secretAccessKey: 'file/secret+access=key0123' };
writeFileSync(jsonFile, JSON.stringify({ 'regops/lab-1/registry-s3': values, 'regops/lab-1/as-text': JSON.stringify(values), token: 'plain-token-value-1' }));
writeFileSync(envFile, `# comment\nexport TOKEN="quoted token value"\nPLAIN=plain=with=equals\n\n`);

describe('FileSecretSource', () => {
  const cases = [
    { name: 'a key of a JSON object entry', file: jsonFile, ref: { source: 'file' as const, id: 'regops/lab-1/registry-s3', key: 'secretAccessKey' }, expected: values.secretAccessKey },
    { name: 'a key of a JSON string entry', file: jsonFile, ref: { source: 'file' as const, id: 'regops/lab-1/as-text', key: 'accessKeyId' }, expected: values.accessKeyId },
    { name: 'a whole string entry', file: jsonFile, ref: { source: 'file' as const, id: 'token' }, expected: 'plain-token-value-1' },
    { name: 'a quoted env line with export', file: envFile, ref: { source: 'file' as const, id: 'TOKEN' }, expected: 'quoted token value' },
    { name: 'an env value holding =', file: envFile, ref: { source: 'file' as const, id: 'PLAIN' }, expected: 'plain=with=equals' },
  ];
  it.each(cases)('resolves $name', async ({ file, ref, expected }) => {
    expect(revealSecretValue(await new FileSecretSource(file).resolve(ref))).toBe(expected);
  });

  it('sees a rotated value at the next resolve', async () => {
    const file = join(dir, 'rotating.json');
    const source = new FileSecretSource(file);
    writeFileSync(file, JSON.stringify({ k: 'first-value' }));
    const first = await source.resolve({ source: 'file', id: 'k' });
    writeFileSync(file, JSON.stringify({ k: 'second-value' }));
    const second = await source.resolve({ source: 'file', id: 'k' });
    expect(first.digest).not.toBe(second.digest);
  });

  const failures = [
    { name: 'a missing entry', file: jsonFile, ref: { source: 'file' as const, id: 'nope' }, code: 'secret.not-found' },
    { name: 'a missing key', file: jsonFile, ref: { source: 'file' as const, id: 'regops/lab-1/registry-s3', key: 'password' }, code: 'secret.key-not-found' },
    { name: 'a key of a plain string', file: jsonFile, ref: { source: 'file' as const, id: 'token', key: 'x' }, code: 'secret.invalid' },
    { name: 'a missing file', file: join(dir, 'absent.json'), ref: { source: 'file' as const, id: 'x' }, code: 'secret.unreachable' },
  ];
  it.each(failures)('refuses $name with $code, printing no value', async ({ file, ref, code }) => {
    const error = await new FileSecretSource(file).resolve(ref).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    const printed = inspect(error, { depth: 10 });
    for (const secret of [...Object.values(values), 'plain-token-value-1']) expect(printed).not.toContain(secret);
  });

  it('names the keys present but not their values when a key is missing', async () => {
    const error = await new FileSecretSource(jsonFile).resolve({ source: 'file', id: 'regops/lab-1/registry-s3', key: 'password' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('secret file regops/lab-1/registry-s3 key password: no key "password" (keys: accessKeyId, secretAccessKey)');
  });

  it.each(['__proto__', 'constructor', 'toString'])('refuses the key %s that the secret does not hold (it used to resolve to "{}" or nothing)', async (key) => {
    const attempt = new FileSecretSource(jsonFile).resolve({ source: 'file', id: 'regops/lab-1/registry-s3', key });
    await expect(attempt).rejects.toMatchObject({ code: 'secret.key-not-found', message: `secret file regops/lab-1/registry-s3 key ${key}: no key "${key}" (keys: accessKeyId, secretAccessKey)` });
    const entry = new FileSecretSource(jsonFile).resolve({ source: 'file', id: key });
    await expect(entry).rejects.toMatchObject({ code: 'secret.not-found' });
  });

  it('resolves entries and keys named __proto__ when the file does hold them', async () => {
    const file = join(dir, 'proto.json');
    writeFileSync(file, '{"__proto__": {"__proto__": "proto-key-value"}}');
    expect(revealSecretValue(await new FileSecretSource(file).resolve({ source: 'file', id: '__proto__', key: '__proto__' }))).toBe('proto-key-value');
    const env = join(dir, 'proto.env');
    writeFileSync(env, '__proto__=env-proto-value\n');
    expect(revealSecretValue(await new FileSecretSource(env).resolve({ source: 'file', id: '__proto__' }))).toBe('env-proto-value');
  });

  it('refuses a JSON file that does not parse without quoting it', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"k": "leaky-secret-text", oops}');
    const error = await new FileSecretSource(file).resolve({ source: 'file', id: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'secret.invalid' });
    expect(inspect(error, { depth: 10 })).not.toContain('leaky-secret-text');
  });
});

describe('SecretSourceRouter', () => {
  it('routes by source and refuses a source not configured', async () => {
    const router = new SecretSourceRouter({ file: new FileSecretSource(jsonFile) });
    expect(revealSecretValue(await router.resolve({ source: 'file', id: 'token' }))).toBe('plain-token-value-1');
    await expect(router.resolve({ source: 'ssm', id: '/x' })).rejects.toMatchObject({ code: 'secret.no-source', message: 'secret ssm /x: no ssm secret source is configured here (configured: file)' });
  });
});
