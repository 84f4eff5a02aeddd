/**
 * Builds the `regops` CLI once, so it does not compile TypeScript at every start (tsx at run time
 * cost about 1.8 s of a 2.9 s `regops --help`, issue 12): esbuild bundles functions/cli/main.ts into
 * dist/cli/main.mjs, with code splitting, so each command's file (and the libraries only it needs:
 * client-node, the AWS SDK, octokit, the sandbox) is a chunk main.ts imports when that command is typed.
 * Runs at `npm ci` through package.json's `prepare`; bin/regops.mjs runs the build, or says it is
 * missing or older than an edit under functions/ (bin/source-stamp.mjs) and runs the TypeScript source. `npm run build:cli` rebuilds after an edit.
 * dist/cli sits two folders deep like functions/<layer>/, so code that finds the repository from
 * its own import.meta.url (functions/testbed/start-testbed.ts) finds the same root once bundled.
 */
import { rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSourceStamp } from '../bin/source-stamp.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles the CLI into `outdir` (default dist/cli); returns the entry file and the total size.
 * `stampOf` is the functions/ folder bin/regops.mjs compares the build with (source-stamp.json).
 */
export async function buildCli(outdir = join(repoRoot, 'dist', 'cli'), stampOf = join(repoRoot, 'functions')): Promise<{ entry: string; files: number; bytes: number }> {
  // imported here, not at the top: `npm ci --omit=dev` has no esbuild, and `prepare` must then pass
  const [{ build }, { bundleOptions }] = await Promise.all([import('esbuild'), import('./bundle.ts')]);
  rmSync(outdir, { recursive: true, force: true });
  // read before bundling: a file edited while esbuild runs is newer than the stamp, so bin calls the build stale
  const stamp = readSourceStamp(stampOf);
  // the Lambda bundles' settings (node20, ESM, minified, the require banner and the whatwg-url shim),
  // with the AWS SDK bundled too: a user's Node has no SDK preinstalled as the Lambda runtime has;
  // without the functions' shims (js-yaml, the auth providers): the CLI reads kubeconfig files
  const { outfile: _outfile, external: _external, ...shared } = bundleOptions(join(repoRoot, 'functions', 'cli', 'main.ts'), '', { cli: true });
  await build({
    ...shared,
    outdir,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    // the banner goes on every chunk; one require per process instead of one createRequire per chunk
    // (about 10 ms of a validate run): bundled code requires node built-ins only, the same from any file
    banner: { js: "import { createRequire as __regopsCreateRequire } from 'node:module'; const require = (globalThis.__regopsRequire ??= __regopsCreateRequire(import.meta.url));" },
  });
  writeFileSync(join(outdir, 'source-stamp.json'), `${JSON.stringify(stamp)}\n`);
  const files = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.mjs'));
  const bytes = files.reduce((sum, f) => sum + statSync(join(f.parentPath, f.name)).size, 0);
  return { entry: join(outdir, 'main.mjs'), files: files.length, bytes };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const esbuild = await import('esbuild').catch(() => undefined);
  if (esbuild === undefined) {
    console.log('regops CLI not built: esbuild is a dev dependency and is not installed; bin/regops.mjs runs the TypeScript source');
    process.exit(0);
  }
  const result = await buildCli();
  console.log(`regops CLI built: ${result.entry} and ${result.files - 1} chunks, ${(result.bytes / 1024).toFixed(0)} KiB, ${(performance.now() - started).toFixed(0)} ms`);
}
