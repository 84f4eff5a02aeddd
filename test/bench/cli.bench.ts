/**
 * The `regops` CLI as a user runs it, whole processes side by side with kubectl in one run (issue 12):
 *   1. `regops --help` against `kubectl version --client` (target: regops ≤ 2× kubectl), runs
 *      alternating A B A B so a machine that slows down mid-run slows both; `node -e 0` as the
 *      floor no Node program starts under; also the TypeScript
 *      source run through tsx, which is what `regops` ran before the build (the "before" figure);
 *   2. `regops validate` on config/ (target < 0.5 s);
 *   3. `regops drift` over N sandbox clusters with 20 ms added to every request (after a `regops
 *      apply` that brought them to Git and wrote the inventory), against a kubectl loop reading the
 *      same objects (the two regops reads for a fleet that sets only the registry Config: the Config,
 *      whose inventory names nothing else, and the image-registry ClusterOperator;
 *      engine/plan-live-cluster.ts, engine/scan-drift.ts), both in one `kubectl get` per cluster,
 *      the cheapest form a loop has, sequential and 8-way
 *      parallel (targets at 100 clusters: ≥ 20× and ≥ 8×). At 1,000 clusters regops is MEASURED and
 *      the sequential loop EXTRAPOLATED (target ≥ 100×): kubectl is run, sequentially, on a sample of
 *      the 1,000-cluster fleet (50 clusters spread over it) and its mean time per cluster × 1,000 is
 *      the loop. The sample is of the large fleet because kubectl parses the whole kubeconfig at
 *      every start, one context per cluster (1.8 MB at 1,000): measured by hand, one call costs
 *      ~390 ms with it against ~220 ms with a 100-cluster one, so the small fleet's per-cluster time
 *      (the extrapolation used before, still printed) under-states the loop by about 1.8×.
 *      regops drift runs at its default concurrency, 50 clusters at once (engine/scan-drift.ts; README:
 *      `--concurrency`), as a user runs it. Beside it, the floor for any Node CLI: a fresh Node process
 *      doing only the same GETs through node:https (bare-scan.ts), its scan timed without start-up.
 *      REGOPS_BENCH_PROFILE=1 adds one run under `node --cpu-prof`, summarized (profile-summary.ts).
 * kubectl's discovery cache is warmed by one untimed pass first (as on a workstation that used
 * these contexts before), so the loops pay for their GETs and process starts, not for discovery.
 * The CLI is built fresh into a temporary folder (infra/build-cli.ts) beside copies of bin/ and functions/,
 * so the figures are the build's, never a stale dist/. The sandbox runs in its own process.
 * Figures are printed, never asserted (shared, noisy machines): medians of the runs, with min–max.
 * Run: npx tsx test/bench/cli.bench.ts [clusters=100] [latencyMs=20] [large=1000] [kubectlSample=50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildCli } from '../../infra/build-cli.ts';
import { formatProfileSummary, type CpuProfile } from './profile-summary.ts';

interface SandboxProcess {
  clusters: string[];
  setLatency(latencyMs: number): Promise<void>;
  reads(): Promise<number>;
  stop(): void;
}

/** Starts the sandbox (N generated clusters) in its own Node process; resolves once it says where it is. */
async function startSandboxProcess(clusters: number, kubeconfigPath: string): Promise<SandboxProcess> {
  const entry = resolve('functions/sandbox/index.ts');
  const code = `const { startSandbox } = await import(${JSON.stringify(entry)});
const sb = await startSandbox({ clusters: ${clusters}, kubeconfigPath: ${JSON.stringify(kubeconfigPath)}, progressingMs: 50 });
process.stdout.write(JSON.stringify({ url: sb.url, caPem: sb.caPem, clusters: sb.clusters, adminToken: sb.adminToken }) + '\\n');
process.stdin.resume(); process.stdin.on('end', () => sb.stop().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done);
    child.once('exit', (status) => fail(new Error(`sandbox process exited ${String(status)}`)));
  });
  const info = JSON.parse(first) as { url: string; caPem: string; clusters: string[]; adminToken?: string };
  // the control endpoints take the sandbox's admin token where it has one
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(info.adminToken === undefined ? {} : { authorization: `Bearer ${info.adminToken}` }) };
  const call = (method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> =>
    new Promise((done, fail) => {
      // a fresh connection each call: a kept-alive socket the sandbox closed meanwhile would hang up
      const req = request(`${info.url}${path}`, { method, agent: false, ca: info.caPem, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? done(JSON.parse(text) as unknown) : fail(new Error(`sandbox ${method} ${path}: ${String(res.statusCode)} ${text}`))));
      });
      req.on('error', fail);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return {
    clusters: info.clusters,
    setLatency: async (latencyMs) => {
      for (const name of info.clusters) await call('POST', `/_sandbox/faults/${name}`, { latencyMs });
    },
    reads: async () => ((await call('GET', '/_sandbox/status')) as { clusters: Array<{ reads: number }> }).clusters.reduce((sum, c) => sum + c.reads, 0),
    stop: () => child.stdin.end(),
  };
}

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc/self/stat (cutime and
 * cstime, fields 16 and 17, in 10 ms ticks; Linux only, undefined elsewhere). On a machine shared
 * with other work, wall time mostly measures waiting for a core; CPU time is what a run costs, and
 * about its wall time on an idle machine (these commands use one thread).
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Wall and CPU milliseconds of one whole process (start to exit), and its exit code. */
function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; cpuMs: number; status: number | null; stderr: string } {
  const cpuBefore = childrenCpuMs() ?? 0;
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, cpuMs: (childrenCpuMs() ?? 0) - cpuBefore, status: run.status, stderr: run.stderr };
}

/** Runs `count` jobs with at most `width` at once; resolves when all are done. */
async function runPool(count: number, width: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) await job(next++);
  }));
}

function runAsync(command: string, args: string[]): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', fail);
    child.once('exit', done);
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const spread = (values: number[]): string => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}, ${values.length} runs)`;
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

const [clusterCount = 100, latencyMs = 20, largeCount = 1000, kubectlSample = 50] = process.argv.slice(2).map(Number);
const work = await mkdtemp(join(os.tmpdir(), 'regops-cli-bench-'));
// functions/ copied with its times beside the build, so every start pays bin's stale-build check
// (bin/source-stamp.mjs) as a user's does, against a source nobody edits during the run
await cp(resolve('functions'), join(work, 'functions'), { recursive: true, preserveTimestamps: true });
const built = await buildCli(join(work, 'dist', 'cli'), join(work, 'functions'));
await cp(resolve('bin'), join(work, 'bin'), { recursive: true });
const regopsBin = join(work, 'bin', 'regops.mjs');
const regops = (...args: string[]) => timeProcess(process.execPath, [regopsBin, ...args]);
console.log(`regops CLI built into ${join(work, 'dist', 'cli')}: ${built.files} files, ${(built.bytes / 1024).toFixed(0)} KiB; ${os.cpus().length} cores, load ${load()}`);

// 1. --help against kubectl version --client, alternating; the tsx source as the "before"
{
  const help: number[] = [];
  const kubectl: number[] = [];
  const cpu = { help: [] as number[], kubectl: [] as number[], node: [] as number[] };
  const source: number[] = [];
  const bareNode: number[] = [];
  regops('--help');
  timeProcess('kubectl', ['version', '--client']);
  for (let i = 0; i < 15; i += 1) {
    const runs = { help: regops('--help'), kubectl: timeProcess('kubectl', ['version', '--client']), node: timeProcess(process.execPath, ['-e', '0']) };
    help.push(runs.help.ms);
    kubectl.push(runs.kubectl.ms);
    bareNode.push(runs.node.ms);
    cpu.help.push(runs.help.cpuMs);
    cpu.kubectl.push(runs.kubectl.cpuMs);
    cpu.node.push(runs.node.cpuMs);
    if (i < 5) source.push(timeProcess(process.execPath, ['--import', 'tsx', resolve('functions/cli/main.ts'), '--help']).ms);
  }
  const ratios = help.map((ms, i) => ms / (kubectl[i] as number));
  console.log('\n--help');
  console.log(`  regops --help (build)          ${spread(help)}`);
  console.log(`  kubectl version --client       ${spread(kubectl)}`);
  console.log(`  ratio regops/kubectl           median ${median(ratios).toFixed(2)} of the pairs (target ≤ 2)`);
  // the floor: Node starting and exiting with nothing to do; on a loaded machine Node's start-up slows more than kubectl's
  console.log(`  node -e 0 (the floor)          ${spread(bareNode)}; ratio to kubectl ${median(bareNode.map((ms, i) => ms / (kubectl[i] as number))).toFixed(2)}, regops above it ${(median(help) - median(bareNode)).toFixed(0)} ms`);
  console.log(`  regops --help (tsx source)     ${spread(source)} (what bin/regops.mjs ran before the build)`);
  console.log(`  CPU (user+system), medians     regops --help ${median(cpu.help)} ms, kubectl version --client ${median(cpu.kubectl)} ms (ratio ${(median(cpu.help) / Math.max(1, median(cpu.kubectl))).toFixed(2)}), node -e 0 ${median(cpu.node)} ms (10 ms ticks)`);
}

// 2. validate on config/
{
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < 8; i += 1) {
    const run = regops('validate', '--config', resolve('config'));
    runs.push(run.ms);
    cpuRuns.push(run.cpuMs);
    status = run.status;
  }
  console.log('\nvalidate');
  console.log(`  regops validate config/        ${spread(runs)}, exit ${String(status)} (target < 500 ms); CPU median ${median(cpuRuns)} ms`);
}

