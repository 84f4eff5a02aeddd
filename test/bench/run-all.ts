// `npm run bench`: runs every test/bench/*.bench.ts in its own fresh Node process, one after the
// other (so peak-memory figures are per benchmark and runs don't disturb each other), and prints
// their figures. Benchmarks report; they never fail on a number (machines here are shared and noisy).
// Pass names to run a subset: `npm run bench -- drift sandbox`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`(${file} exited ${run.status ?? run.signal})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
