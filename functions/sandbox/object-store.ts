import { randomUUID } from 'node:crypto';
import {
  ApiStatusError,
  buildAlreadyExists,
  buildBadRequest,
  buildConflict,
  buildInvalid,
  buildNamespaceNotFound,
  buildNotFound,
  type StatusCause,
} from './api-status.ts';
import { isJsonEqual, isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';
import { findResource, type ResourceInfo } from './resource-catalog.ts';
import { applySchema } from './schema-validator.ts';
import { collectChangedPaths, readManagers, recordWrite, type FieldPath } from './managed-fields.ts';

/** One stored object with its serialized form cached (GET answers the cached JSON as is). */
export interface StoredObject {
  readonly info: ResourceInfo;
  readonly object: JsonMap;
  readonly json: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** A write of a whole object (create, update, or the result of a patch). */
export interface WriteRequest {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
  object: JsonMap;
  create: boolean;
  subresource?: 'status' | undefined;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** PUT without resourceVersion is refused for custom resources (apiserver: AllowUnconditionalUpdate false). */
  requireResourceVersion?: boolean;
  manager?: string;
  operation?: 'Update' | 'Apply';
  /** Fields the writer owns after an Apply (paths); set by server-side apply. */
  appliedFields?: FieldPath[];
}

export interface WriteResult {
  stored: StoredObject;
  warnings: string[];
  created: boolean;
  changed: boolean;
}

/** Called after every persisted change (not for dry runs). */
export type ChangeListener = (info: ResourceInfo, current: StoredObject | undefined, previous: StoredObject | undefined) => void;

/** One persisted change, kept for watches that resume from a resourceVersion. */
export interface ChangeRecord {
  resourceVersion: number;
  info: ResourceInfo;
  current: StoredObject | undefined;
  previous: StoredObject | undefined;
}

// how many recent changes a watch can resume from (the apiserver's watch cache holds a window too)
const historyLimit = 2000;

function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** JSON with object keys sorted, as the apiserver serializes unstructured objects. */
export function serializeSorted(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonMap(value)) return value;
  const out: JsonMap = {};
  for (const key of Object.keys(value).sort()) {
    const child = value[key];
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}

// The offset Go's base64.StdEncoding reports for the first bad input byte, or undefined when valid.
function findBase64Error(text: string): number | undefined {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad !== null) return bad.index;
  const padding = text.indexOf('=');
  if (padding >= 0 && !/^=*$/.test(text.slice(padding))) return padding;
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  if (padding >= 0 && padding < text.length - 2) return padding;
  return undefined;
}

function withoutManagedFields(object: JsonMap): JsonMap {
  const { managedFields: _managed, ...metadata } = readMetadata(object);
  return { ...object, metadata };
}

function stripForGeneration(object: JsonMap): JsonMap {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

function readMetadata(object: JsonMap): JsonMap {
  const metadata = object['metadata'];
  return isJsonMap(metadata) ? metadata : {};
}

// metadata.name/generateName rules: DNS-1123 subdomain (apimachinery validation.IsDNS1123Subdomain)
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const secretKey = /^[-._a-zA-Z0-9]+$/;

/** The objects of one emulated cluster, with resourceVersion, generation and the write pipeline. */
export class ObjectStore {
  private resourceVersion = 1000;
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly listeners: ChangeListener[] = [];
  private readonly history: ChangeRecord[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** The latest resourceVersion handed out (LIST metadata). */
  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  private notify(info: ResourceInfo, current: StoredObject | undefined, previous: StoredObject | undefined): void {
    this.history.push({ resourceVersion: this.resourceVersion, info, current, previous });
    if (this.history.length > historyLimit) this.history.splice(0, this.history.length - historyLimit);
    for (const listener of [...this.listeners]) listener(info, current, previous);
  }

  /** Retained changes with a resourceVersion above `resourceVersion`, oldest first. */
  changesSince(resourceVersion: number): ChangeRecord[] {
    return this.history.filter((record) => record.resourceVersion > resourceVersion);
  }

  /** Subscribes to persisted changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  private bucket(info: ResourceInfo): Map<string, StoredObject> {
    const key = info.qualifiedName;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.bucket(info).get(`${namespace ?? ''}/${name}`);
  }

  /** Objects of a resource in key order (namespace, then name), optionally in one namespace. */
  list(info: ResourceInfo, namespace: string | undefined): StoredObject[] {
    const entries = [...this.bucket(info).entries()];
    const filtered = namespace === undefined ? entries : entries.filter(([key]) => key.startsWith(`${namespace}/`));
    return filtered.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, stored]) => stored);
  }

  /** Validates, defaults and (unless dryRun) persists a write; throws ApiStatusError as the apiserver answers. */
  write(request: WriteRequest): WriteResult {
    const { info, namespace, name } = request;
    if (info.namespaced && namespace !== undefined && request.create && info.plural !== 'namespaces') {
      const namespaceInfo = findResource('v1', 'namespaces');
      if (namespaceInfo !== undefined && this.get(namespaceInfo, undefined, namespace) === undefined) {
        throw new ApiStatusError(buildNamespaceNotFound(namespace));
      }
    }
    const previous = this.get(info, namespace, name);
    if (request.create && previous !== undefined) throw new ApiStatusError(buildAlreadyExists(info, name));
    if (!request.create && previous === undefined) throw new ApiStatusError(buildNotFound(info, name));

    let candidate = structuredClone(request.object);
    const incomingMeta = readMetadata(candidate);
    const incomingVersion = incomingMeta['resourceVersion'];
    if (previous !== undefined) {
      if (typeof incomingVersion === 'string' && incomingVersion !== '' && incomingVersion !== readMetadata(previous.object)['resourceVersion']) {
        throw new ApiStatusError(buildConflict(info, name));
      }
      if (request.requireResourceVersion === true && info.custom && (typeof incomingVersion !== 'string' || incomingVersion === '')) {
        throw new ApiStatusError(
          buildInvalid(info, name, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]),
        );
      }
    }

    // the status subresource writes status only; the main resource never writes status (CRD status subresource)
    if (info.statusSubresource && previous !== undefined) {
      if (request.subresource === 'status') {
        const merged: JsonMap = { ...previous.object };
        if (candidate['status'] !== undefined) merged['status'] = candidate['status'];
        else delete merged['status'];
        candidate = structuredClone(merged);
      } else if (previous.object['status'] !== undefined) {
        candidate['status'] = structuredClone(previous.object['status']);
      } else {
        delete candidate['status'];
      }
    } else if (info.statusSubresource && request.create) {
      delete candidate['status'];
    }

    const warnings: string[] = [];
    if (info.plural === 'secrets') candidate = this.foldStringData(candidate);
    this.checkBase64(info, candidate);
    // the stored object is the old value for transition rules and validation ratcheting
    const { object: processed, outcome } = applySchema(info.schema, candidate, previous?.object);
    if (outcome.unknownFields.length > 0) {
      const fieldValidation = request.fieldValidation ?? 'Warn';
      const listed = outcome.unknownFields.map((field) => `unknown field "${field}"`);
      if (fieldValidation === 'Strict') {
        const message =
          request.operation === 'Apply'
            ? `failed to create typed patch object (${info.apiVersion}, Kind=${info.kind}): ${outcome.unknownFields.map((field) => `.${field}: field not declared in schema`).join(', ')}`
            : `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${listed.join(', ')}`;
        throw new ApiStatusError(buildBadRequest(message));
      }
      if (fieldValidation === 'Warn') warnings.push(...listed);
    }
    const causes: StatusCause[] = [...this.validateMetadata(info, processed, namespace, name), ...outcome.causes, ...this.validateKind(info, processed)];
    if (causes.length > 0) throw new ApiStatusError(buildInvalid(info, name, causes));

    const finalObject = this.completeMetadata(info, processed, previous, namespace, name, request);
    if (previous !== undefined && isJsonEqual(withoutManagedFields(finalObject), withoutManagedFields(previous.object))) {
      return { stored: previous, warnings, created: false, changed: false };
    }
    const metadata = readMetadata(finalObject);
    if (request.dryRun !== true) {
      this.resourceVersion += 1;
      metadata['resourceVersion'] = String(this.resourceVersion);
    }
    const stored: StoredObject = { info, object: finalObject, json: serializeSorted(finalObject) };
    if (request.dryRun === true) return { stored, warnings, created: previous === undefined, changed: true };
    this.bucket(info).set(`${namespace ?? ''}/${name}`, stored);
    this.notify(info, stored, previous);
    return { stored, warnings, created: previous === undefined, changed: true };
  }

  /** Deletes an object; with finalizers it only gets a deletionTimestamp (the finalizer's owner completes it). */
  delete(info: ResourceInfo, namespace: string | undefined, name: string, dryRun: boolean): { stored: StoredObject; gone: boolean } {
    const previous = this.get(info, namespace, name);
    if (previous === undefined) throw new ApiStatusError(buildNotFound(info, name));
    const finalizers = readMetadata(previous.object)['finalizers'];
    if (Array.isArray(finalizers) && finalizers.length > 0) {
      if (readMetadata(previous.object)['deletionTimestamp'] !== undefined || dryRun) return { stored: previous, gone: false };
      const updated = structuredClone(previous.object);
      const metadata = readMetadata(updated);
      metadata['deletionTimestamp'] = formatTimestamp(this.now());
      metadata['deletionGracePeriodSeconds'] = 0;
      this.resourceVersion += 1;
      metadata['resourceVersion'] = String(this.resourceVersion);
      const stored: StoredObject = { info, object: updated, json: serializeSorted(updated) };
      this.bucket(info).set(`${namespace ?? ''}/${name}`, stored);
      this.notify(info, stored, previous);
      return { stored, gone: false };
    }
    if (!dryRun) {
      this.bucket(info).delete(`${namespace ?? ''}/${name}`);
      this.resourceVersion += 1;
      this.notify(info, undefined, previous);
      // a deleted namespace takes its objects with it (the namespace controller, done at once here)
      if (info.plural === 'namespaces') {
        for (const stored of [...this.buckets.values()].flatMap((bucket) => [...bucket.values()])) {
          const metadata = readMetadata(stored.object);
          if (stored.info.namespaced && metadata['namespace'] === name) this.purge(stored.info, name, String(metadata['name']));
        }
      }
    }
    return { stored: previous, gone: true };
  }

  /** Removes an object at once, finalizers or not (the finalizer's owner finishing its work). */
  purge(info: ResourceInfo, namespace: string | undefined, name: string): void {
    const previous = this.get(info, namespace, name);
    if (previous === undefined) return;
    this.bucket(info).delete(`${namespace ?? ''}/${name}`);
    this.resourceVersion += 1;
    this.notify(info, undefined, previous);
  }

  // Secret stringData is write-only: merged into data (base64) and dropped (core/v1 Secret conversion).
  private foldStringData(object: JsonMap): JsonMap {
    const stringData = object['stringData'];
    if (!isJsonMap(stringData)) return object;
    const data: JsonMap = isJsonMap(object['data']) ? { ...object['data'] } : {};
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    const { stringData: _dropped, ...rest } = object;
    return { ...rest, data };
  }

  // Secret data and ConfigMap binaryData are []byte in core/v1: bad base64 fails decoding, a 400
  // with Go's encoding/base64 wording, before any validation.
  private checkBase64(info: ResourceInfo, object: JsonMap): void {
    const field = info.plural === 'secrets' ? 'data' : info.plural === 'configmaps' ? 'binaryData' : undefined;
    const map = field === undefined ? undefined : object[field];
    if (!isJsonMap(map)) return;
    for (const value of Object.values(map)) {
      if (typeof value !== 'string') continue;
      const offset = findBase64Error(value);
      if (offset !== undefined) throw new ApiStatusError(buildBadRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: illegal base64 data at input byte ${offset}`));
    }
  }

  private validateMetadata(info: ResourceInfo, object: JsonMap, namespace: string | undefined, name: string): StatusCause[] {
    const causes: StatusCause[] = [];
    const metadata = readMetadata(object);
    const objectName = metadata['name'];
    if (typeof objectName !== 'string' || objectName === '') {
      causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
    } else if (objectName !== name) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${objectName}": field is immutable`, field: 'metadata.name' });
    } else if (!dnsSubdomain.test(objectName) || objectName.length > 253) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${objectName}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        field: 'metadata.name',
      });
    }
    const objectNamespace = metadata['namespace'];
    if (info.namespaced && typeof objectNamespace === 'string' && objectNamespace !== '' && objectNamespace !== namespace) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${objectNamespace}": the namespace of the provided object does not match the namespace sent on the request`, field: 'metadata.namespace' });
    }
    for (const mapName of ['labels', 'annotations']) {
      const map = metadata[mapName];
      if (map === undefined || map === null) continue;
      if (!isJsonMap(map) || Object.values(map).some((value) => typeof value !== 'string')) {
        causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(map)}: must be a map of strings`, field: `metadata.${mapName}` });
      }
    }
    return causes;
  }

  private validateKind(info: ResourceInfo, object: JsonMap): StatusCause[] {
    if (info.plural !== 'secrets' && info.plural !== 'configmaps') return [];
    const causes: StatusCause[] = [];
    for (const mapName of ['data', 'binaryData']) {
      const map = object[mapName];
      if (!isJsonMap(map)) continue;
      for (const key of Object.keys(map)) {
        if (!secretKey.test(key) || key.length > 253) {
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
            field: `${mapName}[${key}]`,
          });
        }
      }
    }
    return causes;
  }

  private completeMetadata(
    info: ResourceInfo,
    object: JsonMap,
    previous: StoredObject | undefined,
    namespace: string | undefined,
    name: string,
    request: WriteRequest,
  ): JsonMap {
    const metadata: JsonMap = { ...readMetadata(object) };
    metadata['name'] = name;
    if (info.namespaced && namespace !== undefined) metadata['namespace'] = namespace;
    else delete metadata['namespace'];
    for (const key of ['labels', 'annotations'] as const) {
      const map = metadata[key];
      if (map === null || (isJsonMap(map) && Object.keys(map).length === 0)) delete metadata[key];
    }
    const finalizers = metadata['finalizers'];
    if (finalizers === null || (Array.isArray(finalizers) && finalizers.length === 0)) delete metadata['finalizers'];
    const result: JsonMap = { ...object, apiVersion: info.apiVersion, kind: info.kind, metadata };
    if (previous === undefined) {
      metadata['uid'] = randomUUID();
      metadata['creationTimestamp'] = formatTimestamp(this.now());
      if (info.statusSubresource) metadata['generation'] = 1;
      else delete metadata['generation'];
      delete metadata['deletionTimestamp'];
      if (info.plural === 'namespaces') {
        result['spec'] = { finalizers: ['kubernetes'] };
        result['status'] = { phase: 'Active' };
        const labels = isJsonMap(metadata['labels']) ? metadata['labels'] : {};
        metadata['labels'] = { ...labels, 'kubernetes.io/metadata.name': name };
      }
      if (info.plural === 'secrets' && result['type'] === undefined) result['type'] = 'Opaque';
    } else {
      const old = readMetadata(previous.object);
      for (const key of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
        const value = old[key];
        if (value !== undefined) metadata[key] = value;
        else delete metadata[key];
      }
      if (info.statusSubresource && !isJsonEqual(stripForGeneration(result), stripForGeneration(previous.object))) {
        metadata['generation'] = (typeof old['generation'] === 'number' ? old['generation'] : 0) + 1;
      }
      if (info.plural === 'secrets' && result['type'] === undefined) result['type'] = previous.object['type'] ?? 'Opaque';
    }
    metadata['resourceVersion'] = previous === undefined ? '' : (readMetadata(previous.object)['resourceVersion'] ?? '');
    const managedFields = this.updateManagedFields(previous, request, info, result);
    if (Array.isArray(managedFields) && managedFields.length > 0) metadata['managedFields'] = managedFields;
    else delete metadata['managedFields'];
    if (metadata['resourceVersion'] === '') delete metadata['resourceVersion'];
    return result;
  }

  private updateManagedFields(previous: StoredObject | undefined, request: WriteRequest, info: ResourceInfo, next: JsonMap): JsonValue {
    const managers = previous === undefined ? [] : readManagers(readMetadata(previous.object));
    const operation = request.operation ?? 'Update';
    const writer: { manager: string; operation: 'Update' | 'Apply'; subresource?: string } = { manager: request.manager ?? 'unknown', operation };
    if (request.subresource !== undefined) writer.subresource = request.subresource;
    const owned = operation === 'Apply' ? (request.appliedFields ?? []) : collectChangedPaths(previous?.object, next);
    return recordWrite(managers, writer, owned, formatTimestamp(this.now()), info.apiVersion);
  }
}