/**
 * A fleet whose Git sets the registry Config one field away from what the operator bootstraps on AWS:
 * `regops apply` brings every cluster to it first (writing the inventory, core/inventory.ts), as a
 * fleet regops manages is, so the timed scans find every cluster in sync.
 */
async function writeConfig(dir: string, clusters: string[]): Promise<void> {
  await mkdir(join(dir, 'base'), { recursive: true });
  const entries = clusters.map((name) => `    - name: ${name}\n      labels: {env: bench, platform: aws, region: us-east-1}\n`).join('');
  await writeFile(join(dir, 'fleet.yaml'), `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: bench}\nspec:\n  clusters:\n${entries}  policy:\n    default: inform\n`);
  await writeFile(join(dir, 'base', 'registry.yaml'), 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  managementState: Managed\n  replicas: 2\n  logLevel: Debug\n');
}

/** How the kubectl loop is measured on a fleet: every cluster (sequential and 8-way), a sample of it, or not at all. */
type KubectlMode = { kind: 'full' } | { kind: 'sample'; size: number } | { kind: 'none' };

interface DriftFigures {
  regopsMs: number;
  regopsCpuMs: number;
  /** Sequential loop over every cluster, measured. */
  kubectlSequentialMs?: number;
  kubectlParallelMs?: number;
  /** Mean ms of one cluster's `kubectl get` in a sequential loop over a sample of this fleet, measured. */
  kubectlSampleMsPerCluster?: number;
  /** Mean CPU ms (user + system) of one such call. */
  kubectlSampleCpuMsPerCluster?: number;
  /** A Node process doing only the GETs (bare-scan.ts), cold as `regops drift` starts: wall and CPU of the scan. */
  floor?: { ms: number; cpuMs: number };
}

/**
 * The floor for any Node CLI: a fresh process that does nothing but the scan's GETs through node:https
 * (test/bench/bare-scan.ts; start-up and the kubeconfig's parsing are outside the figure, the scan's alone).
 */
function measureNodeFloor(kubeconfig: string, concurrency: number): { ms: number; cpuMs: number } {
  const code = `const { bareHttpsScan, readBareTargets } = await import(${JSON.stringify(resolve('test/bench/bare-scan.ts'))});
const targets = readBareTargets(${JSON.stringify(kubeconfig)});
const cpu = process.cpuUsage(); const started = performance.now();
await bareHttpsScan(targets, ${concurrency});
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bare scan exited ${String(run.status)}: ${run.stderr.slice(0, 2000)}`);
  return JSON.parse(run.stdout) as { ms: number; cpuMs: number };
}

