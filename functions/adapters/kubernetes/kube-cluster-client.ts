/**
 * ClusterClient over @kubernetes/client-node 1.4: plain-JSON reads, JSON merge patches sent as core
 * built them (the resourceVersion precondition inside), server-side dry run, keep-alive connection
 * pools shared by clusters with the same TLS material (agent-cache.ts) and a per-request timeout.
 * Secret data leaves as digests and goes in as values only here. No retries, no waiting: failures
 * become ClusterError for the engine to judge.
 *
 * One client path: every request goes through client-node's request machinery (its RequestContext,
 * the KubeConfig's authentication, the middleware, its HTTP library). A second stack for GETs
 * (node:https with headers lifted from client-node) saved ~0.2 ms of CPU per GET on kept-alive
 * connections, but the drift benchmark over 1,000 hosts showed no difference (TLS handshakes and
 * client set-up dominate: test/bench/drift.bench.ts), and the inventory (core/inventory.ts) halved
 * the GETs of a scan, so it was removed (issue 12).
 *
 * client-node is imported module by module (dist/…), not from its index: the index and
 * KubernetesObjectApi's ObjectSerializer pull in every generated model class (0.37 MB of the
 * function bundles, infra/bundle.ts) and ws, tar and form-data for exec/attach/cp, none of which
 * regops uses (issue 14 item 9).
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js';
import { HttpMethod } from '@kubernetes/client-node/dist/gen/http/http.js';
import { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js';
import { PatchStrategy } from '@kubernetes/client-node/dist/patch.js';
import type { Configuration, KubeConfig, KubernetesObject, RequestContext, ResponseContext } from '@kubernetes/client-node';
import type { JsonObject, ResourceRef } from '../../core/model.ts';
import type { ClusterClient, WriteOptions } from '../../engine/ports.ts';
import { ClusterError } from '../errors.ts';
import { digestSecretData, isSecretObject, listSecretForms, revealSecretData } from '../secrets/kubernetes-secret-data.ts';
import { AgentCache } from './agent-cache.ts';
import { describeRef } from '../../core/resource-ref.ts';
import { findKnownResource, type KnownResource } from './known-resources.ts';
import { toClusterError } from './to-cluster-error.ts';

export interface KubeClusterClientOptions {
  /** Abort a request that has not answered within this many ms (default 30,000): `cluster.unreachable`. */
  requestTimeoutMs?: number;
  /** `fieldManager` on writes (default `regops`). */
  fieldManager?: string;
  /** Agents shared with other clients (a connector's); default: an agent of this client's own. */
  agents?: AgentCache;
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
 * The read, create and merge-patch requests of client-node's KubernetesObjectApi (dist/object.js),
 * made the same way on the same machinery (URL from the API resource, Accept and Content-Type,
 * dryRun and fieldManager parameters, the configuration's authentication and middleware, its HTTP
 * library), with two changes: kinds regops knows skip discovery, and bodies stay plain JSON both
 * ways. KubernetesObjectApi runs them through the generated model classes, which turn core kinds
 * into objects with Date fields and drop the keys a model does not list; regops sends and reads
 * objects as the API server does, as kubectl does.
 */
class PlainObjectRequests {
  // discovery answers per group-version, as KubernetesObjectApi caches them
  private readonly discovered = new Map<string, Array<{ kind: string; name: string; namespaced: boolean }>>();

  constructor(private readonly configuration: Configuration) {}

  read<T extends KubernetesObject>(spec: KubernetesObject): Promise<T> {
    return this.send<T>(this.uriPath(spec, 'read'), HttpMethod.GET);
  }

  create<T extends KubernetesObject>(spec: KubernetesObject, dryRun: 'All' | undefined, fieldManager: string): Promise<T> {
    return this.send<T>(this.uriPath(spec, 'create'), HttpMethod.POST, (context) => {
      if (dryRun !== undefined) context.setQueryParam('dryRun', dryRun);
      context.setQueryParam('fieldManager', fieldManager);
      context.setHeaderParam('Content-Type', 'application/json');
      context.setBody(JSON.stringify(spec));
    });
  }

  patch<T extends KubernetesObject>(spec: KubernetesObject, dryRun: 'All' | undefined, fieldManager: string): Promise<T> {
    return this.send<T>(this.uriPath(spec, 'patch'), HttpMethod.PATCH, (context) => {
      // MergePatch always: the default strategic merge patch gets 415 from CRDs (docs/toolchain-facts.md)
      context.setHeaderParam('Content-Type', PatchStrategy.MergePatch);
      if (dryRun !== undefined) context.setQueryParam('dryRun', dryRun);
      context.setQueryParam('fieldManager', fieldManager);
      context.setBody(JSON.stringify(spec));
    });
  }

  /** KubernetesObjectApi.specUriPath: /api[s]/<apiVersion>[/namespaces/<ns>]/<resource>[/<name>], lower-cased. */
  private async uriPath(spec: KubernetesObject, action: 'read' | 'create' | 'patch'): Promise<string> {
    const apiVersion = spec.apiVersion ?? 'v1';
    const kind = spec.kind ?? '';
    const resource = await this.resource(apiVersion, kind);
    if (resource === undefined) throw new Error(`Unrecognized API version and kind: ${apiVersion} ${kind}`);
    const metadata = spec.metadata ?? {};
    const parts = [this.apiVersionPath(apiVersion)];
    if (resource.namespaced) parts.push('namespaces', encodeURIComponent(metadata.namespace ?? 'default'));
    parts.push(resource.name);
    if (action !== 'create') parts.push(encodeURIComponent(metadata.name ?? ''));
    return parts.join('/').toLowerCase();
  }

