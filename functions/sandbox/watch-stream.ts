import type { ServerResponse } from 'node:http';
import { isJsonMap } from './json-value.ts';
import { compileFieldSelector, compileLabelSelector } from './label-selector.ts';
import type { ObjectStore, StoredObject } from './object-store.ts';
import type { ResourceInfo } from './resource-catalog.ts';

/** A `?watch=true` request: which objects, from where, for how long. */
export interface WatchRequest {
  info: ResourceInfo;
  namespace: string | undefined;
  query: URLSearchParams;
  /** How an object goes into an event: its JSON, or a one-row Table when the client asked for tables. */
  render?: (stored: StoredObject) => string;
}

function namespaceOf(stored: StoredObject): string | undefined {
  const metadata = stored.object['metadata'];
  const namespace = isJsonMap(metadata) ? metadata['namespace'] : undefined;
  return typeof namespace === 'string' ? namespace : undefined;
}

/**
 * Streams watch events (`{"type":"ADDED|MODIFIED|DELETED","object":…}` one per line, as the apiserver's
 * JSON watch encoding does). Without a resourceVersion (or with "0") the current objects come first as
 * ADDED; with one, only later changes are sent (the sandbox keeps no event history).
 */
export function startWatch(store: ObjectStore, request: WatchRequest, res: ServerResponse): void {
  const { info, namespace, query } = request;
  const labelSelector = query.get('labelSelector');
  const fieldSelector = query.get('fieldSelector');
  const labels = labelSelector === null || labelSelector === '' ? undefined : compileLabelSelector(labelSelector);
  const fields = fieldSelector === null || fieldSelector === '' ? undefined : compileFieldSelector(fieldSelector);
  const matches = (stored: StoredObject): boolean =>
    (namespace === undefined || namespaceOf(stored) === namespace) && (labels === undefined || labels(stored.object)) && (fields === undefined || fields(stored.object));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // the apiserver sends the headers at once; a client waits for them before its watch counts as started
  res.flushHeaders();
  const render = request.render ?? ((stored: StoredObject) => stored.json);
  const send = (type: string, stored: StoredObject): void => {
    res.write(`{"type":"${type}","object":${render(stored)}}\n`);
  };
  const emit = (changed: ResourceInfo, current: StoredObject | undefined, previous: StoredObject | undefined): void => {
    if (changed !== info) return;
    if (current !== undefined && matches(current)) send(previous === undefined ? 'ADDED' : 'MODIFIED', current);
    else if (current === undefined && previous !== undefined && matches(previous)) send('DELETED', previous);
  };
  const resourceVersion = query.get('resourceVersion');
  if (resourceVersion === null || resourceVersion === '' || resourceVersion === '0') {
    for (const stored of store.list(info, namespace)) if (matches(stored)) send('ADDED', stored);
  } else {
    // resume: replay what changed after the given version (a client lists, then watches from the list's version)
    for (const record of store.changesSince(Number(resourceVersion) || 0)) emit(record.info, record.current, record.previous);
  }
  const unsubscribe = store.onChange(emit);
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '1800');
  const timer = setTimeout(() => res.end(), Math.max(1, timeoutSeconds) * 1000);
  timer.unref();
  res.on('close', () => {
    clearTimeout(timer);
    unsubscribe();
  });
}
