#!/usr/bin/env node
// `regops`: runs the CLI built by infra/build-cli.ts (dist/cli/main.mjs, built at `npm ci` by
// package.json's `prepare`; `npm run build:cli` rebuilds it). Without a build, or with one older
// than an edit under functions/ (bin/source-stamp.mjs), it says so in one line and runs the
// TypeScript source through tsx's loader, about 1.8 s slower a start (issue 12).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeStaleBuild, readSourceStamp } from './source-stamp.mjs';

// the AWS SDK warns on Node 20 about SDK releases after January 2027; regops pins its SDK versions,
// so the notice says nothing about this command and buries its output
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const built = new URL('../dist/cli/main.mjs', import.meta.url);
const source = fileURLToPath(new URL('../functions/', import.meta.url));

/** Why the build cannot run (one line), or undefined; no functions/ beside bin (an installed build alone) leaves the build as it is. */
function refuseBuild() {
  if (!existsSync(built)) return 'no build at dist/cli/main.mjs (npm run build:cli makes it)';
  if (!existsSync(source)) return undefined;
  const stampFile = new URL('../dist/cli/source-stamp.json', import.meta.url);
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined;
  const stale = describeStaleBuild(stamp, readSourceStamp(source));
  return stale === undefined ? undefined : `${stale} (npm run build:cli rebuilds it)`;
}

const refused = refuseBuild();
let main;
if (refused === undefined) {
  main = await import(built.href);
} else {
  process.stderr.write(`regops: ${refused}; running the TypeScript source, slower\n`);
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../functions/cli/main.ts');
}
process.exitCode = await main.runRegops(process.argv.slice(2));