  private apiVersionPath(apiVersion: string): string {
    return `/${apiVersion.includes('/') ? 'apis' : 'api'}/${apiVersion}`;
  }

  private async resource(apiVersion: string, kind: string): Promise<KnownResource | undefined> {
    const known = findKnownResource(apiVersion, kind);
    if (known !== undefined) return known;
    const cached = this.discovered.get(apiVersion)?.find((r) => r.kind === kind);
    if (cached !== undefined) return cached;
    try {
      const list = await this.send<KubernetesObject & { resources?: Array<{ kind: string; name: string; namespaced: boolean }> }>(Promise.resolve(this.apiVersionPath(apiVersion)), HttpMethod.GET);
      this.discovered.set(apiVersion, list.resources ?? []);
      return list.resources?.find((r) => r.kind === kind);
    } catch (error) {
      if (error instanceof Error) error.message = `Failed to fetch resource metadata for ${apiVersion}/${kind}: ${error.message}`;
      throw error;
    }
  }

  /** KubernetesObjectApi.requestPromise: authentication, middleware pre, the HTTP library, middleware post. */
  private async send<T>(path: Promise<string>, method: HttpMethod, prepare?: (context: RequestContext) => void): Promise<T> {
    const { baseServer, authMethods, middleware, httpApi } = this.configuration;
    let context = baseServer.makeRequestContext(await path, method);
    context.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    prepare?.(context);
    await authMethods.BearerToken?.applySecurityAuthentication(context);
    await authMethods.default?.applySecurityAuthentication(context);
    for (const step of middleware) context = await step.pre(context).toPromise();
    let response: ResponseContext = await httpApi.send(context).toPromise();
    for (const step of middleware) response = await step.post(response).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T;
    throw new ApiException(response.httpStatusCode, `HTTP ${response.httpStatusCode}`, parseJson(text), response.headers);
  }
}

export class KubeClusterClient implements ClusterClient {
  readonly cluster: string;
  private readonly api: PlainObjectRequests;
  private readonly counts = { reads: 0, writes: 0 };
  private readonly fieldManager: string;

  /** Use createKubeClusterClient; the constructor takes parts already built. */
  constructor(
    cluster: string,
    kubeConfig: KubeConfig,
    agent: HttpAgent | HttpsAgent | undefined,
    options: KubeClusterClientOptions = {},
  ) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) {
      throw new ClusterError('cluster.invalid', `cluster ${cluster}: the kubeconfig context names no cluster server`, { cluster });
    }
    this.cluster = cluster;
    this.fieldManager = options.fieldManager ?? 'regops';
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
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
    this.api = new PlainObjectRequests(configuration);
  }

  get requestCount(): { reads: number; writes: number } {
    return { ...this.counts };
  }

  async get(ref: ResourceRef): Promise<JsonObject | undefined> {
    try {
      return this.present(await this.api.read<ObjectBody>(this.header(ref)));
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw toClusterError(error, { cluster: this.cluster, resource: describeRef(ref), verb: 'read', redact: [] });
    }
  }

  async create(ref: ResourceRef, body: JsonObject, options: WriteOptions = {}): Promise<JsonObject> {
    const verb = options.dryRun === true ? 'dry-run create' : 'create';
    const resource = describeRef(ref);
    const spec = this.reveal(ref, { ...body, ...this.identity(ref), metadata: { ...this.metadataOf(body), ...this.header(ref).metadata } }, options);
    try {
      const created = await this.api.create<ObjectBody>(spec, options.dryRun === true ? 'All' : undefined, this.fieldManager);
      return this.present(created);
    } catch (error) {
      throw toClusterError(error, { cluster: this.cluster, resource, verb, redact: listSecretForms(options.secretValues) });
    }
  }

  async patch(ref: ResourceRef, patch: JsonObject, options: WriteOptions = {}): Promise<JsonObject> {
    const verb = options.dryRun === true ? 'dry-run patch' : 'patch';
    const resource = describeRef(ref);
    // sent as given, identity added for client-node's URL: a metadata.resourceVersion in the patch is
    // the precondition the API server checks (409 if stale); core/plan.ts puts it there
    const spec = this.reveal(ref, { ...patch, ...this.identity(ref), metadata: { ...this.metadataOf(patch), ...this.header(ref).metadata } }, options);
    try {
      const patched = await this.api.patch<ObjectBody>(spec, options.dryRun === true ? 'All' : undefined, this.fieldManager);
      return this.present(patched);
    } catch (error) {
      throw toClusterError(error, { cluster: this.cluster, resource, verb, redact: listSecretForms(options.secretValues) });
    }
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
    const out = isSecretObject(body) ? revealSecretData(body, options.secretValues, { cluster: this.cluster, resource: describeRef(ref) }) : body;
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
  return new KubeClusterClient(cluster, kubeConfig, agent, options);
}
