/**
 * Drift scan of 1,000 sandbox clusters with 20 ms added to every request, at concurrency 50 (issue 3
 * performance target): wall time against the lower bound requests × latency / concurrency, requests
 * per cluster (exactly the objects regops owns there, as the Config's inventory names them, plus the
 * ClusterOperator: 2 for this fleet, whose Git renders only the Config; issue 12), writes (0: every
 * cluster is in sync after the rollout that precedes the scans) and peak RSS. The sandbox runs in a child process (its control endpoints set the
 * latency and count requests), so time and memory here are regops' own, as against real clusters.
 * Real adapters throughout: the kubeconfig connector (client-node over HTTPS) and the local config source.
 *
 * Two scans of the same fleet through the same connector: the first is what `regops drift` does
 * (cold: clients built, TLS connections opened, code not yet optimised by V8) and is the figure held
 * against the target; the second shows the warm steady state (clients and kept-alive connections
 * reused). Requests are counted by the sandbox (the bound's numerator) and, by kind, on regops' side.
 * TLS connections opened are counted by wrapping node's tls.connect (a measurement hook only).
 * Every sandbox cluster sits on one host:port, so clusters sharing a CA also share pooled connections,
 * where a real fleet (a host per cluster) opens at least one TLS connection per cluster. So a third,
 * cold scan gives each cluster its own host: the sandbox listens on 0.0.0.0 (loopback addresses
 * 127.0.x.y all reach it) and a copy of the kubeconfig points cluster i at its own 127.0.x.y, with
 * tls-server-name localhost (in the sandbox certificate) — one TLS handshake per cluster, as for real.
 * The bound assumes at most `concurrency` requests in flight: true while the engine reads a cluster's
 * objects one after another (it does: plan-live-cluster.ts); GETs in parallel within a cluster would
 * need the bound recomputed with the real number in flight.
 * Then the floor under each (bare-scan.ts): the same two GETs per cluster through node:https alone
 * (one host:port, then a host per cluster), and TLS connections alone, one per cluster: regops' own
 * share of a scan is its CPU minus the floor's, and a host-per-cluster scan cannot go under the
 * connections' handshakes. REGOPS_BENCH_PROFILE=1 profiles each regops scan (profile-summary.ts).
 * Client and server share this machine's cores, where in a real fleet each cluster's apiserver does its
 * own handshakes: the one-threaded sandbox signs all 1,000 with its RSA-2048 key (as OpenShift's
 * serving certificates, library-go pkg/crypto keyBits = 2048). So the host-per-cluster scan and its
 * floors run twice, RSA-2048 and then ECDSA P-256 (startSandbox's ecdsaServerName, chosen by the TLS
 * server name the kubeconfig copy asks for), which costs the sandbox less per handshake and leaves
 * more of the machine to the client; regops' CPU against the bound shows what no server can change:
 * one thread cannot finish sooner than the CPU it needs.
 * Run: npx tsx test/bench/drift.bench.ts [clusters] [latencyMs] [concurrency]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { Session } from 'node:inspector/promises';
import { KubeconfigConnector } from '../../functions/adapters/kubernetes/kubeconfig-connector.ts';
import { LocalConfigSource } from '../../functions/adapters/local-fs/local-config-source.ts';
import { systemClock } from '../../functions/adapters/system-clock.ts';
import { loadFleet, selectDesired } from '../../functions/engine/load-fleet.ts';
import { scanDrift } from '../../functions/engine/scan-drift.ts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { ClusterClient, ClusterConnector } from '../../functions/engine/ports.ts';
import type { ClusterEntry } from '../../functions/core/model.ts';
import { formatProfileSummary, type CpuProfile } from './profile-summary.ts';
import { bareHttpsScan, bareTlsConnects, measurePeerCertificate, readBareTargets } from './bare-scan.ts';

interface SandboxProcess {
  url: string;
  caPem: string;
  clusters: string[];
  call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown>;
  stop(): void;
  pid: number;
}

/** CPU time a process has used, ms, from /proc (Linux; undefined elsewhere). */
function readProcessCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat; after the command name they are at 11 and 12
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Starts the sandbox in its own Node process and waits for it to say where it is. */
async function startSandboxProcess(clusters: number, kubeconfigPath: string, host: string, ecdsaServerName: string): Promise<SandboxProcess> {
  const entry = resolve('functions/sandbox/index.ts');
  const code = `const { startSandbox } = await import(${JSON.stringify(entry)});
const sb = await startSandbox({ clusters: ${clusters}, kubeconfigPath: ${JSON.stringify(kubeconfigPath)}, progressingMs: 50, host: ${JSON.stringify(host)}, ecdsaServerName: ${JSON.stringify(ecdsaServerName)} });
process.stdout.write(JSON.stringify({ url: sb.url, caPem: sb.caPem, adminToken: sb.adminToken, clusters: sb.clusters }) + '\\n');
process.stdin.resume(); process.stdin.on('end', () => sb.stop().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done);
    child.once('exit', (status) => fail(new Error(`sandbox process exited ${String(status)}`)));
  });
  const info = JSON.parse(first) as { url: string; caPem: string; adminToken: string; clusters: string[] };
  const call = (method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> =>
    new Promise((done, fail) => {
      const req = request(`${info.url}${path}`, { method, ca: info.caPem, headers: { 'content-type': 'application/json', authorization: `Bearer ${info.adminToken}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => done(JSON.parse(text) as unknown));
      });
      req.on('error', fail);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return { ...info, call, stop: () => child.stdin.end(), pid: child.pid ?? 0 };
}

