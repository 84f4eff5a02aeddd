/**
 * The floor under regops' drift scan, for drift.bench.ts (issue 12): the same reads with nothing but
 * node itself, so what regops adds per cluster (client-node, node-fetch, planning) is the difference.
 *   - bareHttpsScan: per cluster the two GETs a scan of an in-sync cluster makes (the registry Config,
 *     then the image-registry ClusterOperator: engine/plan-live-cluster.ts, engine/scan-drift.ts), one
 *     after the other, through node:https with one keep-alive agent and one TLS secure context for the
 *     whole fleet (as functions/adapters/kubernetes/agent-cache.ts shares them), bodies JSON-parsed;
 *   - bareTlsConnects: only a TLS connection per cluster (handshake and the certificate check node
 *     does, then closed): what a host-per-cluster scan cannot go under;
 *   - measurePeerCertificate: the CPU of one getPeerCertificate(true), which node's own handshake
 *     completion (onConnectSecure in lib/_tls_wrap.js) calls for the host-name check on every
 *     connection that does not resume a session: a third of a handshake's client CPU, not regops'.
 * Both at the scan's concurrency, to the clusters of the kubeconfig the connector reads (token users
 * only: the sandbox's), parsed beforehand by readBareTargets.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { connect, createSecureContext, type SecureContext } from 'node:tls';
import { parse as parseYaml } from 'yaml';

interface Target {
  server: URL;
  servername: string | undefined;
  token: string;
}

interface KubeconfigFile {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string; 'tls-server-name'?: string } }>;
  users: Array<{ name: string; user: { token?: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
}

const paths = ['/apis/imageregistry.operator.openshift.io/v1/configs/cluster', '/apis/config.openshift.io/v1/clusteroperators/image-registry'];

/** A kubeconfig's clusters as the bare scans reach them (read before the timing starts: parsing it is not the scan). */
export interface BareTargets {
  targets: Target[];
  secureContext: SecureContext;
}

export function readBareTargets(kubeconfigPath: string): BareTargets {
  const file = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigFile;
  const clusters = new Map(file.clusters.map((c) => [c.name, c.cluster]));
  const users = new Map(file.users.map((u) => [u.name, u.user]));
  const ca = Buffer.from(file.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64');
  const targets = file.contexts.map(({ context }) => {
    const cluster = clusters.get(context.cluster);
    if (cluster === undefined) throw new Error(`bare scan: kubeconfig context names no cluster ${context.cluster}`);
    return { server: new URL(cluster.server), servername: cluster['tls-server-name'], token: users.get(context.user)?.token ?? '' };
  });
  return { targets, secureContext: createSecureContext({ ca }) };
}

async function runPool<T>(items: readonly T[], width: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await job(items[next++] as T);
  }));
}

function getJson(target: Target, path: string, agent: Agent): Promise<unknown> {
  return new Promise((done, fail) => {
    const url = new URL(`${target.server.pathname}${path}`, target.server);
    const req = request(url, { agent, headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' }, ...(target.servername === undefined ? {} : { servername: target.servername }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) fail(new Error(`bare scan: GET ${url.href}: ${String(res.statusCode)}`));
        else done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      });
    });
    req.on('error', fail);
    req.end();
  });
}

/** The two GETs per cluster through node:https alone; resolves with the requests made. */
export async function bareHttpsScan({ targets, secureContext }: BareTargets, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, secureContext });
  let requests = 0;
  try {
    await runPool(targets, concurrency, async (target) => {
      for (const path of paths) {
        await getJson(target, path, agent);
        requests += 1;
      }
    });
  } finally {
    agent.destroy();
  }
  return requests;
}

/** One TLS connection per cluster, closed once the handshake and node's certificate check passed; resolves with the count. */
export async function bareTlsConnects({ targets, secureContext }: BareTargets, concurrency: number): Promise<number> {
  let connections = 0;
  await runPool(targets, concurrency, (target) => new Promise<void>((done, fail) => {
    const socket = connect({ host: target.server.hostname, port: Number(target.server.port), secureContext, ...(target.servername === undefined ? {} : { servername: target.servername }) }, () => {
      connections += 1;
      socket.destroy();
      done();
    });
    socket.on('error', fail);
  }));
  return connections;
}

/** CPU ms of one socket.getPeerCertificate(true) on a connection to the first target (the average of 1,000 calls). */
export function measurePeerCertificate({ targets, secureContext }: BareTargets): Promise<number> {
  const target = targets[0];
  if (target === undefined) return Promise.resolve(0);
  return new Promise((done, fail) => {
    const socket = connect({ host: target.server.hostname, port: Number(target.server.port), secureContext, ...(target.servername === undefined ? {} : { servername: target.servername }) }, () => {
      const calls = 1000;
      const before = process.cpuUsage();
      for (let i = 0; i < calls; i += 1) socket.getPeerCertificate(true);
      const cpu = process.cpuUsage(before);
      socket.destroy();
      done((cpu.user + cpu.system) / 1000 / calls);
    });
    socket.on('error', fail);
  });
}