/** `regops drift` over a fresh sandbox of `count` clusters against the kubectl loop (`kubectl`), measured in one run. */
async function measureDrift(count: number, runs: number, kubectl: KubectlMode): Promise<DriftFigures> {
  const dir = join(work, `fleet-${count}`);
  const kubeconfig = join(dir, 'kubeconfig');
  await mkdir(dir, { recursive: true });
  const sandbox = await startSandboxProcess(count, kubeconfig);
  try {
    await writeConfig(join(dir, 'config'), sandbox.clusters);
    const applied = regops('apply', '--selector', 'env=bench', '--config', join(dir, 'config'), '--kubeconfig', kubeconfig, '-o', 'json');
    if (applied.status !== 0) throw new Error(`regops apply exited ${String(applied.status)}: ${applied.stderr.slice(0, 2000)}`);
    await sandbox.setLatency(latencyMs);
    const driftArgs = ['drift', '--config', join(dir, 'config'), '--kubeconfig', kubeconfig, '--no-enforce', '-o', 'json'];
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let readsPerCluster = 0;
    for (let i = 0; i < runs; i += 1) {
      const before = await sandbox.reads();
      const run = regops(...driftArgs);
      if (run.status !== 0) throw new Error(`regops drift exited ${String(run.status)}: ${run.stderr.slice(0, 2000)}`);
      readsPerCluster = ((await sandbox.reads()) - before) / count;
      times.push(run.ms);
      cpuTimes.push(run.cpuMs);
    }
    const figures: DriftFigures = { regopsMs: median(times), regopsCpuMs: median(cpuTimes) };
    console.log(`\ndrift over ${count} sandbox clusters, ${latencyMs} ms per request; load ${load()}`);
    // no --concurrency: the default, 50 clusters at once (engine/scan-drift.ts), what a user runs
    console.log(`  regops drift (concurrency 50)  MEASURED ${spread(times)}, ${readsPerCluster.toFixed(1)} reads per cluster, every cluster in sync (exit 0); CPU median ${median(cpuTimes)} ms (${(median(cpuTimes) / count).toFixed(2)} ms per cluster)`);
    figures.floor = measureNodeFloor(kubeconfig, 50);
    console.log(`  node:https alone (the floor)   MEASURED ${figures.floor.ms.toFixed(0)} ms, CPU ${figures.floor.cpuMs.toFixed(0)} ms: the same GETs from a fresh Node process, start-up and kubeconfig parsing not counted (bare-scan.ts)`);
    if (process.env['REGOPS_BENCH_PROFILE'] === '1') {
      // one more run under V8's CPU profiler; the bundled CLI's frames carry minified names, the split by area holds
      const profileDir = join(dir, 'profile');
      const profiled = timeProcess(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', 'drift.cpuprofile', regopsBin, ...driftArgs]);
      console.log(`  CPU profile of one more run (${profiled.ms.toFixed(0)} ms): ${join(profileDir, 'drift.cpuprofile')}`);
      console.log(formatProfileSummary(JSON.parse(readFileSync(join(profileDir, 'drift.cpuprofile'), 'utf8')) as CpuProfile, 15, '    '));
    }
    if (kubectl.kind === 'none') return figures;

    const cacheDir = join(dir, 'kube-cache');
    const kubectlArgs = (cluster: string): string[] => ['--kubeconfig', kubeconfig, '--context', cluster, '--cache-dir', cacheDir, 'get', 'configs.imageregistry.operator.openshift.io/cluster', 'clusteroperators.config.openshift.io/image-registry', '-o', 'json'];
    // the whole fleet, or a sample spread evenly over it
    const step = kubectl.kind === 'sample' ? Math.max(1, Math.floor(sandbox.clusters.length / kubectl.size)) : 1;
    const looped = sandbox.clusters.filter((_, i) => i % step === 0).slice(0, kubectl.kind === 'sample' ? kubectl.size : undefined);
    // untimed: discovery cached for every context, as on a workstation that used them before
    await runPool(looped.length, 8, async (i) => {
      const status = await runAsync('kubectl', kubectlArgs(looped[i] as string));
      if (status !== 0) throw new Error(`kubectl get on ${looped[i] as string} exited ${String(status)}`);
    });
    const before = await sandbox.reads();
    const loopCpuBefore = childrenCpuMs() ?? 0;
    const started = performance.now();
    for (const cluster of looped) {
      const run = timeProcess('kubectl', kubectlArgs(cluster));
      if (run.status !== 0) throw new Error(`kubectl get on ${cluster} exited ${String(run.status)}: ${run.stderr}`);
    }
    const sequentialMs = performance.now() - started;
    const loopCpuMs = (childrenCpuMs() ?? 0) - loopCpuBefore;
    const kubectlReads = ((await sandbox.reads()) - before) / looped.length;
    if (kubectl.kind === 'sample') {
      figures.kubectlSampleMsPerCluster = sequentialMs / looped.length;
      figures.kubectlSampleCpuMsPerCluster = loopCpuMs / looped.length;
      console.log(`  kubectl loop, sequential       MEASURED on a sample of ${looped.length} clusters spread over the fleet: ${sequentialMs.toFixed(0)} ms (${figures.kubectlSampleMsPerCluster.toFixed(0)} ms per cluster, ${kubectlReads.toFixed(1)} reads per cluster); CPU ${loopCpuMs} ms`);
      return figures;
    }
    const parallelStarted = performance.now();
    await runPool(looped.length, 8, async (i) => {
      await runAsync('kubectl', kubectlArgs(looped[i] as string));
    });
    const parallelMs = performance.now() - parallelStarted;
    figures.kubectlSequentialMs = sequentialMs;
    figures.kubectlParallelMs = parallelMs;
    console.log(`  kubectl loop, sequential       MEASURED ${sequentialMs.toFixed(0)} ms (${(sequentialMs / count).toFixed(0)} ms per cluster, ${kubectlReads.toFixed(1)} reads per cluster); CPU ${loopCpuMs} ms`);
    console.log(`  kubectl loop, 8 at once        MEASURED ${parallelMs.toFixed(0)} ms`);
    console.log(`  regops speed-up                ${(sequentialMs / figures.regopsMs).toFixed(1)}× the sequential loop (target ≥ 20), ${(parallelMs / figures.regopsMs).toFixed(1)}× the 8-way loop (target ≥ 8)`);
    return figures;
  } finally {
    sandbox.stop();
  }
}

const small = await measureDrift(clusterCount, 3, { kind: 'full' });
if (largeCount > 0 && small.kubectlSequentialMs !== undefined) {
  const large = await measureDrift(largeCount, 2, { kind: 'sample', size: kubectlSample });
  // kubectl reads the whole kubeconfig at every start: with this fleet's (one context per cluster) each
  // call costs more than with the small fleet's, so the loop is extrapolated from a sample of this fleet;
  // the small fleet's per-cluster time (the figure used before) is printed beside it
  const fromSample = (large.kubectlSampleMsPerCluster ?? 0) * largeCount;
  const fromSmall = (small.kubectlSequentialMs / clusterCount) * largeCount;
  console.log(`  kubectl loop, sequential       EXTRAPOLATED ${fromSample.toFixed(0)} ms = the sample's ${(large.kubectlSampleMsPerCluster ?? 0).toFixed(0)} ms per cluster × ${largeCount} (the whole loop not run)`);
  console.log(`                                 (from the ${clusterCount}-cluster fleet's ${(small.kubectlSequentialMs / clusterCount).toFixed(0)} ms per cluster, whose kubeconfig is ${(largeCount / clusterCount).toFixed(0)}× smaller: ${fromSmall.toFixed(0)} ms)`);
  console.log(`  regops speed-up                ${(fromSample / large.regopsMs).toFixed(1)}× the extrapolated sequential loop (target ≥ 100); ${(fromSmall / large.regopsMs).toFixed(1)}× against the small fleet's per-cluster time`);
  // CPU does not wait for a core: on a shared machine it moves less with the load than wall time does
  const cpuFromSample = (large.kubectlSampleCpuMsPerCluster ?? 0) * largeCount;
  console.log(`  by CPU instead of wall time    kubectl ${cpuFromSample.toFixed(0)} ms EXTRAPOLATED (${(large.kubectlSampleCpuMsPerCluster ?? 0).toFixed(0)} ms per call × ${largeCount}) against regops ${large.regopsCpuMs} ms MEASURED: ${(cpuFromSample / Math.max(1, large.regopsCpuMs)).toFixed(1)}×`);
  if (large.floor !== undefined) console.log(`  a Node CLI doing only the GETs would be at most ${(fromSample / large.floor.ms).toFixed(0)}× (the floor's scan time, start-up excluded)`);
}
