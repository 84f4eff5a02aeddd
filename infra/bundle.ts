/**
 * Bundles each Lambda handler with esbuild (ESM, tree-shaken, minified, production dependencies
 * only) into cdk.out/bundles/<name>/index.mjs, so `cdk synth` needs neither Docker nor a network.
 * `npx tsx infra/bundle.ts` bundles all handlers and prints their sizes.
 */
import { buildSync, type BuildOptions } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const handlerNames = ['github-webhook', 'plan-waves', 'reconcile-cluster', 'drift-scan', 'publish-report'] as const;
export type HandlerName = (typeof handlerNames)[number];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of client-node, the AWS SDK and octokit still call require() for node built-ins
// ("Dynamic require of 'stream' is not supported" without it; toolchain.md "S3 and AWS").
const requireBanner = "import { createRequire as __regopsCreateRequire } from 'node:module'; const require = __regopsCreateRequire(import.meta.url);";

export interface BundleResult {
  name: HandlerName;
  dir: string;
  file: string;
  bytes: number;
}

/** esbuild options shared by every function bundle (and the bundle smoke test). */
export function bundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Lambda runs nodejs22.x; node20 syntax keeps the bundle importable by this machine's node for the benchmark.
    target: 'node20',
    minify: true,
    // error classes keep their names: Lambda reports `errorType` from error.name, and the state
    // machines' Retry/Catch and the check runs match on it (minified, RegopsError became "Je")
    keepNames: true,
    treeShaking: true,
    legalComments: 'none',
    conditions: ['node', 'import'],
    mainFields: ['module', 'main'],
    banner: { js: requireBanner },
    // the nodejs22.x runtime ships AWS SDK v3 (as CDK's NodejsFunction assumes by default); bundling
    // it again would add about half a megabyte to every function
    external: ['@aws-sdk/*'],
    alias: { 'whatwg-url': join(repoRoot, 'infra', 'shims', 'whatwg-url.ts') },
    logLevel: 'error',
  };
}

/** Bundles one handler; returns the folder to hand to `lambda.Code.fromAsset`. */
export function bundleHandler(name: HandlerName, outRoot = join(repoRoot, 'cdk.out', 'bundles')): BundleResult {
  const dir = join(outRoot, name);
  const file = join(dir, 'index.mjs');
  buildSync(bundleOptions(join(repoRoot, 'functions', 'handlers', `${name}.ts`), file));
  return { name, dir, file, bytes: statSync(file).size };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of handlerNames) {
    const result = bundleHandler(name);
    console.log(`${name.padEnd(18)} ${(result.bytes / 1024).toFixed(0).padStart(6)} KiB  ${result.file}`);
  }
}
