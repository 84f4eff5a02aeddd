/**
 * Keep-alive agents shared across clusters with the same TLS material. A fleet's clusters usually
 * share one CA (and often a client certificate), and node builds a new TLS secure context for every
 * connection unless it is handed one: parsing the CA bundle then costs more CPU than the request.
 * So one agent and one secure context per (scheme, CA, client cert/key, verification, SNI name); the
 * agent still pools connections per host:port, so clusters on different servers never share a socket.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AgentOptions, RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';

type TlsData = string | Buffer | Array<string | Buffer> | undefined;

function hashTlsData(hash: ReturnType<typeof createHash>, label: string, data: TlsData): void {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  hash.update(`${label}:${parts.length};`);
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
}

export class AgentCache {
  // keyed by a digest, so client keys never sit in a Map key
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();

  /** Agents held, for tests and benchmarks. */
  get size(): number {
    return this.agents.size;
  }

  /**
   * The keep-alive agent for the kubeconfig's current cluster and user; undefined behind a proxy
   * (client-node then builds its proxy agent per request, as before).
   */
  async agentFor(kubeConfig: KubeConfig): Promise<HttpAgent | HttpsAgent | undefined> {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null || cluster.proxyUrl !== undefined) return undefined;
    if (cluster.server.startsWith('http:')) return this.remember('http', () => new HttpAgent({ keepAlive: true }));
    // the TLS material exactly as client-node applies it to its own requests (files read, base64 decoded)
    const tls: RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(tls);
    const rejectUnauthorized = cluster.skipTLSVerify ? false : tls.rejectUnauthorized;
    const servername = cluster.tlsServerName;
    const hash = createHash('sha256');
    hashTlsData(hash, 'ca', tls.ca);
    hashTlsData(hash, 'cert', tls.cert);
    hashTlsData(hash, 'key', tls.key as TlsData);
    hash.update(`verify:${String(rejectUnauthorized)};sni:${servername ?? ''}`);
    return this.remember(`https:${hash.digest('hex')}`, () => {
      const material: AgentOptions = {};
      if (tls.ca !== undefined) material.ca = tls.ca;
      if (tls.cert !== undefined) material.cert = tls.cert;
      if (tls.key !== undefined) material.key = tls.key;
      const options: AgentOptions = { keepAlive: true, secureContext: createSecureContext(material) };
      // ca/cert/key stay out of the agent options: the agent is this material's alone, and node would
      // otherwise concatenate the whole CA bundle into every request's pool name
      if (rejectUnauthorized !== undefined) options.rejectUnauthorized = rejectUnauthorized;
      if (servername !== undefined) options.servername = servername;
      return new HttpsAgent(options);
    });
  }

  private remember(key: string, build: () => HttpAgent | HttpsAgent): HttpAgent | HttpsAgent {
    let agent = this.agents.get(key);
    if (agent === undefined) {
      agent = build();
      this.agents.set(key, agent);
    }
    return agent;
  }
}
