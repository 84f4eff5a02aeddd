/**
 * A small scripted Kubernetes API over plain HTTP for the adapter's wire-level unit tests: it records
 * each request (method, path, query, content type, body, socket) and answers GET / merge-patch PATCH
 * (with the resourceVersion precondition and dryRun) / POST like the API server, or with a scripted
 * answer queued by `failNext`. The full API server stand-in is the sandbox (integration tests).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Json | undefined;
  socketId: number;
}

export interface ScriptedAnswer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

export interface FakeKubeApi {
  url: string;
  requests: FakeRequest[];
  objects: Map<string, JsonMap>;
  put(path: string, object: JsonMap): void;
  failNext(answer: ScriptedAnswer | 'reset'): void;
  stop(): Promise<void>;
}

function isMap(value: Json | undefined): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 7386 JSON merge patch, written here independently of regops' own code
function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function status(code: number, reason: string, message: string): ScriptedAnswer {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const requests: FakeRequest[] = [];
  const objects = new Map<string, JsonMap>();
  const scripted: Array<ScriptedAnswer | 'reset'> = [];
  const sockets = new Map<Socket, number>();
  let version = 100;

  function answer(req: FakeRequest): ScriptedAnswer {
    const existing = objects.get(req.path);
    if (req.method === 'GET') return existing === undefined ? status(404, 'NotFound', `${req.path} not found`) : { status: 200, body: existing };
    if (req.method === 'PATCH') {
      if (req.contentType !== 'application/merge-patch+json') return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`);
      if (existing === undefined) return status(404, 'NotFound', `${req.path} not found`);
      const patch = isMap(req.body) ? req.body : {};
      const wanted = isMap(patch['metadata']) ? patch['metadata']['resourceVersion'] : undefined;
      const live = isMap(existing['metadata']) ? existing['metadata']['resourceVersion'] : undefined;
      if (wanted !== undefined && wanted !== live) {
        return status(409, 'Conflict', `Operation cannot be fulfilled on ${req.path}: the object has been modified; please apply your changes to the latest version and try again`);
      }
      const merged = mergePatch(existing, patch) as JsonMap;
      version += 1;
      merged['metadata'] = { ...(isMap(merged['metadata']) ? merged['metadata'] : {}), resourceVersion: String(version) };
      if (req.query['dryRun'] !== 'All') objects.set(req.path, merged);
      return { status: 200, body: merged };
    }
    if (req.method === 'POST') {
      const body = isMap(req.body) ? req.body : {};
      const name = isMap(body['metadata']) ? body['metadata']['name'] : undefined;
      const path = `${req.path}/${String(name)}`;
      if (objects.has(path)) return status(409, 'AlreadyExists', `${path} already exists`);
      version += 1;
      const created: JsonMap = { ...body, metadata: { ...(isMap(body['metadata']) ? body['metadata'] : {}), resourceVersion: String(version) } };
      if (req.query['dryRun'] !== 'All') objects.set(path, created);
      return { status: 201, body: created };
    }
    return status(405, 'MethodNotAllowed', 'method not allowed');
  }

  const server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const socket = incoming.socket;
      if (!sockets.has(socket)) sockets.set(socket, sockets.size + 1);
      const req: FakeRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: incoming.headers['content-type'],
        authorization: incoming.headers.authorization,
        body: text === '' ? undefined : (JSON.parse(text) as Json),
        socketId: sockets.get(socket) ?? 0,
      };
      requests.push(req);
      const next = scripted.shift();
      if (next === 'reset') {
        socket.destroy();
        return;
      }
      const out = next ?? answer(req);
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    objects,
    put(path, object) {
      objects.set(path, object);
    },
    failNext(answer) {
      scripted.push(answer);
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
