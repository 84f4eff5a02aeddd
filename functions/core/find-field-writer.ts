/**
 * Who last wrote a field of a live object, read from its `metadata.managedFields` (the API server
 * records, per field manager and operation, the fields it set, as a FieldsV1 tree
 * `{"f:spec":{"f:replicas":{}}}`, and when). Drift reports name the writer of each drifted field
 * ("kubectl-patch, 2026-12-04 12:03 UTC") so nobody has to guess who changed it.
 */
import type { PathSegment } from './field-path.ts';
import { isJsonObject } from './is-json-object.ts';
import type { FieldWriter, Json, JsonObject } from './model.ts';

/** The field manager regops writes with (adapters/kubernetes/kube-cluster-client.ts): never "someone else". */
export const REGOPS_FIELD_MANAGER = 'regops';

/** Whether a FieldsV1 tree holds the path (the leaf itself or anything beneath it). */
function holdsPath(fields: Json | undefined, segments: readonly PathSegment[]): boolean {
  let node = fields;
  for (const segment of segments) {
    // list items are `i:`/`k:`/`v:` keys: a path through a list is owned through its list field
    if (typeof segment === 'number') return isJsonObject(node);
    if (!isJsonObject(node)) return false;
    node = node[`f:${segment}`];
  }
  return isJsonObject(node);
}

/**
 * The latest writer other than regops whose managed fields hold the path; undefined when only regops
 * (or nobody, e.g. a field someone deleted) holds it, or the object carries no managedFields.
 */
export function findFieldWriter(live: JsonObject | undefined, segments: readonly PathSegment[]): FieldWriter | undefined {
  const metadata = live?.['metadata'];
  const entries = isJsonObject(metadata) ? metadata['managedFields'] : undefined;
  if (!Array.isArray(entries)) return undefined;
  let found: FieldWriter | undefined;
  for (const entry of entries) {
    if (!isJsonObject(entry) || typeof entry['manager'] !== 'string' || entry['manager'] === REGOPS_FIELD_MANAGER) continue;
    if (entry['subresource'] === 'status' || !holdsPath(entry['fieldsV1'], segments)) continue;
    const time = typeof entry['time'] === 'string' ? entry['time'] : undefined;
    // the API server keeps one entry per manager and operation: the latest time wins
    if (found !== undefined && (time === undefined || (found.time !== undefined && found.time >= time))) continue;
    found = { manager: entry['manager'], operation: typeof entry['operation'] === 'string' ? entry['operation'] : 'Update', ...(time === undefined ? {} : { time }) };
  }
  return found;
}

/** `kubectl-patch (Update), 2026-12-04 12:03 UTC`, for reports. */
export function formatFieldWriter(writer: FieldWriter): string {
  const when = writer.time === undefined ? '' : `, ${writer.time.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}`;
  return `${writer.manager} (${writer.operation})${when}`;
}
