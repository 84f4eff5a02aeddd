/**
 * Bundles each Lambda handler with esbuild (ESM, tree-shaken, minified, production dependencies
 * only, the AWS SDK clients included) into cdk.out/bundles/<name>/: index.mjs and the chunks it
 * imports on first use (code splitting: the SDK clients and the cluster/GitHub clients load when the
 * first invocation needs them, not at a cold start). `cdk synth` needs neither Docker nor a network.
 * `npx tsx infra/bundle.ts` bundles all handlers and prints their sizes; `--analyze [NAME…]` prints
 * what fills each bundle, file by file (esbuild's metafile analysis).
 *
 * Budget: 1.5 MB per function, entry and chunks (issue 14 item 9; test/infra/bundle-budget.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { analyzeMetafile, build, type BuildOptions, type Plugin } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const handlerNames = ['github-webhook', 'plan-waves', 'reconcile-cluster', 'drift-scan', 'publish-report'] as const;
export type HandlerName = (typeof handlerNames)[number];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of client-node, the AWS SDK and octokit still call require() for node built-ins
// ("Dynamic require of 'stream' is not supported" without it; docs/toolchain-facts.md "S3 and AWS").
const requireBanner = "import { createRequire as __regopsCreateRequire } from 'node:module'; const require = __regopsCreateRequire(import.meta.url);";

/** A function bundle's size limit, entry and chunks together (issue 14 item 9). */
export const bundleBudgetBytes = 1_500_000;

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
  /** the source files with code in the bundle (esbuild metafile, paths relative to the repository) */
  modules: string[];
}

/**
 * client-node's generated code (dist/gen/: the 0.35 MB of API model classes, the API classes, the
 * request machinery) has no module side effects: the models' top-level statements only assign
 * static fields of their own classes (test/infra/bundle-budget.test.ts checks every file). The
 * package does not declare it (no `sideEffects` in its package.json), so esbuild keeps every model
 * that dist/config.js reaches through its import of gen/index.js, used or not. This tells esbuild,
 * so only the classes regops' code uses stay (kube-cluster-client.ts uses no model).
 */
const clientNodeGeneratedCodeIsPure: Plugin = {
  name: 'client-node-generated-code-is-pure',
  setup(bundle) {
    // the generated files import each other by relative paths with their extension (`./models/all.js`)
    bundle.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!clientNodeDist.test(args.importer)) return undefined;
      const path = resolve(args.resolveDir, args.path);
      return clientNodeGenerated.test(path) && existsSync(path) ? { path, sideEffects: false } : undefined;
    });
  },
};
const clientNodeDist = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/;
const clientNodeGenerated = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]gen[\\/]/;

/**
 * Packages the function bundles leave out, each replaced by a module that throws ShimReachedError
 * (infra/shims/shim-reached-error.ts) if ever called: code no function path can run, dragged in by
 * the imports of what they do use. Not applied to the CLI build (infra/build-cli.ts), whose
 * kubeconfig files and users need js-yaml and the auth providers.
 */
export const functionShims: Readonly<Record<string, string>> = {
  // client-node's kubeconfig text parser: the functions call KubeConfig.loadFromOptions only
  'js-yaml': join(repoRoot, 'infra', 'shims', 'js-yaml.ts'),
  // client-node's azure/gcp and oidc auth providers: the functions' users hold a bearer token only
  'jsonpath-plus': join(repoRoot, 'infra', 'shims', 'jsonpath-plus.ts'),
  'openid-client': join(repoRoot, 'infra', 'shims', 'openid-client.ts'),
  // @aws-sdk/core's browser user-agent parser, a dynamic import the Node runtime config never makes
  bowser: join(repoRoot, 'infra', 'shims', 'bowser.ts'),
};

/**
 * esbuild options of the function bundles (and of the bundle smoke tests that run their code): `outfile` is
 * the entry module; its chunks go beside it under chunks/. Async builds only (a plugin). `cli: true`
 * gives the settings the CLI build shares (infra/build-cli.ts): no function shims, the default package entry points.
 */