/**
 * Applies the fleet's Git to every cluster with the engine's reconcileCluster (real adapters), in a
 * child process so that its memory and CPU stay out of this process's figures.
 */
async function rollOutInChild(configDir: string, kubeconfig: string, concurrency: number): Promise<void> {
  const module = (file: string): string => JSON.stringify(resolve(file));
  const code = `const { KubeconfigConnector } = await import(${module('functions/adapters/kubernetes/kubeconfig-connector.ts')});
const { LocalConfigSource } = await import(${module('functions/adapters/local-fs/local-config-source.ts')});
const { systemClock } = await import(${module('functions/adapters/system-clock.ts')});
const { loadFleet, selectDesired } = await import(${module('functions/engine/load-fleet.ts')});
const { reconcileCluster } = await import(${module('functions/engine/reconcile-cluster.ts')});
const { runBounded } = await import(${module('functions/engine/run-bounded.ts')});
const none = () => Promise.reject(new Error('not in this fleet'));
const ports = { config: new LocalConfigSource(${JSON.stringify(configDir)}), connector: new KubeconfigConnector({ kubeconfig: ${JSON.stringify(kubeconfig)} }), secrets: { resolve: none }, buckets: { inspect: none, configure: none }, clock: systemClock };
const loaded = await loadFleet(ports);
const results = await runBounded(selectDesired(loaded, { names: [], selector: {} }), ${concurrency}, (t) => reconcileCluster(ports, t.desired, t.entry, { commit: loaded.commit, healthGate: { timeoutMs: 120000, pollMs: 100 } }));
const failed = results.filter((r) => r.outcome === 'failed');
if (failed.length > 0) { console.error('rollout: ' + failed.length + ' cluster(s) failed, e.g. ' + JSON.stringify(failed[0].error)); process.exit(1); }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
  const status = await new Promise<number | null>((done) => child.once('exit', done));
  if (status !== 0) throw new Error(`rollout before the scans exited ${String(status)}`);
}

async function countRequests(sandbox: SandboxProcess): Promise<{ reads: number; writes: number }> {
  const status = (await sandbox.call('GET', '/_sandbox/status')) as { clusters: Array<{ reads: number; writes: number }> };
  return status.clusters.reduce((sum, c) => ({ reads: sum.reads + c.reads, writes: sum.writes + c.writes }), { reads: 0, writes: 0 });
}

/** Counts TLS connections regops opens: node's https agents call tls.connect through the module object. */
function countTlsConnections(): () => number {
  const tls = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
  const connect = tls.connect.bind(tls) as (...args: unknown[]) => ReturnType<typeof tls.connect>;
  let opened = 0;
  Object.assign(tls, { connect: (...args: unknown[]) => { opened += 1; return connect(...args); } });
  return () => opened;
}

/**
 * Counts TLS secure contexts built (node's tls.connect builds one per connection unless handed one;
 * agent-cache.ts builds one per TLS material): wrapped on the module object, and
 * syncBuiltinESMExports so that named ESM imports of node:tls see the wrapper too. A measurement hook only.
 */
function countSecureContexts(): () => number {
  const tls = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
  const create = tls.createSecureContext.bind(tls);
  let built = 0;
  Object.assign(tls, { createSecureContext: (...args: Parameters<typeof create>) => { built += 1; return create(...args); } });
  syncBuiltinESMExports();
  return () => built;
}

/** The connector, with each client's GETs tallied by kind (one Map update per GET). */
function countReadsByKind(inner: ClusterConnector, tally: Map<string, number>): ClusterConnector {
  const wrapped = new Map<string, ClusterClient>();
  return {
    connect: async (entry: ClusterEntry): Promise<ClusterClient> => {
      const client = await inner.connect(entry);
      let counted = wrapped.get(entry.name);
      if (counted === undefined) {
        counted = {
          cluster: client.cluster,
          get: (ref) => { tally.set(ref.kind, (tally.get(ref.kind) ?? 0) + 1); return client.get(ref); },
          create: (ref, body, options) => client.create(ref, body, options),
          patch: (ref, patch, options) => client.patch(ref, patch, options),
          get requestCount() { return client.requestCount; },
        };
        wrapped.set(entry.name, counted);
      }
      return counted;
    },
  };
}

const [clusterCount = 1000, latencyMs = 20, concurrency = 50] = process.argv.slice(2).map(Number);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const tlsConnections = countTlsConnections();
const secureContexts = countSecureContexts();
// REGOPS_BENCH_PROFILE=1: each scan runs under V8's CPU profiler (node:inspector), its top self-time
// frames printed and the .cpuprofile kept in the work folder (open it in Chrome DevTools); the
// profiler's sampling costs a few percent, so figures of a profiled run are not the ones to quote
const profiling = process.env['REGOPS_BENCH_PROFILE'] === '1';
const inspector = profiling ? new Session() : undefined;
if (inspector !== undefined) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
}

const work = await mkdtemp(join(tmpdir(), 'regops-drift-bench-'));
// clients asking for this TLS server name get the sandbox's ECDSA P-256 certificate, every other one
// the RSA-2048 one as in every other test (functions/sandbox/README.md; see the file comment)
const ecdsaServerName = 'ecdsa.localhost';
const sandbox = await startSandboxProcess(clusterCount, join(work, 'kubeconfig'), '0.0.0.0', ecdsaServerName);
try {
  // desired state = what the operator bootstraps on AWS, so every cluster is in sync
  const config = join(work, 'config');
  await mkdir(join(config, 'base'), { recursive: true });
  const clusters = sandbox.clusters.map((name) => `    - name: ${name}\n      labels: {env: bench, platform: aws, region: us-east-1}\n`).join('');
  await writeFile(join(config, 'fleet.yaml'), `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: bench}\nspec:\n  clusters:\n${clusters}  policy:\n    default: inform\n`);
  // Git differs from the bootstrap in one field, so the fleet is first rolled out (below): every
  // cluster then carries the inventory regops writes with the Config (core/inventory.ts), as a fleet
  // regops manages does, and the scans find it in sync
  await writeFile(join(config, 'base', 'registry.yaml'), 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  managementState: Managed\n  replicas: 2\n  logLevel: Debug\n');
  // the same kubeconfig with a loopback address of its own per cluster (see the file comment)
  const kubeconfig = parseYaml(await readFile(join(work, 'kubeconfig'), 'utf8')) as { clusters: Array<{ cluster: Record<string, unknown> }> };
  kubeconfig.clusters.forEach(({ cluster }, index) => {
    cluster['server'] = String(cluster['server']).replace('//127.0.0.1:', `//127.0.${Math.floor(index / 250)}.${(index % 250) + 2}:`);
    cluster['tls-server-name'] = 'localhost';
  });
  await writeFile(join(work, 'kubeconfig-hosts'), stringifyYaml(kubeconfig));
  for (const { cluster } of kubeconfig.clusters) cluster['tls-server-name'] = ecdsaServerName;
  await writeFile(join(work, 'kubeconfig-hosts-ecdsa'), stringifyYaml(kubeconfig));
  const readsByKind = new Map<string, number>();
  const connectors = {
    shared: countReadsByKind(new KubeconfigConnector({ kubeconfig: join(work, 'kubeconfig') }), readsByKind),
    hosts: countReadsByKind(new KubeconfigConnector({ kubeconfig: join(work, 'kubeconfig-hosts') }), readsByKind),
    hostsEcdsa: countReadsByKind(new KubeconfigConnector({ kubeconfig: join(work, 'kubeconfig-hosts-ecdsa') }), readsByKind),
  };
  const ports = {
    config: new LocalConfigSource(config),
    connector: connectors.shared,
    secrets: { resolve: () => Promise.reject(new Error('no secrets in this fleet')) },
    buckets: { inspect: () => Promise.reject(new Error('no buckets in this fleet')), configure: () => Promise.reject(new Error('no buckets in this fleet')) },
    clock: systemClock,
  };
  const loadStarted = performance.now();
  const loaded = await loadFleet(ports);
  const targets = selectDesired(loaded, { names: [], selector: {} });
  const loadMs = performance.now() - loadStarted;
  const renderedPerCluster = (targets[0]?.desired.objects.length ?? 0) + (targets[0]?.desired.secrets.length ?? 0);
  const rolloutStarted = performance.now();
  await rollOutInChild(config, join(work, 'kubeconfig'), concurrency);
  const rolloutMs = performance.now() - rolloutStarted;
  for (const name of sandbox.clusters) await sandbox.call('POST', `/_sandbox/faults/${name}`, { latencyMs });

  console.log(`drift scan: ${clusterCount} clusters, ${latencyMs} ms latency per request, concurrency ${concurrency}; ${os.cpus().length} cores shared with the sandbox process`);
  console.log(`RSS before the scans ${mb(process.memoryUsage.rss())} (fleet loaded, rendered and validated; high-water mark so far ${mb(process.resourceUsage().maxRSS * 1024)})`);
  const scans = [
    { label: 'first scan (cold, as `regops drift` runs; every cluster on the sandbox\'s one host:port)', connector: connectors.shared },
    { label: 'second scan (warm: same connector, clients and kept-alive connections reused)', connector: connectors.shared },
    { label: 'third scan (a host per cluster as in a real fleet: fresh connector, clients and one TLS connection per cluster; V8 already warm from the scans before; sandbox certificate RSA-2048 as OpenShift\'s)', connector: connectors.hosts },
    { label: 'fourth scan (the third again with the sandbox serving ECDSA P-256: its handshakes cost the one-threaded sandbox less, so less of the 2 cores goes to the server side that a real fleet spreads over 1,000 apiservers)', connector: connectors.hostsEcdsa },
  ];
  const cpuRatios: string[] = [];
  let peakBeforeEcdsa = 0;
  for (const { label, connector } of scans) {
    ports.connector = connector;
    readsByKind.clear();
    const loadBefore = load();
    const before = await countRequests(sandbox);
    const connectionsBefore = tlsConnections();
    const contextsBefore = secureContexts();
    const cpuBefore = process.cpuUsage();
    const sandboxCpuBefore = readProcessCpuMs(sandbox.pid);
    const started = performance.now();
    if (inspector !== undefined) await inspector.post('Profiler.start');
    const report = await scanDrift(ports, { commit: loaded.commit, clusters: targets, concurrency });
    const wallMs = performance.now() - started;
    const profile = inspector === undefined ? undefined : ((await inspector.post('Profiler.stop')) as { profile: CpuProfile }).profile;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const sandboxCpuAfter = readProcessCpuMs(sandbox.pid);
    const sandboxCpuMs = sandboxCpuBefore === undefined || sandboxCpuAfter === undefined ? undefined : sandboxCpuAfter - sandboxCpuBefore;
    const connections = tlsConnections() - connectionsBefore;
    const contexts = secureContexts() - contextsBefore;
    const after = await countRequests(sandbox);
    const reads = after.reads - before.reads;
    const writes = after.writes - before.writes;
    const requests = reads + writes;
    const boundMs = (requests * latencyMs) / concurrency;
    const kinds = [...readsByKind.entries()].map(([kind, n]) => `${kind} ${n}`).join(', ');
    console.log(`${label}`);
    console.log(`  states            ${JSON.stringify({ inSync: report.summary['in-sync'], drifted: report.summary.drifted, unreachable: report.summary.unreachable })}`);
    console.log(`  wall time         ${wallMs.toFixed(0)} ms (lower bound ${boundMs.toFixed(0)} ms = ${requests} requests × ${latencyMs} ms / ${concurrency}; ratio ${(wallMs / boundMs).toFixed(2)}, target ≤ 1.5)`);
    console.log(`  requests/cluster  ${(requests / clusterCount).toFixed(2)} (reads ${reads}, writes ${writes}, target writes 0; GETs by kind: ${kinds}; Git renders ${renderedPerCluster} object(s) per cluster)`);
    console.log(`  TLS connections   ${connections} opened by regops for ${requests} requests (keep-alive across a cluster's GETs), ${contexts} secure context(s) built (one per TLS material; every cluster's kubeconfig entry has the same CA, where a real fleet has one per cluster: +0.3 ms of CPU each, node's createSecureContext with a CA)`);
    console.log(`  regops CPU        ${cpuMs.toFixed(0)} ms during the scan (${(cpuMs / clusterCount).toFixed(2)} ms per cluster, ${(cpuMs / Math.max(1, requests)).toFixed(2)} ms per request; ${(cpuMs / boundMs).toFixed(2)}× the bound: regops runs on one thread, so no server can make the scan faster than this)`);
    cpuRatios.push(`${label.split(' (')[0] ?? label} wall ${(wallMs / boundMs).toFixed(2)}×, regops CPU ${(cpuMs / boundMs).toFixed(2)}×`);
    if (sandboxCpuMs !== undefined) console.log(`  sandbox CPU       ${sandboxCpuMs.toFixed(0)} ms during the scan (one thread serving all ${clusterCount} clusters)`);
    console.log(`  peak RSS so far   ${mb(process.resourceUsage().maxRSS * 1024)} (the process's high-water mark after this scan)`);
    if (connector === connectors.hosts) peakBeforeEcdsa = process.resourceUsage().maxRSS * 1024;
    console.log(`  machine load      ${loadBefore} before, ${load()} after (1/5/15-minute load averages on ${os.cpus().length} cores)`);
    if (profile !== undefined) {
      const file = join(work, `scan-${scans.findIndex((s) => s.label === label) + 1}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      console.log(`  CPU profile       ${file}\n${formatProfileSummary(profile, 20, '    ')}`);
    }
    if (report.summary['in-sync'] !== clusterCount) console.log(`  WARNING: expected every cluster in sync: ${JSON.stringify(report.summary)}`);
  }
  // the kernel's high-water mark for this process (fleet load and all scans, two connectors' clients), read
  // before the floors below add their own; no sampling timer to disturb the scans
  // the target is held against the three scans regops' own drift run compares with; the ECDSA scan's
  // connector holds 1,000 more clients and kept-alive sockets beside the third's, a bench artefact
  console.log(`peak RSS            ${mb(peakBeforeEcdsa)} after the first three scans (regops only; the sandbox runs in its own process; target < 300 MB); ${mb(process.resourceUsage().maxRSS * 1024)} with the ECDSA scan's second host-per-cluster connector`);
  // the floor (bare-scan.ts): the same GETs through node:https alone, and TLS connections alone, so
  // regops' own share of each scan above is its CPU minus these
  const bare = { shared: readBareTargets(join(work, 'kubeconfig')), hosts: readBareTargets(join(work, 'kubeconfig-hosts')), hostsEcdsa: readBareTargets(join(work, 'kubeconfig-hosts-ecdsa')) };
  const floors = [
    { label: 'floor: node:https alone, the same 2 GETs per cluster, every cluster on one host:port', run: () => bareHttpsScan(bare.shared, concurrency), unit: 'requests', latency: true },
    { label: 'floor: node:https alone, the same 2 GETs per cluster, a host per cluster (RSA-2048)', run: () => bareHttpsScan(bare.hosts, concurrency), unit: 'requests', latency: true },
    { label: 'floor: node:https alone, the same 2 GETs per cluster, a host per cluster (ECDSA P-256)', run: () => bareHttpsScan(bare.hostsEcdsa, concurrency), unit: 'requests', latency: true },
    { label: 'floor: tls.connect alone, one TLS connection per cluster (RSA-2048; handshake and node\'s certificate check, then closed; no HTTP, no added latency)', run: () => bareTlsConnects(bare.hosts, concurrency), unit: 'connections', latency: false },
    { label: 'floor: tls.connect alone, one TLS connection per cluster (ECDSA P-256; the same)', run: () => bareTlsConnects(bare.hostsEcdsa, concurrency), unit: 'connections', latency: false },
  ];
  for (const floor of floors) {
    const cpuBefore = process.cpuUsage();
    const sandboxCpuBefore = readProcessCpuMs(sandbox.pid);
    const started = performance.now();
    const count = await floor.run();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const sandboxCpuAfter = readProcessCpuMs(sandbox.pid);
    const boundMs = (count * latencyMs) / concurrency;
    console.log(floor.label);
    console.log(`  wall time         ${wallMs.toFixed(0)} ms${floor.latency ? ` (lower bound ${boundMs.toFixed(0)} ms = ${count} ${floor.unit} × ${latencyMs} ms / ${concurrency}; ratio ${(wallMs / boundMs).toFixed(2)})` : ` (${count} ${floor.unit}, ${concurrency} at once)`}`);
    console.log(`  CPU               ${cpuMs.toFixed(0)} ms here (${(cpuMs / clusterCount).toFixed(2)} ms per cluster)${sandboxCpuBefore === undefined || sandboxCpuAfter === undefined ? '' : `; sandbox ${(sandboxCpuAfter - sandboxCpuBefore).toFixed(0)} ms`}; load ${load()}`);
    // against the scans' bound (2 GETs a cluster): a client that needs this much CPU on one thread cannot go under it
    const scanBoundMs = (2 * clusterCount * latencyMs) / concurrency;
    cpuRatios.push(`${floor.label.split(' (')[0] ?? floor.label}${floor.label.includes('ECDSA') ? ' ECDSA' : floor.label.includes('RSA') ? ' RSA' : ''}: CPU ${(cpuMs / scanBoundMs).toFixed(2)}× the scans' bound`);
  }
  // node's onConnectSecure calls getPeerCertificate(true) (the whole chain as JavaScript objects, with
  // fingerprints) for the host-name check on every handshake that does not resume a session
  const peer = await measurePeerCertificate(bare.hosts);
  console.log(`node's getPeerCertificate(true), which every new TLS session pays for the host-name check: ${peer.toFixed(3)} ms of CPU a call (RSA-2048 chain; ${(peer * clusterCount).toFixed(0)} ms at ${clusterCount} clusters)`);
  console.log(`against the target (≤ 1.5× the bound): ${cpuRatios.join('; ')}`);
  console.log(`load+render+validate of the fleet ${loadMs.toFixed(0)} ms, rollout writing the inventory ${rolloutMs.toFixed(0)} ms without added latency (neither in the wall times above)`);
} finally {
  sandbox.stop();
}
