/**
 * An HTTP proxy in front of the GitHub stand-in that can lose answers: while a rule for a request
 * (method + path pattern) has `count` > 0, the request is forwarded and carried out by the stand-in,
 * then answered 502 Bad Gateway, as GitHub's front end sometimes does for a write it made. This is
 * the partial success a retried create must not repeat (functions/adapters/github/github-publisher.ts
 * createOnce); the stand-in itself has no switch for it (its routes answer what they did). A rule
 * made with `fail` answers 502 without forwarding: a write GitHub did not make.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LostAnswerRule {
  method: string;
  path: RegExp;
  /** Answers still to lose. */
  count: number;
  /** Whether the request reaches the stand-in before the 502 (lose) or not (fail). */
  forward: boolean;
  /** Answers lost so far. */
  lost: number;
}

export interface LostAnswerProxy {
  url: string;
  /** Loses the next `count` answers to `method` requests whose path matches; returns the rule to read `lost`. */
  lose(method: string, path: RegExp, count: number): LostAnswerRule;
  /** Answers the next `count` such requests 502 without forwarding them. */
  fail(method: string, path: RegExp, count: number): LostAnswerRule;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startLostAnswerProxy(target: string): Promise<LostAnswerProxy> {
  const rules: LostAnswerRule[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name, value]) => typeof value === 'string' && name !== 'host' && name !== 'content-length')) as Record<string, string>;
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', target).pathname;
      const rule = rules.find((r) => r.count > 0 && r.method === method && r.path.test(path));
      const answer = rule?.forward === false ? undefined : await fetch(`${target}${req.url ?? '/'}`, { method, headers, ...(body.length === 0 ? {} : { body }) });
      if (rule !== undefined || answer === undefined) {
        if (rule !== undefined) {
          rule.count -= 1;
          rule.lost += 1;
        }
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Server Error' }));
        return;
      }
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, Object.fromEntries([...answer.headers.entries()].filter(([name]) => name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding')));
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: error instanceof Error ? error.message : 'proxy error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lose(method, path, count) {
      const rule = { method, path, count, lost: 0, forward: true };
      rules.push(rule);
      return rule;
    },
    fail(method, path, count) {
      const rule = { method, path, count, lost: 0, forward: false };
      rules.push(rule);
      return rule;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
