import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { ApiStatusError, buildInternalError, buildNotFound, buildPathNotFound, buildServiceUnavailable, buildTooManyRequests } from './api-status.ts';
import { createAwsEmulator, type AwsEmulator } from './aws/index.ts';
import { seedInstalledCluster, seedObject } from './cluster-bootstrap.ts';
import { computeDelay, decideFault, sanitizeFaultSettings, type FaultControl } from './fault-control.ts';
import { generateClusters, readFleetClusters } from './fleet-clusters.ts';
import { handleKubeRequest, sendJson, sendStatus } from './kube-api-handler.ts';
import { renderKubeconfig } from './kubeconfig-text.ts';
import { isJsonMap, type JsonMap } from './json-value.ts';
import { applyMergePatch } from './merge-patch.ts';
import { findResourceByKind } from './resource-catalog.ts';
import { SandboxCluster, type Access, type ClusterSpec } from './sandbox-cluster.ts';
import type { ObjectRef, Sandbox, SandboxOptions, SandboxStats } from './sandbox-types.ts';
import { readSeedObjects } from './seed-dumps.ts';
import { SimulatedOperator } from './simulated-operator.ts';
import { createTlsMaterial } from './tls-material.ts';

const userNames: Record<Access, string> = { admin: 'system:admin', readonly: 'system:serviceaccount:regops:readonly' };
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function generateAccessKey(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function resolveClusterSpecs(options: SandboxOptions): Promise<ClusterSpec[]> {
  if (options.fleetFile !== undefined) return readFleetClusters(options.fleetFile);
  return generateClusters(options.clusters ?? 1);
}

function readRef(cluster: SandboxCluster, ref: ObjectRef): { info: NonNullable<ReturnType<typeof findResourceByKind>>; namespace: string | undefined } {
  const info = findResourceByKind(ref.apiVersion, ref.kind);
  if (info === undefined) throw new Error(`sandbox: cluster ${cluster.spec.name}: ${ref.apiVersion}/${ref.kind} is not served`);
  return { info, namespace: info.namespaced ? (ref.namespace ?? 'default') : undefined };
}

/** Starts the sandbox fleet: one HTTPS server, a Kubernetes API per cluster under /clusters/<name>, AWS under /aws. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const specs = await resolveClusterSpecs(options);
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`sandbox: cluster ${spec.name} is listed twice`);
    names.add(spec.name);
  }
  const tlsPending = createTlsMaterial(host, options.ecdsaServerName);
  const mainKeys = generateAccessKey();
  const region = specs.find((spec) => spec.platform === 'aws')?.region ?? 'us-east-1';
  const aws: AwsEmulator = createAwsEmulator({ ...mainKeys, region });
  const timing = { progressingMs: options.progressingMs ?? 3000, degradedAfterMs: options.degradedAfterMs ?? 300_000, progressDeadlineMs: options.progressDeadlineMs ?? 120_000, deploymentObserveLagMs: options.deploymentObserveLagMs ?? 0 };
  const clusters = new Map<string, SandboxCluster>();
  const operators = new Map<string, SimulatedOperator>();
  const tokens = new Map<string, { cluster: SandboxCluster; access: Access }>();
  const counters = { requests: 0 };

  for (const spec of specs) {
    const cluster = new SandboxCluster(spec, Date.now);
    clusters.set(spec.name, cluster);
    tokens.set(cluster.tokens.admin, { cluster, access: 'admin' });
    tokens.set(cluster.tokens.readonly, { cluster, access: 'readonly' });
    seedInstalledCluster(cluster, spec.platform.toLowerCase() === 'aws' ? mainKeys : undefined);
    if (options.seedDir !== undefined) {
      const objects = await readSeedObjects(join(options.seedDir, spec.name));
      const ordered = [...objects.filter((object) => object['kind'] === 'Namespace'), ...objects.filter((object) => object['kind'] !== 'Namespace')];
      for (const object of ordered) seedObject(cluster.store, object);
    }
    const operator = new SimulatedOperator(cluster, aws, timing);
    operator.start(true);
    operators.set(spec.name, operator);
  }

  const tls = await tlsPending;
  const ecdsa = tls.ecdsa === undefined ? undefined : { serverName: tls.ecdsa.serverName, context: createSecureContext({ key: tls.ecdsa.keyPem, cert: tls.ecdsa.certPem }) };
  // without ecdsaServerName no SNI callback at all: every handshake as before the option existed
  const server: Server = createServer({
    key: tls.keyPem,
    cert: tls.certPem,
    ...(ecdsa === undefined ? {} : { SNICallback: (name: string, done: (error: Error | null, context?: SecureContext) => void) => done(null, name === ecdsa.serverName ? ecdsa.context : undefined) }),
  });
  server.keepAliveTimeout = 65_000;

  const state: { url: string; stopping: Promise<void> | undefined } = { url: '', stopping: undefined };

  const handleCluster = (req: IncomingMessage, res: ServerResponse, cluster: SandboxCluster, path: string, query: string): void => {
    const run = (body: Buffer): void => {
      const auth = req.headers.authorization;
      const entry = auth !== undefined && auth.startsWith('Bearer ') ? tokens.get(auth.slice(7).trim()) : undefined;
      const access = entry !== undefined && entry.cluster === cluster ? entry.access : undefined;
      handleKubeRequest(
        { cluster, method: req.method ?? 'GET', path, query: new URLSearchParams(query), headers: req.headers, body, access, userName: access === undefined ? 'system:anonymous' : userNames[access] },
        res,
      );
    };
    const proceed = (): void => {
      const decision = decideFault(cluster.faults);
      if (decision.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (decision.kind === 'status') {
        const status = decision.code === 429 ? buildTooManyRequests(decision.retryAfterSeconds) : decision.code === 503 ? buildServiceUnavailable() : buildInternalError('injected fault');
        req.resume();
        sendStatus(res, status, decision.code === 429 ? { 'Retry-After': String(decision.retryAfterSeconds) } : undefined);
        return;
      }
      if (bodyMethods.has(req.method ?? '')) readBody(req).then(run, () => req.socket.destroy());
      else run(Buffer.alloc(0));
    };
    const delay = computeDelay(cluster.faults);
    if (delay > 0) setTimeout(proceed, delay).unref();
    else proceed();
  };

  const adminToken = randomBytes(24).toString('base64url');
  const expectedAuth = Buffer.from(`Bearer ${adminToken}`);
  /** True when the request carries the admin token; compared in constant time. */
  const isAdmin = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!isAdmin(req)) {
      req.resume();
      res.setHeader('www-authenticate', 'Bearer realm="regops-sandbox"');
      return sendJson(res, 401, JSON.stringify({ error: 'the /_sandbox/ control endpoints need the sandbox admin token: Authorization: Bearer <adminToken> (startSandbox returns it; regops sandbox up writes it to .regops/sandbox.json)' }));
    }
    const body = await readBody(req);
    const parts = path.split('/').filter((part) => part !== '');
    if (req.method === 'GET' && parts[1] === 'status') return sendJson(res, 200, JSON.stringify(describeStatus()));
    if (req.method === 'POST' && parts[1] === 'faults' && parts[2] !== undefined) {
      const cluster = clusters.get(decodeURIComponent(parts[2]));
      if (cluster === undefined) return sendJson(res, 404, JSON.stringify({ error: `no cluster ${parts[2]}` }));
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (isJsonMap(parsed) && parsed['clear'] === true) cluster.faults = {};
      else cluster.faults = { ...cluster.faults, ...sanitizeFaultSettings(parsed) };
      return sendJson(res, 200, JSON.stringify({ cluster: cluster.spec.name, faults: cluster.faults }));
    }
    if (req.method === 'POST' && parts[1] === 'outside-write' && parts[2] !== undefined) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!isJsonMap(parsed) || !isJsonMap(parsed['ref']) || !isJsonMap(parsed['mergePatch'])) return sendJson(res, 400, JSON.stringify({ error: 'body must be {ref, mergePatch}' }));
      await sandbox.outsideWrite(decodeURIComponent(parts[2]), parsed['ref'] as unknown as ObjectRef, parsed['mergePatch']);
      return sendJson(res, 200, JSON.stringify({ ok: true }));
    }
    if (req.method === 'POST' && parts[1] === 'shutdown') {
      sendJson(res, 200, JSON.stringify({ stopping: true }));
      setImmediate(() => void sandbox.stop());
      return;
    }
    return sendStatus(res, buildPathNotFound());
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    counters.requests += 1;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/clusters/')) {
      const end = path.indexOf('/', 10);
      const name = decodeURIComponent(end < 0 ? path.slice(10) : path.slice(10, end));
      const cluster = clusters.get(name);
      if (cluster === undefined) {
        req.resume();
        return sendStatus(res, buildPathNotFound());
      }
      return handleCluster(req, res, cluster, end < 0 ? '/' : path.slice(end), q < 0 ? '' : url.slice(q + 1));
    }
    if (path === '/aws' || path.startsWith('/aws/')) {
      readBody(req)
        .then((body) => aws.handle(req, res, url.slice(4) === '' ? '/' : url.slice(4), body))
        .catch(() => {
          if (!res.headersSent) sendStatus(res, buildInternalError('aws emulator failure'));
        });
      return;
    }
    if (path.startsWith('/_sandbox/')) {
      handleControl(req, res, path).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, error instanceof SyntaxError ? 400 : 500, JSON.stringify({ error: error instanceof Error ? error.message : 'failed' }));
      });
      return;
    }
    req.resume();
    sendStatus(res, buildPathNotFound());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  state.url = `https://${urlHost}:${port}`;
  const clusterUrl = (name: string): string => `${state.url}/clusters/${encodeURIComponent(name)}`;

  const requireCluster = (name: string): SandboxCluster => {
    const cluster = clusters.get(name);
    if (cluster === undefined) throw new Error(`sandbox: no cluster named ${name}`);
    return cluster;
  };

  const kubeconfig = renderKubeconfig(
    specs.map((spec) => ({ name: spec.name, server: clusterUrl(spec.name), token: requireCluster(spec.name).tokens.admin })),
    tls.caPem,
  );
  if (options.kubeconfigPath !== undefined) {
    await mkdir(dirname(options.kubeconfigPath), { recursive: true });
    await writeFile(options.kubeconfigPath, kubeconfig, { mode: 0o600 });
  }

  // Secrets Manager seeds regops reads (docs/interfaces.md §2)
  aws.putSecret('regops/github-webhook-secret', randomBytes(20).toString('hex'));
  for (const spec of specs) {
    const keys = generateAccessKey();
    aws.addAccessKey(keys.accessKeyId, keys.secretAccessKey);
    aws.putSecret(`regops/${spec.name}/registry-s3`, JSON.stringify(keys));
    aws.putSecret(`regops/clusters/${spec.name}`, JSON.stringify({ server: clusterUrl(spec.name), caData: Buffer.from(tls.caPem).toString('base64'), token: requireCluster(spec.name).tokens.admin }));
  }

  const describeStatus = (): JsonMap => ({
    url: state.url,
    aws: { endpoint: `${state.url}/aws`, region },
    requests: counters.requests,
    clusters: specs.map((spec) => {
      const cluster = requireCluster(spec.name);
      const operatorError = operators.get(spec.name)?.lastError;
      const entry: JsonMap = { name: spec.name, platform: spec.platform, region: spec.region, url: clusterUrl(spec.name), faults: { ...cluster.faults }, reads: cluster.stats.reads, writes: cluster.stats.writes };
      if (operatorError !== undefined) entry['operatorError'] = operatorError;
      return entry;
    }),
  });

  const sandbox: Sandbox = {
    url: state.url,
    kubeconfig,
    caPem: tls.caPem,
    adminToken,
    clusters: specs.map((spec) => spec.name),
    clusterUrl,
    token: (name, access = 'admin') => requireCluster(name).tokens[access],
    aws: { endpoint: `${state.url}/aws`, region, accessKeyId: mainKeys.accessKeyId, secretAccessKey: mainKeys.secretAccessKey },
    faults: (name): FaultControl => {
      const cluster = requireCluster(name);
      return {
        set: (settings) => {
          cluster.faults = { ...cluster.faults, ...sanitizeFaultSettings(settings) };
        },
        clear: () => {
          cluster.faults = {};
        },
        current: () => ({ ...cluster.faults }),
      };
    },
    outsideWrite: async (name, ref, mergePatch) => {
      const cluster = requireCluster(name);
      const { info, namespace } = readRef(cluster, ref);
      const live = cluster.store.get(info, namespace, ref.name);
      if (live === undefined) throw new ApiStatusError(buildNotFound(info, ref.name));
      const patched = applyMergePatch(live.object, mergePatch as JsonMap);
      if (!isJsonMap(patched)) throw new Error(`sandbox: cluster ${name}: outside write produced a non-object`);
      cluster.store.write({ info, namespace, name: ref.name, object: patched, create: false, manager: 'kubectl-patch', operation: 'Update' });
    },
    getObject: (name, ref) => {
      const cluster = requireCluster(name);
      const { info, namespace } = readRef(cluster, ref);
      const stored = cluster.store.get(info, namespace, ref.name);
      return stored === undefined ? undefined : (JSON.parse(stored.json) as unknown);
    },
    stats: (): SandboxStats => {
      const byCluster: SandboxStats['byCluster'] = {};
      for (const [name, cluster] of clusters) byCluster[name] = { ...cluster.stats };
      return { requests: counters.requests, byCluster };
    },
    stop: () => {
      state.stopping ??= new Promise<void>((resolve) => {
        for (const operator of operators.values()) operator.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return state.stopping;
    },
  };
  if (options.kubeconfigPath !== undefined) sandbox.kubeconfigPath = options.kubeconfigPath;
  return sandbox;
}
