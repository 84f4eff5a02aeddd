/**
 * ClusterClient over @kubernetes/client-node 1.4 (KubernetesObjectApi): plain-JSON reads, JSON merge
 * patches sent as core built them (the resourceVersion precondition inside), server-side dry run, keep-alive
 * connection pools shared by clusters with the same TLS material (agent-cache.ts) and a per-request
 * timeout. Secret data leaves as digests and goes in as values only here. No retries, no waiting:
 * failures become ClusterError for the engine to judge.
 *
 * Why GETs of known kinds take a lean path: a drift scan of a fleet is nothing but GETs, and through
 * client-node each one re-decodes the kubeconfig's CA and keys, builds a throw-away https.Agent, runs
 * the middleware chain and node-fetch: test/bench/drift.bench.ts measured ~0.3 ms of regops CPU per
 * request on kept-alive connections that way, ~0.14 ms with this path (planning included). So for a kubeconfig user with static credentials (token,
 * basic auth or client certificate; no exec plugin or auth provider, whose tokens expire) and no
 * proxy, the client takes the Authorization/Impersonate headers and TLS material once, from client-node's
 * own KubeConfig.applyToHTTPSOptions, and sends the GET with node:https (send-get.ts), failing the
 * way client-node does so the error mapping is one. Everything else (writes, unknown kinds needing
 * discovery, exec/auth-provider users, proxies, redirects) goes through client-node as before.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent, RequestOptions } from 'node:https';
import { ApiException, KubernetesObjectApi, PatchStrategy, ServerConfiguration, createConfiguration } from '@kubernetes/client-node';
import type { Configuration, KubeConfig, KubernetesObject, RequestContext, ResponseContext, V1APIResource } from '@kubernetes/client-node';
import type { JsonObject, ResourceRef } from '../../core/model.ts';
import type { ClusterClient, WriteOptions } from '../ports.ts';
import { ClusterError } from '../errors.ts';
import { digestSecretData, isSecretObject, listSecretForms, revealSecretData } from '../secrets/kubernetes-secret-data.ts';
import { AgentCache } from './agent-cache.ts';
import { findKnownResource, formatObjectPath, formatResourceLabel } from './known-resources.ts';
import { sendGet } from './send-get.ts';
import { toClusterError } from './to-cluster-error.ts';

export interface KubeClusterClientOptions {
  /** Abort a request that has not answered within this many ms (default 30,000): `cluster.unreachable`. */
  requestTimeoutMs?: number;
  /** `fieldManager` on writes (default `regops`). */
  fieldManager?: string;
  /** Agents shared with other clients (a connector's); default: an agent of this client's own. */
  agents?: AgentCache;
}

/** What the lean GET path needs, fixed when the client is built (see the file comment). */
export interface LeanRoute {
  /** The cluster's server URL, as client-node prefixes paths with it. */
  server: string;
  headers: Record<string, string>;
  agent: HttpAgent | HttpsAgent | undefined;
}

type ObjectBody = KubernetesObject & JsonObject;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * KubernetesObjectApi with two changes: kinds regops knows skip discovery, and answers stay plain
 * JSON (the stock class turns core kinds into model classes with Date fields and drops unknown keys).
 */
class PlainObjectApi extends KubernetesObjectApi {
  protected override async resource(apiVersion: string, kind: string, options?: Configuration): Promise<V1APIResource | undefined> {
    const known = findKnownResource(apiVersion, kind);
    if (known !== undefined) return { kind, name: known.name, namespaced: known.namespaced, singularName: kind.toLowerCase(), verbs: [] };
    return super.resource(apiVersion, kind, options);
  }

  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T;
    throw new ApiException(response.httpStatusCode, `HTTP ${response.httpStatusCode}`, parseJson(text), response.headers);
  }
}

/**
 * The lean GET route for a kubeconfig whose current user has static credentials and whose cluster has
 * no proxy; undefined otherwise. Headers are what client-node's applySecurityAuthentication would set.
 */
