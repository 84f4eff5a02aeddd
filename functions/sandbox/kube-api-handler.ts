import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  ApiStatusError,
  buildBadRequest,
  buildForbidden,
  buildMethodNotAllowed,
  buildNotFound,
  buildPathNotFound,
  buildUnauthorized,
  buildUnsupportedMediaType,
  type StatusObject,
} from './api-status.ts';
import { buildDiscoveryDocuments } from './discovery.ts';
import { applyJsonPatch, JsonPatchError } from './json-patch.ts';
import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';
import { compileFieldSelector, compileLabelSelector } from './label-selector.ts';
import { applyMergePatch } from './merge-patch.ts';
import type { FieldValidation, StoredObject, WriteResult } from './object-store.ts';
import { findOpenApiDocument } from './openapi-documents.ts';
import { decodeProtobufObject } from './protobuf-decoder.ts';
import { findResource, type ResourceInfo } from './resource-catalog.ts';
import type { Access, SandboxCluster } from './sandbox-cluster.ts';
import { applyServerSide } from './server-side-apply.ts';
import { renderTable, wantsTable } from './table-output.ts';
import { startWatch } from './watch-stream.ts';

/** One request to a cluster's Kubernetes API, after the `/clusters/<name>` prefix is stripped. */
export interface KubeRequest {
  cluster: SandboxCluster;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  access: Access | undefined;
  userName: string;
}

const discoveryDocuments = buildDiscoveryDocuments();
const jsonHeaders = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };

