#!/usr/bin/env node
// `regops`: runs the CLI built by infra/build-cli.ts (dist/cli/main.mjs, built at `npm ci` by
// package.json's `prepare`; `npm run build:cli` rebuilds it). Without a build it says so and runs the
// TypeScript source through tsx's loader, about 1.8 s slower a start (issue 12).
// the AWS SDK warns on Node 20 about SDK releases after January 2027; regops pins its SDK versions,
// so the notice says nothing about this command and buries its output
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const built = new URL('../dist/cli/main.mjs', import.meta.url);
let main;
try {
  main = await import(built.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(built.pathname)) throw error;
  process.stderr.write('regops: no build at dist/cli/main.mjs (npm run build:cli makes it); running the TypeScript source, slower\n');
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../functions/cli/main.ts');
}
process.exitCode = await main.runRegops(process.argv.slice(2));