async function buildLeanRoute(kubeConfig: KubeConfig, agent: HttpAgent | HttpsAgent | undefined): Promise<LeanRoute | undefined> {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (cluster === null || cluster.proxyUrl !== undefined) return undefined;
  if (user !== null && (user.exec !== undefined || user.authProvider !== undefined)) return undefined;
  if (agent === undefined && !cluster.server.startsWith('http:')) return undefined;
  const applied: RequestOptions = {};
  try {
    await kubeConfig.applyToHTTPSOptions(applied);
  } catch {
    // client-node refuses this config (plain http without insecure-skip-tls-verify, unreadable
    // files): its own path then fails each request with that message, as it always did
    return undefined;
  }
  // Accept as KubernetesObjectApi.read sends it, User-Agent as node-fetch sends it under client-node, so the
  // API server's audit log shows one client either way; no Accept-Encoding: answers come uncompressed
  const headers: Record<string, string> = { Accept: 'application/json, */*;q=0.8', 'User-Agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)' };
  if (user?.username !== undefined && user.username !== '') headers['Authorization'] = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  for (const [name, value] of Object.entries(applied.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return { server: cluster.server, headers, agent };
}

export class KubeClusterClient implements ClusterClient {
  readonly cluster: string;
  private readonly api: PlainObjectApi;
  private readonly counts = { reads: 0, writes: 0 };
  private readonly fieldManager: string;
  private readonly timeoutMs: number;

  /** Use createKubeClusterClient; the constructor takes parts already built. */
  constructor(
    cluster: string,
    kubeConfig: KubeConfig,
    agent: HttpAgent | HttpsAgent | undefined,
    options: KubeClusterClientOptions = {},
    private readonly lean?: LeanRoute,
  ) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) {
      throw new ClusterError('cluster.invalid', `cluster ${cluster}: the kubeconfig context names no cluster server`, { cluster });
    }
    this.cluster = cluster;
    this.fieldManager = options.fieldManager ?? 'regops';
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.timeoutMs = timeoutMs;
    const counts = this.counts;
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [
        {
          // runs after the kubeconfig auth: keep its headers, swap its per-request agent for the pooled one
          pre: (context: RequestContext): Promise<RequestContext> => {
            if (context.getHttpMethod() === 'GET') counts.reads += 1;
            else counts.writes += 1;
            if (agent !== undefined) context.setAgent(agent);
            context.setSignal(AbortSignal.timeout(timeoutMs));
            return Promise.resolve(context);
          },
          post: (response: ResponseContext): Promise<ResponseContext> => Promise.resolve(response),
        },
      ],
    });
    this.api = new PlainObjectApi(configuration);
  }

  get requestCount(): { reads: number; writes: number } {
    return { ...this.counts };
  }

  async get(ref: ResourceRef): Promise<JsonObject | undefined> {
    try {
      const object = (await this.readLean(ref)) ?? (await this.api.read<ObjectBody>(this.header(ref)));
      return this.present(object);
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw toClusterError(error, { cluster: this.cluster, resource: formatResourceLabel(ref), verb: 'read', redact: [] });
    }
  }

  async create(ref: ResourceRef, body: JsonObject, options: WriteOptions = {}): Promise<JsonObject> {
    const verb = options.dryRun === true ? 'dry-run create' : 'create';
    const resource = formatResourceLabel(ref);
    const spec = this.reveal(ref, { ...body, ...this.identity(ref), metadata: { ...this.metadataOf(body), ...this.header(ref).metadata } }, options);
    try {
      const created = await this.api.create<ObjectBody>(spec, undefined, options.dryRun === true ? 'All' : undefined, this.fieldManager);
      return this.present(created);
    } catch (error) {
      throw toClusterError(error, { cluster: this.cluster, resource, verb, redact: listSecretForms(options.secretValues) });
    }
  }

  async patch(ref: ResourceRef, patch: JsonObject, options: WriteOptions = {}): Promise<JsonObject> {
    const verb = options.dryRun === true ? 'dry-run patch' : 'patch';
    const resource = formatResourceLabel(ref);
    // sent as given, identity added for client-node's URL: a metadata.resourceVersion in the patch is
    // the precondition the API server checks (409 if stale); core/plan.ts puts it there
    const spec = this.reveal(ref, { ...patch, ...this.identity(ref), metadata: { ...this.metadataOf(patch), ...this.header(ref).metadata } }, options);
    try {
      // MergePatch always: the default strategic merge patch gets 415 from CRDs (toolchain.md)
      const patched = await this.api.patch<ObjectBody>(spec, undefined, options.dryRun === true ? 'All' : undefined, this.fieldManager, undefined, PatchStrategy.MergePatch);
      return this.present(patched);
    } catch (error) {
      throw toClusterError(error, { cluster: this.cluster, resource, verb, redact: listSecretForms(options.secretValues) });
    }
  }

  /** The object over the lean path; undefined when that path does not apply or the server redirected. */
  private async readLean(ref: ResourceRef): Promise<ObjectBody | undefined> {
    const path = this.lean === undefined ? undefined : formatObjectPath(ref);
    if (this.lean === undefined || path === undefined) return undefined;
    this.counts.reads += 1;
    const answer = await sendGet({ url: `${this.lean.server}${path}`, headers: this.lean.headers, agent: this.lean.agent, timeoutMs: this.timeoutMs });
    return answer.kind === 'body' ? (answer.body as ObjectBody) : undefined;
  }

  private identity(ref: ResourceRef): { apiVersion: string; kind: string } {
    return { apiVersion: ref.apiVersion, kind: ref.kind };
  }

  private header(ref: ResourceRef): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
    const metadata: { name: string; namespace?: string } = { name: ref.name };
    if (ref.namespace !== undefined) metadata.namespace = ref.namespace;
    return { ...this.identity(ref), metadata };
  }

  private metadataOf(body: JsonObject): JsonObject {
    const metadata = body['metadata'];
    return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {};
  }

  private reveal(ref: ResourceRef, body: JsonObject, options: WriteOptions): ObjectBody {
    const out = isSecretObject(body) ? revealSecretData(body, options.secretValues, { cluster: this.cluster, resource: formatResourceLabel(ref) }) : body;
    return out as ObjectBody;
  }

  private present(object: KubernetesObject): JsonObject {
    const json = object as unknown as JsonObject;
    return isSecretObject(json) ? digestSecretData(json) : json;
  }
}

/** Builds a client for the kubeconfig's current context (set it to the cluster's context first). */
export async function createKubeClusterClient(cluster: string, kubeConfig: KubeConfig, options: KubeClusterClientOptions = {}): Promise<KubeClusterClient> {
  const agent = await (options.agents ?? new AgentCache()).agentFor(kubeConfig);
  return new KubeClusterClient(cluster, kubeConfig, agent, options, await buildLeanRoute(kubeConfig, agent));
}
