/** Reading status conditions off the Config and the image-registry ClusterOperator. */
import type { ConditionSummary, JsonObject } from '../core/model.ts';
import { isJsonObject } from '../core/is-json-object.ts';

/** The conditions of an object's status, summarised, in the order the server lists them. */
export function readConditions(object: JsonObject | undefined, label: string): ConditionSummary[] {
  const status = object?.['status'];
  if (!isJsonObject(status) || !Array.isArray(status['conditions'])) return [];
  return status['conditions'].filter(isJsonObject).map((c) => ({
    object: label,
    type: String(c['type'] ?? ''),
    status: String(c['status'] ?? 'Unknown'),
    reason: String(c['reason'] ?? ''),
    message: String(c['message'] ?? ''),
  }));
}

export function findCondition(conditions: ConditionSummary[], type: string): ConditionSummary | undefined {
  return conditions.find((c) => c.type === type);
}

/** A number at `status.<field>` or `spec.<field>`. */
export function readNumber(object: JsonObject | undefined, section: 'spec' | 'status' | 'metadata', field: string): number | undefined {
  const part = object?.[section];
  const value = isJsonObject(part) ? part[field] : undefined;
  return typeof value === 'number' ? value : undefined;
}

export function readString(object: JsonObject | undefined, section: 'spec' | 'status' | 'metadata', field: string): string | undefined {
  const part = object?.[section];
  const value = isJsonObject(part) ? part[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}
