import { describe, expect, it } from 'vitest';
import { maskSecret, scanForSecrets } from '../../../functions/core/secret-scan.ts';

// Test values are synthetic: AWS's documented example key ids and made-up strings, never real keys.
const fakeSecretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const fakeGithubToken = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;

describe('scanForSecrets', () => {
  it.each([
    { name: 'AWS access key id', line: 'accessKey: AKIAIOSFODNN7EXAMPLE', code: 'secret.aws-access-key-id', col: 12 },
    { name: 'AWS session key id', line: '  id: "ASIAIOSFODNN7EXAMPLE"', code: 'secret.aws-access-key-id', col: 8 },
    { name: 'AWS secret key by name', line: `aws_secret_access_key = ${fakeSecretKey}`, code: 'secret.aws-secret-key', col: 25 },
    { name: 'secretAccessKey in YAML', line: `    secretAccessKey: ${fakeSecretKey}`, code: 'secret.aws-secret-key', col: 22 },
    { name: 'PEM private key', line: '-----BEGIN RSA PRIVATE KEY-----', code: 'secret.private-key', col: 1 },
    { name: 'PKCS#8 private key', line: '-----BEGIN PRIVATE KEY-----', code: 'secret.private-key', col: 1 },
    { name: 'GitHub token', line: `token-ref: ${fakeGithubToken}`, code: 'secret.github-token', col: 12 },
    { name: 'GitHub fine-grained token', line: 'x: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', code: 'secret.github-token', col: 4 },
    { name: 'password literal', line: '  password: hunter2', code: 'secret.literal', col: 13 },
    { name: 'token literal in a list item', line: '  - token: "s3cr3t-value"', code: 'secret.literal', col: 13 },
    { name: 'registry storage key', line: 'REGISTRY_STORAGE_S3_SECRETKEY: abcdef', code: 'secret.registry-storage-key', col: 32 },
  ])('finds $name', ({ line, code, col }) => {
    const diagnostics = scanForSecrets({ path: 'config/x.yaml', content: `a: 1\n${line}\n` });
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toContainEqual([code, 2, col]);
  });

  it.each([
    ['references are not secrets', 'secretsManager:\n  secretId: regops/x/registry-s3\n  accessKeyIdKey: accessKeyId\n'],
    ['route secret names are not secrets', 'routes:\n  - name: r\n    secretName: my-tls\n'],
    ['an empty or null password is not a secret', 'password: ""\ntoken: null\n'],
    ['certificates are public', '-----BEGIN CERTIFICATE-----\nAKIAIOSFODNN7EXAMPLEAKIAIOSFODNN7EXAMPLE\n-----END CERTIFICATE-----\n'],
  ])('ignores: %s', (_name, content) => {
    expect(scanForSecrets({ path: 'f.yaml', content })).toEqual([]);
  });

  it('never echoes a value, at most a masked prefix', () => {
    const content = `password: correct-horse-battery\nkey: ${fakeSecretKey}\nsecretAccessKey: ${fakeSecretKey}\nREGISTRY_STORAGE_S3_SECRETKEY: tinyval\n`;
    const diagnostics = scanForSecrets({ path: 'f.yaml', content });
    expect(diagnostics.length).toBeGreaterThanOrEqual(3);
    for (const d of diagnostics) {
      const text = JSON.stringify(d);
      expect(text).not.toContain('correct-horse-battery');
      expect(text).not.toContain(fakeSecretKey);
      expect(text).not.toContain('tinyval');
    }
  });

  it.each([['AKIAIOSFODNN7EXAMPLE', 'AKIA…'], ['short', '…'], ['12345678', '…']])('masks %s as %s', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});
