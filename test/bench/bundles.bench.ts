/**
 * Each Lambda function's bundle (infra/bundle.ts: esbuild ESM, minified, tree-shaken, the AWS SDK
 * clients bundled, code-split so clients load on first use) — the entry module a cold start loads,
 * the whole bundle, gzipped, and the cold import time of the entry in a fresh Node process on this
 * machine's Node 20 and on Node 22 (Lambda's nodejs22.x), median of 5: wall time, and the process's
 * CPU time (user + system), which a machine shared with other work inflates less; and the CPU of
 * importing the entry and every chunk, the most a first invocation loads. Targets (issue 6, issue 14
 * items 8 and 9): at most 1.5 MB (test/infra/bundle-budget.test.ts holds it) and under 300 ms.
 * Reports, never fails on a number.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { bundleBudgetBytes, bundleHandler, handlerNames } from '../../infra/bundle.ts';

const runs = 5;
const sizeTarget = bundleBudgetBytes;
const importTargetMs = 300;

// Lambda's nodejs22.x runtime: Node 22 from the npm registry's `node` package (a binary inside a
// registry package), pinned; this machine's Node 20 beside it.
const node22Package = 'node@22.23.3';

function node22Binary(): string | undefined {
  const run = spawnSync('npx', ['-y', '-p', node22Package, 'node', '-p', 'process.execPath'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/**
 * Imports `files` in order in a fresh process. A chunk that is a bundle shim (infra/shims) throws
 * ShimReachedError when loaded, by design: it is skipped, every other failure fails the benchmark.
 */
function coldImportMs(files: string[], nodeBinary: string): { wall: number; cpu: number } {
  const script = `const t = process.hrtime.bigint(); const c = process.cpuUsage(); for (const f of ${JSON.stringify(files.map((f) => pathToFileURL(f).href))}) { try { await import(f); } catch (e) { if (e?.code !== 'bundle.shim-reached') throw e; } } const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (u.user + u.system) / 1e3 }));`;
  const run = spawnSync(nodeBinary, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`import of ${files.join(', ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { wall: number; cpu: number };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

function medianImport(files: string[], nodeBinary: string): { wall: number; cpu: number } {
  const samples = Array.from({ length: runs }, () => coldImportMs(files, nodeBinary));
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

const node22 = node22Binary();
const nodes: Array<[string, string]> = [[`node ${process.version}`, process.execPath], ...(node22 === undefined ? [] : [[`node v${node22Package.slice(5)}`, node22] as [string, string]])];
if (node22 === undefined) console.log(`(Node 22 not measured: npx -p ${node22Package} failed)`);
console.log(`cold import of the entry = median of ${runs} fresh processes, wall / CPU; targets <= ${(sizeTarget / 1e6).toFixed(1)} MB, < ${importTargetMs} ms`);
console.log('first use = CPU of importing the entry and every chunk, the most a first invocation loads');
console.log(`function            entry     bundle   gzip   ${nodes.map(([label]) => label.padEnd(22)).join(' ')} ${nodes.map(([label]) => `first use ${label}`.padEnd(26)).join(' ')}`);
for (const name of handlerNames) {
  const bundle = bundleHandler(name);
  const gzip = bundle.files.reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0);
  const imports = nodes.map(([, binary]) => medianImport([bundle.file], binary));
  const firstUse = nodes.map(([, binary]) => medianImport([bundle.file, ...bundle.files.filter((f) => f !== bundle.file)], binary));
  const worstCpu = Math.max(...imports.map((i) => i.cpu));
  const verdict = `${bundle.bytes <= sizeTarget ? 'size ok' : 'SIZE OVER'}, ${worstCpu < importTargetMs ? 'import ok (CPU)' : 'IMPORT OVER (CPU)'}`;
  const columns = imports.map((i) => `${i.wall.toFixed(0).padStart(5)} / ${i.cpu.toFixed(0).padStart(4)} ms`.padEnd(22));
  const firstUseColumns = firstUse.map((i) => `${i.cpu.toFixed(0).padStart(4)} ms`.padEnd(26));
  console.log(`${name.padEnd(18)} ${(bundle.entryBytes / 1e6).toFixed(2).padStart(5)} MB ${(bundle.bytes / 1e6).toFixed(2).padStart(5)} MB ${(gzip / 1e3).toFixed(0).padStart(4)} KB   ${columns.join(' ')} ${firstUseColumns.join(' ')}   ${verdict}`);
}
