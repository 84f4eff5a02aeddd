/**
 * What the function bundles (infra/bundle.ts) carry of the AWS SDK (issue 14 items 8 and 9):
 * - the SDK clients are bundled, at the versions in package-lock.json that the tests ran, not taken
 *   from whatever SDK the Lambda runtime ships: no bundle file imports `@aws-sdk/…` at run time, and
 *   each client's package.json, which the SDK embeds for its user agent, names the installed version;
 * - they load on first use: the entry module a cold start imports holds no SDK client; the chunks do.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleHandler, type HandlerName } from '../../infra/bundle.ts';

const require = createRequire(import.meta.url);
const installedVersion = (pkg: string): string => (require(`${pkg}/package.json`) as { version: string }).version;

/** The SDK clients each function's code constructs (handlers/wiring/*.ts). */
const clientsOf: Record<HandlerName, string[]> = {
  // S3: the approval records a press of "Approve wave" reads (handlers/wiring/approval-ports.ts)
  'github-webhook': ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sfn'],
  'plan-waves': ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager'],
  'reconcile-cluster': ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'],
  'drift-scan': ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'],
  'publish-report': ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager'],
};

/** `{name:"@aws-sdk/client-s3",version:"3.1175.0",` as esbuild minifies an imported package.json. */
const embeddedVersions = (code: string, pkg: string): string[] => [...code.matchAll(new RegExp(`name:"${pkg.replace('/', '\\/')}",version:"([^"]+)"`, 'g'))].map((m) => m[1] ?? '');

describe('AWS SDK in the function bundles', { timeout: 120_000 }, () => {
  it.each(Object.entries(clientsOf))('%s bundles the SDK clients it uses at the installed versions, loaded on first use', (name, clients) => {
    const bundle = bundleHandler(name as HandlerName, join('cdk.out', 'test-bundles'));
    const code = bundle.files.map((file) => readFileSync(file, 'utf8'));
    const all = code.join('\n');
    expect(all.match(/(?:from|import\()\s*"@aws-sdk\/[^"]+"/g) ?? []).toEqual([]);
    for (const pkg of clients) expect([...new Set(embeddedVersions(all, pkg))], pkg).toEqual([installedVersion(pkg)]);
    if (name === 'reconcile-cluster' || name === 'drift-scan') {
      const entry = readFileSync(bundle.file, 'utf8');
      for (const pkg of clients) expect(embeddedVersions(entry, pkg), `${pkg} in the entry module`).toEqual([]);
    }
  });
});
