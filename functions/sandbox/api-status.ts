import type { ResourceInfo } from './resource-catalog.ts';

/** A metav1 Status cause: one field error. */
export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

/** A metav1 Status object as the API server sends it on failure. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An API failure carrying the Status the server answers with (thrown inside request handling). */
export class ApiStatusError extends Error {
  readonly code = 'sandbox.api-status';
  constructor(readonly status: StatusObject) {
    super(status.message);
    this.name = 'ApiStatusError';
  }
}

function buildStatus(code: number, reason: string, message: string, details?: StatusObject['details']): StatusObject {
  const status: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details !== undefined) status.details = details;
  return status;
}

function describeTarget(info: ResourceInfo, name: string): { name: string; group?: string; kind: string } {
  return info.group === '' ? { name, kind: info.plural } : { name, group: info.group, kind: info.plural };
}

// The messages below are the apiserver's, from k8s.io/apimachinery/pkg/api/errors/errors.go.
export function buildNotFound(info: ResourceInfo, name: string): StatusObject {
  return buildStatus(404, 'NotFound', `${info.qualifiedName} "${name}" not found`, describeTarget(info, name));
}

export function buildNamespaceNotFound(namespace: string): StatusObject {
  return buildStatus(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
}

export function buildAlreadyExists(info: ResourceInfo, name: string): StatusObject {
  return buildStatus(409, 'AlreadyExists', `${info.qualifiedName} "${name}" already exists`, describeTarget(info, name));
}

export function buildConflict(info: ResourceInfo, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusObject {
  return buildStatus(409, 'Conflict', `Operation cannot be fulfilled on ${info.qualifiedName} "${name}": ${why}`, describeTarget(info, name));
}

/** 422 Invalid: the message is built from the causes exactly as apiserver's NewInvalid does. */
export function buildInvalid(info: ResourceInfo, name: string, causes: StatusCause[]): StatusObject {
  const qualifiedKind = info.group === '' ? info.kind : `${info.kind}.${info.group}`;
  const parts = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusObject['details'] = { name, kind: info.kind, causes };
  if (info.group !== '') details.group = info.group;
  return buildStatus(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, details);
}

export function buildBadRequest(message: string): StatusObject {
  return buildStatus(400, 'BadRequest', message);
}

export function buildUnauthorized(): StatusObject {
  return buildStatus(401, 'Unauthorized', 'Unauthorized');
}

export function buildForbidden(info: ResourceInfo, name: string, user: string, verb: string, namespace: string | undefined): StatusObject {
  const resource = `resource "${info.plural}" in API group "${info.group}"`;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const subject = name === '' ? info.qualifiedName : `${info.qualifiedName} "${name}"`;
  return buildStatus(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} ${resource} ${scope}`, describeTarget(info, name));
}

export function buildUnsupportedMediaType(accepted: string[]): StatusObject {
  return buildStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {});
}

export function buildMethodNotAllowed(): StatusObject {
  return buildStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function buildPathNotFound(): StatusObject {
  return buildStatus(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function buildInternalError(message: string): StatusObject {
  return buildStatus(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] });
}

export function buildServiceUnavailable(): StatusObject {
  return buildStatus(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {});
}

export function buildTooManyRequests(retryAfterSeconds: number): StatusObject {
  return buildStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });
}
