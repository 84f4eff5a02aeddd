import { isJsonEqual, isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';

/** A field path as segments (`['metadata','annotations','a.b/c']`), so keys with dots stay whole. */
export type FieldPath = string[];

/** Leaf field paths of an object as a writer set them; apiVersion/kind and server-set metadata excluded. */
export function collectLeafPaths(object: JsonMap): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (value: JsonValue | undefined, path: FieldPath): void => {
    if (isJsonMap(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (path.length > 0) {
      out.push(path);
    }
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      if (isJsonMap(value)) for (const metaKey of ['labels', 'annotations', 'finalizers']) if (value[metaKey] !== undefined) walk(value[metaKey], ['metadata', metaKey]);
      continue;
    }
    walk(value, [key]);
  }
  return out;
}

/** The value at a field path, undefined where the path leaves the object. */
export function readAt(object: JsonValue | undefined, path: FieldPath): JsonValue | undefined {
  let node = object;
  for (const segment of path) {
    if (!isJsonMap(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/** Leaf paths whose value differs between two versions of an object (present in either). */
export function collectChangedPaths(before: JsonMap | undefined, after: JsonMap): FieldPath[] {
  const seen = new Set<string>();
  const out: FieldPath[] = [];
  for (const path of [...collectLeafPaths(after), ...(before === undefined ? [] : collectLeafPaths(before))]) {
    const key = path.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    if (!isJsonEqual(readAt(before, path), readAt(after, path))) out.push(path);
  }
  return out;
}

/** Reads the path sets of a managedFields FieldsV1 tree (`{"f:spec":{"f:replicas":{}}}`). */
export function readFieldsV1(fields: JsonValue | undefined): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (node: JsonValue | undefined, path: FieldPath): void => {
    if (!isJsonMap(node)) return;
    const children = Object.keys(node).filter((key) => key.startsWith('f:'));
    if (children.length === 0 && path.length > 0) out.push(path);
    for (const key of children) walk(node[key], [...path, key.slice(2)]);
  };
  walk(fields, []);
  return out;
}

/** Builds a FieldsV1 tree from leaf paths. */
export function buildFieldsV1(paths: FieldPath[]): JsonMap {
  const root: JsonMap = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      const key = `f:${segment}`;
      const next = node[key];
      if (isJsonMap(next)) node = next;
      else {
        const created: JsonMap = {};
        node[key] = created;
        node = created;
      }
    }
  }
  return root;
}

/** One writer's record in metadata.managedFields. */
export interface ManagerEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  subresource?: string;
  apiVersion?: string;
  time?: string;
  paths: FieldPath[];
}

/** The managers recorded on an object. */
export function readManagers(metadata: JsonMap): ManagerEntry[] {
  const raw = metadata['managedFields'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonMap).map((entry) => {
    const manager: ManagerEntry = {
      manager: typeof entry['manager'] === 'string' ? entry['manager'] : '',
      operation: entry['operation'] === 'Apply' ? 'Apply' : 'Update',
      paths: readFieldsV1(entry['fieldsV1']),
    };
    if (typeof entry['subresource'] === 'string') manager.subresource = entry['subresource'];
    if (typeof entry['apiVersion'] === 'string') manager.apiVersion = entry['apiVersion'];
    if (typeof entry['time'] === 'string') manager.time = entry['time'];
    return manager;
  });
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

function overlaps(a: FieldPath, b: FieldPath): boolean {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Records a write in managedFields the way server-side apply's field manager does, in small: the
 * writer takes ownership of `owned` paths (an Apply replaces its set, an Update adds the changed
 * paths), other managers lose those paths, and managers left with nothing are dropped.
 */
export function recordWrite(managers: ManagerEntry[], writer: Omit<ManagerEntry, 'paths' | 'time' | 'apiVersion'>, owned: FieldPath[], time: string, apiVersion: string): JsonValue {
  const sameWriter = (entry: ManagerEntry): boolean => entry.manager === writer.manager && entry.operation === writer.operation && entry.subresource === writer.subresource;
  const existing = managers.find(sameWriter);
  const writerPaths = writer.operation === 'Apply' ? owned : [...(existing?.paths ?? []).filter((path) => !owned.some((o) => samePath(o, path))), ...owned];
  const others = managers
    .filter((entry) => !sameWriter(entry))
    .map((entry) => ({ ...entry, paths: entry.paths.filter((path) => !owned.some((o) => overlaps(o, path))) }))
    .filter((entry) => entry.paths.length > 0);
  const all: ManagerEntry[] = [...others, { ...writer, paths: writerPaths, time, apiVersion }].filter((entry) => entry.paths.length > 0);
  return all.map((entry) => {
    const out: JsonMap = { apiVersion: entry.apiVersion ?? apiVersion, fieldsType: 'FieldsV1', fieldsV1: buildFieldsV1(entry.paths), manager: entry.manager, operation: entry.operation, time: entry.time ?? time };
    if (entry.subresource !== undefined) out['subresource'] = entry.subresource;
    return out;
  });
}

/** Managers other than `manager` (Apply or Update) that own a path overlapping one of `paths`. */
export function findConflicts(managers: ManagerEntry[], manager: string, paths: FieldPath[]): Array<{ entry: ManagerEntry; path: FieldPath }> {
  const out: Array<{ entry: ManagerEntry; path: FieldPath }> = [];
  for (const entry of managers) {
    if (entry.manager === manager && entry.operation === 'Apply') continue;
    for (const owned of entry.paths) {
      const hit = paths.find((path) => overlaps(path, owned));
      if (hit !== undefined) out.push({ entry, path: owned });
    }
  }
  return out;
}

/**
 * How the apiserver names a conflicting manager (fieldmanager printManager): Update managers with their
 * apiVersion. printManager would add the time, but the manager identifier it is given never carries one
 * (BuildManagerIdentifier drops it): the real kube-apiserver says `conflict with "kubectl-patch" using v1: .data.a`
 * (test/fidelity/kubectl.test.ts on the testbed).
 */
export function describeManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource !== undefined) text = `${text} with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text = `${text} using ${entry.apiVersion ?? ''}`;
  return text;
}
