// CA fixtures are committed PEMs made once with openssl (test/fixtures/cas/README.md): core tests do
// not shell out. `now` is fixed relative to their validity dates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCaBundle, parseCaKey } from '../../../functions/core/ca-bundle.ts';

const cas = join(import.meta.dirname, '../../fixtures/cas');
const pem = (name: string) => readFileSync(join(cas, `${name}.pem`), 'utf8');
// expiring.pem is valid until 2027-01-04T16:47:59Z: exactly 10 days after this moment
const now = new Date('2026-12-25T16:47:59Z');
const check = (name: string, content: string) => checkCaBundle({ path: `config/base/trusted-cas/${name}`, content }, now);

describe('checkCaBundle', () => {
  it.each([
    { name: 'a valid CA', file: 'registry.example.com..5000.pem', content: pem('valid'), expected: [] },
    { name: 'an expired CA', file: 'registry.example.com.pem', content: pem('expired'), expected: [['ca.expired', 'error', 1]] },
    { name: 'a CA expiring in 10 days', file: 'registry.example.com.pem', content: pem('expiring'), expected: [['ca.expiring', 'warning', 1]] },
    { name: 'a bundle: valid then expired', file: 'registry.example.com.pem', content: pem('valid') + pem('expired'), expected: [['ca.expired', 'error', 13]] },
    { name: 'not PEM at all', file: 'registry.example.com.pem', content: 'hello\n', expected: [['ca.not-a-certificate', 'error', 1]] },
    { name: 'text after the certificate', file: 'registry.example.com.pem', content: `${pem('valid')}# trailing note\n`, expected: [['ca.not-a-certificate', 'error', 13]] },
    { name: 'a broken certificate body', file: 'registry.example.com.pem', content: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', expected: [['ca.not-a-certificate', 'error', 1]] },
    { name: 'an empty file', file: 'registry.example.com.pem', content: '', expected: [['ca.not-a-certificate', 'error', 1]] },
    { name: 'a bad file name', file: 'Registry_Example.pem', content: pem('valid'), expected: [['ca.file-name', 'error', 1]] },
  ])('$name', ({ file, content, expected }) => {
    const diagnostics = check(file, content);
    expect(diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual(expected);
    for (const d of diagnostics) expect(d.hint).not.toBe('');
  });

  it('says how many days remain', () => {
    expect(check('r.example.com.pem', pem('expiring'))[0]?.message).toContain('expires in 10 days');
  });
});

describe('parseCaKey', () => {
  it.each([
    ['registry.example.com', { host: 'registry.example.com' }],
    ['registry.example.com..5000', { host: 'registry.example.com', port: 5000 }],
    ['10.0.0.1..443', { host: '10.0.0.1', port: 443 }],
    ['localhost', { host: 'localhost' }],
    ['registry.example.com..0', undefined],
    ['registry.example.com..65536', undefined],
    ['registry.example.com:5000', undefined],
    ['-bad.example.com', undefined],
    ['Upper.Example.com', undefined],
    ['registry..example.com..5000', undefined],
  ])('%s', (key, expected) => {
    expect(parseCaKey(key)).toEqual(expected);
  });
});
