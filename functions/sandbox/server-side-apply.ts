import { parse as parseYaml } from 'yaml';
import { ApiStatusError, buildBadRequest, type StatusObject } from './api-status.ts';
import { isJsonEqual, isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';
import { collectLeafPaths, describeManager, findConflicts, readAt, readManagers, type FieldPath, type ManagerEntry } from './managed-fields.ts';
import type { ObjectStore, FieldValidation, WriteResult } from './object-store.ts';
import type { ResourceInfo } from './resource-catalog.ts';

/** One server-side apply request (`PATCH` with `application/apply-patch+yaml`). */
export interface ApplyRequest {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
  body: string;
  manager: string | undefined;
  force: boolean;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  subresource: 'status' | undefined;
}

function removeAt(object: JsonMap, path: FieldPath): void {
  const parents: JsonMap[] = [];
  let node: JsonValue | undefined = object;
  for (const segment of path.slice(0, -1)) {
    if (!isJsonMap(node)) return;
    parents.push(node);
    node = node[segment];
  }
  const last = path[path.length - 1];
  if (!isJsonMap(node) || last === undefined) return;
  delete node[last];
  // drop maps left empty by the removal, as the field manager does
  for (let index = parents.length - 1; index >= 0; index -= 1) {
    const parent = parents[index];
    const key = path[index];
    if (parent === undefined || key === undefined) continue;
    const child = parent[key];
    if (isJsonMap(child) && Object.keys(child).length === 0) delete parent[key];
    else break;
  }
}

// Maps merge; lists and scalars are replaced (the sandbox treats every list as atomic).
function mergeApplied(live: JsonValue | undefined, applied: JsonValue): JsonValue {
  if (!isJsonMap(applied) || !isJsonMap(live)) return structuredClone(applied);
  const out: JsonMap = { ...live };
  for (const [key, value] of Object.entries(applied)) out[key] = mergeApplied(live[key], value);
  return out;
}

// Message and causes as the apiserver's fieldmanager NewConflictError/getConflictMessage build them.
function buildApplyConflict(conflicts: Array<{ entry: ManagerEntry; path: FieldPath }>): StatusObject {
  const render = (path: FieldPath): string => `.${path.join('.')}`;
  let message: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(first.entry)}: ${render(first.path)}`;
  } else {
    const byManager = new Map<string, FieldPath[]>();
    for (const conflict of conflicts) {
      const key = describeManager(conflict.entry);
      byManager.set(key, [...(byManager.get(key) ?? []), conflict.path]);
    }
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`);
      for (const path of byManager.get(manager) ?? []) lines.push(`- ${render(path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  const details: StatusObject['details'] = {
    causes: conflicts.map((conflict) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(conflict.entry)}`, field: render(conflict.path) })),
  };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Conflict', details, code: 409 };
}

/** Server-side apply in small: field ownership per manager, 409 on another manager's field unless force. */
export function applyServerSide(store: ObjectStore, request: ApplyRequest): WriteResult {
  const { info, namespace, name } = request;
  if (request.manager === undefined || request.manager === '') {
    throw new ApiStatusError(buildBadRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'));
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(request.body);
  } catch (error) {
    throw new ApiStatusError(buildBadRequest(`error decoding YAML: ${error instanceof Error ? error.message : 'invalid YAML'}`));
  }
  if (!isJsonMap(parsed)) throw new ApiStatusError(buildBadRequest('error decoding patch: the body must be an object'));
  if (parsed['apiVersion'] !== info.apiVersion || parsed['kind'] !== info.kind) {
    throw new ApiStatusError(buildBadRequest(`error decoding patch: apiVersion/kind must be ${info.apiVersion}/${info.kind}`));
  }
  const applied = parsed;
  const appliedPaths = collectLeafPaths(applied).filter((path) => request.subresource !== 'status' || path[0] === 'status');
  const live = store.get(info, namespace, name);
  const base = {
    info,
    namespace,
    name,
    dryRun: request.dryRun,
    fieldValidation: request.fieldValidation,
    manager: request.manager,
    operation: 'Apply' as const,
    appliedFields: appliedPaths,
    subresource: request.subresource,
  };
  if (live === undefined) {
    return store.write({ ...base, object: applied, create: true });
  }
  const managers = readManagers(isJsonMap(live.object['metadata']) ? live.object['metadata'] : {});
  const differing = appliedPaths.filter((path) => !isJsonEqual(readAt(live.object, path), readAt(applied, path)));
  const conflicts = findConflicts(managers, request.manager, differing);
  if (conflicts.length > 0 && !request.force) throw new ApiStatusError(buildApplyConflict(conflicts));
  const merged = mergeApplied(live.object, applied);
  if (!isJsonMap(merged)) throw new ApiStatusError(buildBadRequest('error applying patch'));
  // fields this manager applied before and dropped now are removed, unless another manager owns them too
  const previouslyApplied = managers.find((entry) => entry.manager === request.manager && entry.operation === 'Apply')?.paths ?? [];
  const key = (path: FieldPath): string => path.join('\u0000');
  const appliedNow = new Set(appliedPaths.map(key));
  const ownedByOthers = new Set(managers.filter((entry) => entry.manager !== request.manager).flatMap((entry) => entry.paths.map(key)));
  for (const path of previouslyApplied) {
    if (!appliedNow.has(key(path)) && !ownedByOthers.has(key(path))) removeAt(merged, path);
  }
  const metadata = isJsonMap(merged['metadata']) ? { ...merged['metadata'] } : {};
  // apply carries no resourceVersion precondition unless the manifest states one
  const appliedMeta = isJsonMap(applied['metadata']) ? applied['metadata'] : {};
  if (appliedMeta['resourceVersion'] === undefined) delete metadata['resourceVersion'];
  merged['metadata'] = metadata;
  return store.write({ ...base, object: merged, create: false });
}
