/**
 * Each Lambda function's bundle (infra/bundle.ts: esbuild ESM, minified, tree-shaken, @aws-sdk from
 * the nodejs22.x runtime) — size on disk and gzipped, and cold import time in a fresh Node process
 * (median of 5; the @aws-sdk clients a bundle imports load from node_modules, as the runtime loads
 * its own copy). Targets (issue 6): under 1.5 MB and under 300 ms. Reports, never fails on a number.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { bundleHandler, handlerNames } from '../../infra/bundle.ts';

const runs = 5;
const sizeTarget = 1.5 * 1000 * 1000;
const importTargetMs = 300;

function coldImportMs(file: string): number {
  const script = `const t = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const run = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`import of ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

console.log(`function            bundle     gzip   cold import (median of ${runs})   targets < ${(sizeTarget / 1e6).toFixed(1)} MB, < ${importTargetMs} ms`);
for (const name of handlerNames) {
  const started = performance.now();
  const bundle = bundleHandler(name);
  const buildMs = performance.now() - started;
  const gzip = gzipSync(readFileSync(bundle.file)).length;
  const times = Array.from({ length: runs }, () => coldImportMs(bundle.file)).sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)] ?? Number.NaN;
  const verdict = `${bundle.bytes < sizeTarget ? 'size ok' : 'SIZE OVER'}, ${median < importTargetMs ? 'import ok' : 'IMPORT OVER'}`;
  console.log(`${name.padEnd(18)} ${(bundle.bytes / 1e6).toFixed(2).padStart(5)} MB ${(gzip / 1e3).toFixed(0).padStart(5)} KB   ${median.toFixed(0).padStart(4)} ms (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)})   built in ${buildMs.toFixed(0)} ms   ${verdict}`);
}
