import { request } from 'node:https';
import { TestbedError } from './testbed-error.ts';

export interface KubeResponse {
  status: number;
  body: unknown;
  text: string;
}

/** The few API calls the launcher makes to set a cluster up: JSON over HTTPS with the admin token. */
export class KubeClient {
  constructor(
    readonly cluster: string,
    readonly server: string,
    private readonly token: string,
    private readonly caPem: string,
  ) {}

  call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        {
          method,
          ca: this.caPem,
          timeout: 30_000,
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': payload.length }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // plain-text answers (/readyz) stay text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Creates an object; an existing one (409) is fine. Other failures throw naming the object. */
  async create(path: string, object: Record<string, unknown>): Promise<void> {
    const res = await this.call('POST', path, object);
    if (res.status === 409 || (res.status >= 200 && res.status < 300)) return;
    throw new TestbedError('cluster.create-failed', `${this.cluster}: creating ${describe(object)} failed: HTTP ${res.status} ${res.text.slice(0, 400)}`, { cluster: this.cluster });
  }

  /** Replaces the status subresource (GET, then PUT): a merge patch would drop the `null`s some required fields hold (ClusterVersion availableUpdates). */
  async putStatus(path: string, status: unknown): Promise<void> {
    const live = await this.get(path);
    if (live === undefined) throw new TestbedError('cluster.status-failed', `${this.cluster}: ${path} is missing`, { cluster: this.cluster });
    const res = await this.call('PUT', `${path}/status`, { ...live, status });
    if (res.status >= 200 && res.status < 300) return;
    throw new TestbedError('cluster.status-failed', `${this.cluster}: setting the status of ${path} failed: HTTP ${res.status} ${res.text.slice(0, 400)}`, { cluster: this.cluster });
  }

  async get(path: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.call('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) throw new TestbedError('cluster.get-failed', `${this.cluster}: GET ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`, { cluster: this.cluster });
    return res.body as Record<string, unknown>;
  }
}

function describe(object: Record<string, unknown>): string {
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  return `${String(object['kind'])} ${metadata['namespace'] === undefined ? '' : `${String(metadata['namespace'])}/`}${String(metadata['name'])}`;
}
