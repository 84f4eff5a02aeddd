// Sandbox throughput: GET and PATCH requests per second through HTTPS keep-alive, per core of the
// sandbox process. The sandbox runs in a child process (this file with --serve) so its CPU time can be
// measured apart from the load generator's; "per core" = requests / sandbox CPU seconds.
// Target (issue 7): at least 5,000 GET/s, so the sandbox never limits a 1,000-cluster scan.
// Figures are printed, never asserted (shared, noisy machines). Run: npx tsx test/bench/sandbox.bench.ts
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../../functions/sandbox/index.ts';

interface Served {
  url: string;
  token: string;
  caPem: string;
}

async function serve(): Promise<void> {
  const sandbox = await startSandbox({ clusters: 2, progressingMs: 50 });
  const served: Served = { url: sandbox.clusterUrl('sbx-0001'), token: sandbox.token('sbx-0001'), caPem: sandbox.caPem };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'cpu') {
      const usage = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuMs: (usage.user + usage.system) / 1000, stats: sandbox.stats() })}\n`);
    } else if (line === 'stop') {
      await sandbox.stop();
      process.exit(0);
    }
  }
}

interface Child {
  served: Served;
  cpuMs(): Promise<number>;
  stop(): void;
}

async function spawnSandbox(): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error('sandbox child exited');
    return line.value;
  };
  const served = JSON.parse(await next()) as Served;
  return {
    served,
    cpuMs: async () => {
      child.stdin.write('cpu\n');
      return (JSON.parse(await next()) as { cpuMs: number }).cpuMs;
    },
    stop: () => void child.stdin.write('stop\n'),
  };
}

function send(agent: Agent, served: Served, method: string, path: string, body?: string, contentType?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${served.token}`, Accept: 'application/json' };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const req = request(`${served.url}${path}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(label: string, child: Child, concurrency: number, durationMs: number, makeRequest: (agent: Agent, index: number) => Promise<number>): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: child.served.caPem });
  for (let i = 0; i < 200; i += 1) await makeRequest(agent, i); // warm-up
  const cpuBefore = await child.cpuMs();
  const started = performance.now();
  let done = 0;
  let failures = 0;
  let counter = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() - started < durationMs) {
      const status = await makeRequest(agent, counter++);
      if (status >= 400) failures += 1;
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpuSeconds = ((await child.cpuMs()) - cpuBefore) / 1000;
  agent.destroy();
  console.log(
    `${label.padEnd(28)} ${String(done).padStart(7)} requests  ${Math.round(done / elapsed).toString().padStart(6)} req/s wall  ${Math.round(done / cpuSeconds).toString().padStart(6)} req/s per sandbox core  (failures ${failures})`,
  );
}

// Start-up of a generated fleet in this process (the sandbox bootstraps every cluster and its operator).
async function measureStartup(clusters: number): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const sandbox = await startSandbox({ clusters });
  const elapsed = performance.now() - started;
  const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1e6;
  await sandbox.stop();
  console.log(`start ${String(clusters).padStart(5)} clusters         ${Math.round(elapsed).toString().padStart(6)} ms  (${(elapsed / clusters).toFixed(2)} ms per cluster, RSS +${Math.round(rssGrowth)} MB)`);
}

async function main(): Promise<void> {
  await measureStartup(1000);
  const child = await spawnSandbox();
  const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
  const configMapPath = '/api/v1/namespaces/openshift-config/configmaps/bench';
  await send(new Agent({ ca: child.served.caPem }), child.served, 'POST', '/api/v1/namespaces/openshift-config/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench' }, data: { n: '0' } }), 'application/json');
  try {
    await measure('GET configs/cluster', child, 32, 3000, (agent) => send(agent, child.served, 'GET', configPath));
    await measure('LIST namespaces', child, 32, 2000, (agent) => send(agent, child.served, 'GET', '/api/v1/namespaces?limit=500'));
    await measure('PATCH configmap (merge)', child, 32, 3000, (agent, i) => send(agent, child.served, 'PATCH', configMapPath, JSON.stringify({ data: { n: String(i) } }), 'application/merge-patch+json'));
    await measure('PATCH configs/cluster (merge)', child, 32, 3000, (agent, i) =>
      send(agent, child.served, 'PATCH', configPath, JSON.stringify({ spec: { logLevel: i % 2 === 0 ? 'Debug' : 'Normal' } }), 'application/merge-patch+json'),
    );
  } finally {
    child.stop();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
