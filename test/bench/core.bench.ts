// Core render + validate over a generated 1,000-cluster fleet: ms per cluster per stage and peak RSS.
// Target (issue 2): render+validate+diff under 2 ms per cluster, under 300 MB peak. Figures are
// printed, never asserted (shared, noisy machines). Stages are in core-stages.ts.
import { runCheckStage, runRenderStage, runValidateStage } from './core-stages.ts';
import { generateFleetSnapshot } from './generate-fleet.ts';

const CLUSTERS = Number(process.env['BENCH_CLUSTERS'] ?? 1000);
const RUNS = 7;
const now = new Date('2027-01-01T00:00:00Z');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

const snapshot = generateFleetSnapshot(CLUSTERS);
const sizeKb = snapshot.files.reduce((sum, f) => sum + f.content.length, 0) / 1024;
console.log(`fleet: ${CLUSTERS} clusters, ${snapshot.files.length} files, ${sizeKb.toFixed(0)} KiB of YAML`);

// one warm-up run compiles the schemas and lets the JIT settle
const warm = runValidateStage(snapshot, now);
const errors = warm.diagnostics.filter((d) => d.severity === 'error');
console.log(`diagnostics: ${errors.length} errors, ${warm.diagnostics.length - errors.length} warnings (expected 0 errors)`);

const render: number[] = [];
const check: number[] = [];
const validate: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const rendered = time(() => runRenderStage(snapshot));
  render.push(rendered.ms);
  check.push(time(() => runCheckStage(rendered.value.clusters)).ms);
  validate.push(time(() => runValidateStage(snapshot, now)).ms);
}

const perCluster = (ms: number) => `${(ms / CLUSTERS).toFixed(3)} ms/cluster`;
console.log(`render (parse + merge layers):          median ${median(render).toFixed(1)} ms  ${perCluster(median(render))}`);
console.log(`schemas + registry rules:               median ${median(check).toFixed(1)} ms  ${perCluster(median(check))}`);
console.log(`validateRepository (render + validate): median ${median(validate).toFixed(1)} ms  ${perCluster(median(validate))}`);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS: ${rss.toFixed(0)} MB (heap used now ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB)`);
