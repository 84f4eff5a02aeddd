/**
 * Bundles each Lambda handler with esbuild (ESM, tree-shaken, minified, production dependencies
 * only, the AWS SDK clients included) into cdk.out/bundles/<name>/: index.mjs and the chunks it
 * imports on first use (code splitting: the SDK clients and the cluster/GitHub clients load when the
 * first invocation needs them, not at a cold start). `cdk synth` needs neither Docker nor a network.
 * `npx tsx infra/bundle.ts` bundles all handlers and prints their sizes.
 */
import { buildSync, type BuildOptions } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const handlerNames = ['github-webhook', 'plan-waves', 'reconcile-cluster', 'drift-scan', 'publish-report'] as const;
export type HandlerName = (typeof handlerNames)[number];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of client-node, the AWS SDK and octokit still call require() for node built-ins
// ("Dynamic require of 'stream' is not supported" without it; docs/toolchain-facts.md "S3 and AWS").
const requireBanner = "import { createRequire as __regopsCreateRequire } from 'node:module'; const require = __regopsCreateRequire(import.meta.url);";

export interface BundleResult {
  name: HandlerName;
  dir: string;
  /** the entry module (index.mjs) */
  file: string;
  /** every file of the bundle: the entry and its chunks */
  files: string[];
  /** the entry module's size: what a cold start loads */
  entryBytes: number;
  /** the whole bundle: what the function's package holds */
  bytes: number;
}

/**
 * esbuild options shared by every function bundle (and the bundle smoke test): `outfile` is the entry
 * module; its chunks go beside it under chunks/.
 */
export function bundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outdir: dirname(outfile),
    entryNames: basename(outfile, extname(outfile)),
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // dynamic imports (handlers/wiring/aws-sdk-adapters.ts, cluster-access-clients.ts) become chunks
    // loaded on first use: a cold start parses only what the handler needs at import (issue 14 item 8)
    splitting: true,
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
    // The AWS SDK clients are bundled, not taken from the runtime: the nodejs22.x runtime ships an
    // SDK v3 of its own choosing, not the version in package-lock.json that the tests ran (issue 14
    // item 9). Split into first-use chunks, they cost no cold-start time.
    alias: { 'whatwg-url': join(repoRoot, 'infra', 'shims', 'whatwg-url.ts') },
    logLevel: 'error',
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Bundles one handler; returns the folder to hand to `lambda.Code.fromAsset`. */
export function bundleHandler(name: HandlerName, outRoot = join(repoRoot, 'cdk.out', 'bundles')): BundleResult {
  const dir = join(outRoot, name);
  const file = join(dir, 'index.mjs');
  const built = buildSync({ ...bundleOptions(join(repoRoot, 'functions', 'handlers', `${name}.ts`), file), metafile: true });
  // chunk names carry a content hash: chunks of an earlier build must not ship. Removed after the
  // build, not before, so a test importing this folder in another process never misses a file.
  const written = new Set(Object.keys(built.metafile.outputs).map((output) => resolve(output)));
  for (const stale of listFiles(dir).filter((f) => !written.has(resolve(f)))) rmSync(stale, { force: true });
  const files = listFiles(dir);
  return { name, dir, file, files, entryBytes: statSync(file).size, bytes: files.reduce((sum, f) => sum + statSync(f).size, 0) };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of handlerNames) {
    const result = bundleHandler(name);
    console.log(`${name.padEnd(18)} ${(result.bytes / 1024).toFixed(0).padStart(6)} KiB (entry ${(result.entryBytes / 1024).toFixed(0)} KiB, ${result.files.length} files)  ${result.dir}`);
  }
}