/** Writes a JSON body (already serialized). */
export function sendJson(res: ServerResponse, code: number, body: string, extraHeaders?: Record<string, string>): void {
  res.writeHead(code, extraHeaders === undefined ? { ...jsonHeaders, 'Content-Length': Buffer.byteLength(body) } : { ...jsonHeaders, ...extraHeaders, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Writes a Status object with its code. */
export function sendStatus(res: ServerResponse, status: StatusObject, extraHeaders?: Record<string, string>): void {
  sendJson(res, status.code, JSON.stringify(status), extraHeaders);
}

function warningHeader(warnings: string[]): Record<string, string> | undefined {
  if (warnings.length === 0) return undefined;
  // RFC 7234 warn-code 299 with the apiserver's "-" agent, one per warning
  return { Warning: warnings.map((warning) => `299 - ${JSON.stringify(warning)}`).join(', ') };
}

interface Target {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

function parseTarget(path: string): Target | 'unknown' | undefined {
  const segments = path.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  let apiVersion: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1') {
    apiVersion = 'v1';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    apiVersion = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  } else return undefined;
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = findResource(apiVersion, rest[2] ?? '');
    if (namespaced !== undefined && namespaced.namespaced) {
      return { info: namespaced, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const info = findResource(apiVersion, rest[0] ?? '');
  if (info === undefined) return 'unknown';
  return { info, namespace: undefined, name: rest[1], subresource: rest[2] };
}

function parseBodyJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApiStatusError(buildBadRequest(`the object provided is unrecognized (must be of type JSON): ${error instanceof Error ? error.message : 'invalid JSON'}`));
  }
}

function readFieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === 'Strict' || value === 'Ignore') return value;
  return 'Warn';
}

// kubectl and client-go default their field manager to the program name (User-Agent up to '/').
function readManager(query: URLSearchParams, headers: IncomingHttpHeaders): string {
  const given = query.get('fieldManager');
  if (given !== null && given !== '') return given;
  const agent = headers['user-agent'] ?? '';
  const program = agent.split('/')[0]?.trim();
  return program === undefined || program === '' ? 'unknown' : program;
}

const verbFor: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
// The apiserver reads boolean query parameters with Go's strconv.ParseBool: `watch=True` (the Python
// client's spelling), `watch=1` and `watch=t` are all true.
const trueSpellings = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
function parseQueryBool(value: string | null): boolean {
  return value !== null && trueSpellings.has(value);
}

const customPatchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const corePatchTypes = [...customPatchTypes, 'application/strategic-merge-patch+json'];

function decodeWriteBody(request: KubeRequest, info: ResourceInfo): unknown {
  const contentType = (request.headers['content-type'] ?? 'application/json').split(';')[0]?.trim() ?? '';
  if (contentType === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(request.body, info);
  if (contentType === 'application/json' || contentType === '' || contentType === '*/*') return parseBodyJson(request.body);
  // YAML bodies are not decoded by the sandbox (kubectl and client-node send JSON or protobuf)
  throw new ApiStatusError(buildUnsupportedMediaType(['application/json', 'application/vnd.kubernetes.protobuf']));
}

// The apiserver decodes the body for the endpoint's kind: another kind or apiVersion is a BadRequest.
function checkBodyKind(body: JsonMap, info: ResourceInfo): void {
  const kind = body['kind'];
  const apiVersion = body['apiVersion'];
  if (typeof apiVersion === 'string' && apiVersion !== '' && apiVersion !== info.apiVersion) {
    throw new ApiStatusError(buildBadRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${info.apiVersion})`));
  }
  if (typeof kind === 'string' && kind !== '' && kind !== info.kind) {
    throw new ApiStatusError(buildBadRequest(`${kind} in version "${info.version}" cannot be handled as a ${info.kind}: the object provided is unrecognized`));
  }
}

function sendWriteResult(res: ServerResponse, result: WriteResult, code: number): void {
  sendJson(res, code, result.stored.json, warningHeader(result.warnings));
}

function buildList(request: KubeRequest, info: ResourceInfo, namespace: string | undefined, table: boolean): string {
  let items: StoredObject[] = request.cluster.store.list(info, namespace);
  const labelSelector = request.query.get('labelSelector');
  if (labelSelector !== null && labelSelector !== '') {
    const matches = compileLabelSelector(labelSelector);
    items = items.filter((stored) => matches(stored.object));
  }
  const fieldSelector = request.query.get('fieldSelector');
  if (fieldSelector !== null && fieldSelector !== '') {
    const matches = compileFieldSelector(fieldSelector);
    items = items.filter((stored) => matches(stored.object));
  }
  const offset = Number(Buffer.from(request.query.get('continue') ?? '', 'base64').toString('utf8')) || 0;
  const limit = Number(request.query.get('limit') ?? '0');
  let page = items.slice(offset);
  let continueToken = '';
  let remaining = 0;
  if (limit > 0 && page.length > limit) {
    remaining = page.length - limit;
    page = page.slice(0, limit);
    continueToken = Buffer.from(String(offset + limit), 'utf8').toString('base64');
  }
  if (table) return renderTable(info, page, request.cluster.store.currentResourceVersion(), Date.now());
  const metadata: JsonMap = { resourceVersion: request.cluster.store.currentResourceVersion() };
  if (continueToken !== '') {
    metadata['continue'] = continueToken;
    metadata['remainingItemCount'] = remaining;
  }
  return `{"apiVersion":${JSON.stringify(info.apiVersion)},"items":[${page.map((stored) => stored.json).join(',')}],"kind":${JSON.stringify(info.listKind)},"metadata":${JSON.stringify(metadata)}}`;
}

// DELETE on a collection (deletecollection): every matching object, answered as a list of what was deleted.
function deleteCollection(request: KubeRequest, info: ResourceInfo, namespace: string | undefined, dryRun: boolean): string {
  let items = request.cluster.store.list(info, namespace);
  const labelSelector = request.query.get('labelSelector');
  if (labelSelector !== null && labelSelector !== '') {
    const matches = compileLabelSelector(labelSelector);
    items = items.filter((stored) => matches(stored.object));
  }
  const deleted = items.map((stored) => {
    const name = String((stored.object['metadata'] as JsonMap | undefined)?.['name'] ?? '');
    return request.cluster.store.delete(info, namespace ?? ((stored.object['metadata'] as JsonMap | undefined)?.['namespace'] as string | undefined), name, dryRun).stored;
  });
  return `{"apiVersion":${JSON.stringify(info.apiVersion)},"items":[${deleted.map((stored) => stored.json).join(',')}],"kind":${JSON.stringify(info.listKind)},"metadata":{"resourceVersion":${JSON.stringify(request.cluster.store.currentResourceVersion())}}}`;
}

function patchObject(request: KubeRequest, target: Target & { name: string }, live: StoredObject): JsonMap {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const allowed = target.info.custom ? customPatchTypes : corePatchTypes;
  if (!allowed.includes(contentType)) throw new ApiStatusError(buildUnsupportedMediaType(allowed));
  const patch = parseBodyJson(request.body) as JsonValue;
  let patched: JsonValue;
  if (contentType === 'application/json-patch+json') {
    try {
      patched = applyJsonPatch(live.object, patch);
    } catch (error) {
      if (error instanceof JsonPatchError) throw new ApiStatusError({ ...buildBadRequest(error.message), code: 422, reason: 'Invalid' } as StatusObject);
      throw error;
    }
  } else {
    // strategic merge on core kinds: Secret/ConfigMap/Namespace have no merge keys the sandbox stores, so it is a merge patch
    if (!isJsonMap(patch)) throw new ApiStatusError(buildBadRequest('the body of the request must be a JSON object'));
    patched = applyMergePatch(live.object, patch);
  }
  if (!isJsonMap(patched)) throw new ApiStatusError(buildBadRequest('the patched object is not an object'));
  return patched;
}

function handleResource(request: KubeRequest, res: ServerResponse, target: Target): void {
  const { cluster, method, query } = request;
  const { info, namespace } = target;
  const subresource = target.subresource === 'status' ? 'status' : undefined;
  if (target.subresource !== undefined && subresource === undefined) throw new ApiStatusError(buildPathNotFound());
  if (subresource === 'status' && !info.statusSubresource) throw new ApiStatusError(buildPathNotFound());
  const verb = method === 'GET' ? (target.name === undefined ? 'list' : 'get') : verbFor[method];
  if (verb === undefined) throw new ApiStatusError(buildMethodNotAllowed());
  if (verb !== 'get' && verb !== 'list') {
    if (request.access !== 'admin') {
      throw new ApiStatusError(buildForbidden(info, target.name ?? '', request.userName, verb, info.namespaced ? namespace : undefined));
    }
    cluster.stats.writes += 1;
  } else {
    cluster.stats.reads += 1;
  }
  const dryRun = query.getAll('dryRun').includes('All');
  const fieldValidation = readFieldValidation(query);
  const manager = readManager(query, request.headers);

  if (target.name === undefined) {
    if (method === 'GET' && parseQueryBool(query.get('watch'))) {
      const render = wantsTable(request.headers.accept) ? (stored: StoredObject) => renderTable(info, [stored], cluster.store.currentResourceVersion(), Date.now()) : undefined;
      return startWatch(cluster.store, render === undefined ? { info, namespace, query } : { info, namespace, query, render }, res);
    }
    if (method === 'DELETE') return sendJson(res, 200, deleteCollection(request, info, namespace, dryRun));
    if (method === 'GET') return sendJson(res, 200, buildList(request, info, namespace, wantsTable(request.headers.accept)));
    if (method !== 'POST') throw new ApiStatusError(buildMethodNotAllowed());
    const body = decodeWriteBody(request, info);
    if (!isJsonMap(body)) throw new ApiStatusError(buildBadRequest('the body of the request must be a JSON object'));
    checkBodyKind(body, info);
    const metadata = isJsonMap(body['metadata']) ? body['metadata'] : {};
    let name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    if (name === '' && typeof metadata['generateName'] === 'string') name = `${metadata['generateName']}${Math.random().toString(36).slice(2, 7)}`;
    const object = { ...body, metadata: { ...metadata, name } };
    const result = cluster.store.write({ info, namespace, name, object, create: true, dryRun, fieldValidation, manager, operation: 'Update' });
    return sendWriteResult(res, result, 201);
  }

  const name = target.name;
  if (method === 'GET') {
    const stored = cluster.store.get(info, namespace, name);
    if (stored === undefined) throw new ApiStatusError(buildNotFound(info, name));
    if (wantsTable(request.headers.accept)) return sendJson(res, 200, renderTable(info, [stored], cluster.store.currentResourceVersion(), Date.now()));
    return sendJson(res, 200, stored.json);
  }
  if (method === 'DELETE') {
    const outcome = cluster.store.delete(info, namespace, name, dryRun);
    if (!outcome.gone) return sendJson(res, 200, outcome.stored.json);
    const meta = isJsonMap(outcome.stored.object['metadata']) ? outcome.stored.object['metadata'] : {};
    const details: JsonMap = { name, kind: info.plural, uid: meta['uid'] ?? '' };
    if (info.group !== '') details['group'] = info.group;
    return sendJson(res, 200, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }));
  }
  if (method === 'PUT') {
    const body = decodeWriteBody(request, info);
    if (!isJsonMap(body)) throw new ApiStatusError(buildBadRequest('the body of the request must be a JSON object'));
    checkBodyKind(body, info);
    const result = cluster.store.write({ info, namespace, name, object: body, create: false, subresource, dryRun, fieldValidation, manager, operation: 'Update', requireResourceVersion: true });
    return sendWriteResult(res, result, 200);
  }
  if (method === 'PATCH') {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (contentType === 'application/apply-patch+yaml') {
      const force = parseQueryBool(query.get('force'));
      const existed = cluster.store.get(info, namespace, name) !== undefined;
      const result = applyServerSide(cluster.store, {
        info,
        namespace,
        name,
        body: request.body.toString('utf8'),
        manager: query.get('fieldManager') ?? undefined,
        force,
        dryRun,
        fieldValidation: query.get('fieldValidation') === null ? 'Strict' : fieldValidation,
        subresource,
      });
      return sendWriteResult(res, result, existed ? 200 : 201);
    }
    const live = cluster.store.get(info, namespace, name);
    if (live === undefined) throw new ApiStatusError(buildNotFound(info, name));
    const patched = patchObject(request, { ...target, name }, live);
    const result = cluster.store.write({ info, namespace, name, object: patched, create: false, subresource, dryRun, fieldValidation, manager, operation: 'Update' });
    return sendWriteResult(res, result, 200);
  }
  throw new ApiStatusError(buildMethodNotAllowed());
}

/** Answers one Kubernetes API request of a cluster (discovery, OpenAPI, resources). Throws nothing. */
export function handleKubeRequest(request: KubeRequest, res: ServerResponse): void {
  try {
    const { path } = request;
    if (path === '/version' || path === '/version/') return sendJson(res, 200, discoveryDocuments.get('/version') ?? '{}');
    if (request.access === undefined) return sendStatus(res, buildUnauthorized());
    const discovery = discoveryDocuments.get(path.endsWith('/') ? path.slice(0, -1) : path);
    if (discovery !== undefined) {
      if (request.method !== 'GET') return sendStatus(res, buildMethodNotAllowed());
      return sendJson(res, 200, discovery);
    }
    if (path.startsWith('/openapi/')) {
      const document = findOpenApiDocument(path);
      if (document === undefined) return sendStatus(res, buildPathNotFound());
      return sendJson(res, 200, document);
    }
    const target = parseTarget(path);
    if (target === undefined || target === 'unknown') return sendStatus(res, buildPathNotFound());
    handleResource(request, res, target);
  } catch (error) {
    if (error instanceof ApiStatusError) return sendStatus(res, error.status);
    const message = error instanceof Error ? error.message : 'unexpected failure';
    sendStatus(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500 });
  }
}