export function bundleOptions(entry: string, outfile: string, { cli = false }: { cli?: boolean } = {}): BuildOptions {
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
    // `module` first for the functions: the AWS SDK and @smithy packages list it before `node` in
    // their exports, and it selects their ES modules (dist-es), which esbuild tree-shakes; `node`
    // selects CommonJS (dist-cjs), kept whole: 0.13 MB more per function (CBOR, event streams, …)
    conditions: cli ? ['node', 'import'] : ['module', 'node', 'import'],
    mainFields: ['module', 'main'],
    banner: { js: requireBanner },
    // The AWS SDK clients are bundled, not taken from the runtime: the nodejs22.x runtime ships an
    // SDK v3 of its own choosing, not the version in package-lock.json that the tests ran (issue 14
    // item 9). Split into first-use chunks, they cost no cold-start time.
    alias: { 'whatwg-url': join(repoRoot, 'infra', 'shims', 'whatwg-url.ts'), ...(cli ? {} : functionShims) },
    plugins: [clientNodeGeneratedCodeIsPure],
    logLevel: 'error',
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Bundles handlers in this process; returns the folders to hand to `lambda.Code.fromAsset`. */
export async function buildHandlerBundles(names: readonly HandlerName[] = handlerNames, outRoot = join(repoRoot, 'cdk.out', 'bundles')): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const name of names) {
    const dir = join(outRoot, name);
    const file = join(dir, 'index.mjs');
    const built = await build({ ...bundleOptions(join(repoRoot, 'functions', 'handlers', `${name}.ts`), file), metafile: true });
    // chunk names carry a content hash: chunks of an earlier build must not ship. Removed after the
    // build, not before, so a test importing this folder in another process never misses a file.
    const written = new Set(Object.keys(built.metafile.outputs).map((output) => resolve(output)));
    for (const stale of listFiles(dir).filter((f) => !written.has(resolve(f)))) rmSync(stale, { force: true });
    const files = listFiles(dir);
    const modules = new Set(Object.values(built.metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => relative(repoRoot, resolve(path)))));
    results.push({ name, dir, file, files, entryBytes: statSync(file).size, bytes: files.reduce((sum, f) => sum + statSync(f).size, 0), modules: [...modules].sort() });
  }
  return results;
}

/**
 * Bundles one handler, synchronously for the stack (a construct cannot await: infra/regops-stack.ts).
 * esbuild runs plugins in its async API only, so the build runs in a child Node process, as CDK's
 * own NodejsFunction runs esbuild.
 */
export function bundleHandler(name: HandlerName, outRoot = join(repoRoot, 'cdk.out', 'bundles')): BundleResult {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const run = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url), '--json', resolve(outRoot), name], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`bundle of ${name}: esbuild failed (exit ${String(run.status)}): ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as BundleResult[];
  if (result === undefined) throw new Error(`bundle of ${name}: the bundling process reported no result`);
  return result;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [flag, ...rest] = process.argv.slice(2);
  const known = (names: string[]): HandlerName[] => names.filter((n): n is HandlerName => (handlerNames as readonly string[]).includes(n));
  const [outRoot, ...names] = rest;
  if (flag === '--json' && outRoot !== undefined) {
    process.stdout.write(JSON.stringify(await buildHandlerBundles(known(names), outRoot)));
  } else if (flag === '--analyze') {
    // what fills each bundle, file by file, largest first (esbuild's metafile analysis), nothing written
    for (const name of rest.length > 0 ? known(rest) : handlerNames) {
      const built = await build({ ...bundleOptions(join(repoRoot, 'functions', 'handlers', `${name}.ts`), join(repoRoot, 'cdk.out', 'bundles', name, 'index.mjs')), metafile: true, write: false });
      console.log(`${name}:${await analyzeMetafile(built.metafile)}`);
    }
  } else {
    for (const result of await buildHandlerBundles()) {
      console.log(`${result.name.padEnd(18)} ${(result.bytes / 1024).toFixed(0).padStart(6)} KiB (entry ${(result.entryBytes / 1024).toFixed(0)} KiB, ${result.files.length} files)  ${result.dir}`);
    }
  }
}
