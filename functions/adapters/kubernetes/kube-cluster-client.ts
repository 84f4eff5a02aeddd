/**
 * ClusterClient over @kubernetes/client-node 1.4 (KubernetesObjectApi): plain-JSON reads, JSON merge
 * patches sent as core built them (the resourceVersion precondition inside), server-side dry run, keep-alive
 * connection pools shared by clusters with the same TLS material (agent-cache.ts) and a per-request
 * timeout. Secret data leaves as digests and goes in as values only here. No retries, no waiting:
 * failures become ClusterError for the engine to judge.
 *
 * One client path: every request goes through client-node. A second stack for GETs (node:https with
 * headers lifted from client-node) saved ~0.2 ms of CPU per GET on kept-alive connections, but the
 * drift benchmark over 1,000 hosts showed no difference (TLS handshakes and client set-up dominate:
 * test/bench/drift.bench.ts), and the inventory (core/inventory.ts) halved the GETs of a scan, so it
 * was removed (issue 12).
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { ApiException, KubernetesObjectApi, PatchStrategy, ServerConfiguration, createConfiguration } from '@kubernetes/client-node';
import type { Configuration, KubeConfig, KubernetesObject, RequestContext, ResponseContext, V1APIResource } from '@kubernetes/client-node';
import type { JsonObject, ResourceRef } from '../../core/model.ts';
import type { ClusterClient, WriteOptions } from '../../engine/ports.ts';
import { ClusterError } from '../errors.ts';
import { digestSecretData, isSecretObject, listSecretForms, revealSecretData } from '../secrets/kubernetes-secret-data.ts';
import { AgentCache } from './agent-cache.ts';
import { describeRef } from '../../core/resource-ref.ts';
import { findKnownResource } from './known-resources.ts';
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

export class KubeClusterClient implements ClusterClient {
  readonly cluster: string;
  private readonly api: PlainObjectApi;
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
    this.api = new PlainObjectApi(configuration);
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
      const created = await this.api.create<ObjectBody>(spec, undefined, options.dryRun === true ? 'All' : undefined, this.fieldManager);
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
      // MergePatch always: the default strategic merge patch gets 415 from CRDs (docs/toolchain-facts.md)
      const patched = await this.api.patch<ObjectBody>(spec, undefined, options.dryRun === true ? 'All' : undefined, this.fieldManager, undefined, PatchStrategy.MergePatch);
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
