import type { JsonMap } from './json-value.ts';

/** A status condition as the operator writes it (operator/v1 OperatorCondition, config/v1 ClusterOperatorStatusCondition). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

function toStored(condition: Condition, lastTransitionTime: string): JsonMap {
  const out: JsonMap = { type: condition.type, status: condition.status, lastTransitionTime };
  // omitempty in the Go types: an empty reason/message is not serialised
  if (condition.reason !== '') out['reason'] = condition.reason;
  if (condition.message !== '') out['message'] = condition.message;
  return out;
}

/**
 * Conditions as stored JSON after `updates`, the way pkg/operator/status.go updateCondition (and
 * pkg/storage/util UpdateCondition) apply them one by one: a condition of the same type is updated in
 * place (lastTransitionTime moves only when the status changes), a new type is appended, and every
 * condition not updated stays as it was, stale or not.
 */
export function mergeConditions(previous: unknown, updates: Condition[], now: string): JsonMap[] {
  const out: JsonMap[] = [];
  if (Array.isArray(previous)) {
    for (const item of previous) {
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && typeof (item as JsonMap)['type'] === 'string') out.push({ ...(item as JsonMap) });
    }
  }
  for (const condition of updates) {
    const index = out.findIndex((item) => item['type'] === condition.type);
    const old = index < 0 ? undefined : out[index];
    const keep = old !== undefined && old['status'] === condition.status && typeof old['lastTransitionTime'] === 'string';
    const stored = toStored(condition, keep ? (old['lastTransitionTime'] as string) : now);
    if (index < 0) out.push(stored);
    else out[index] = stored;
  }
  return out;
}

const normalStatus: Record<string, Condition['status']> = { Available: 'True', Progressing: 'False', Degraded: 'False' };
// Storage* and Removed are not aggregated (docs/registry-operator-facts.md §6.2)
const excludedPrefixes = ['Storage'];

/**
 * The ClusterOperator `image-registry` conditions from the Config and ImagePruner conditions, as
 * pkg/resource/clusteroperator.go unions them (docs/registry-operator-facts.md §6.2).
 */
export function aggregateClusterOperatorConditions(configConditions: Condition[], prunerConditions: Condition[]): Condition[] {
  const members = [
    ...configConditions.filter((condition) => !excludedPrefixes.some((prefix) => condition.type.startsWith(prefix)) && condition.type !== 'Removed'),
    ...prunerConditions.map((condition) => ({ ...condition, type: `ImagePruner${condition.type}` })),
  ];
  return ['Available', 'Progressing', 'Degraded'].map((type) => {
    const normal = normalStatus[type] ?? 'False';
    const group = members.filter((member) => member.type.endsWith(type));
    const abnormal = group.find((member) => member.status !== normal && member.status !== 'Unknown');
    const status: Condition['status'] = abnormal !== undefined ? abnormal.status : group.some((member) => member.status === 'Unknown') ? 'Unknown' : normal;
    const reasons = group
      .filter((member) => member.reason !== '' && member.reason !== 'AsExpected')
      .map((member) => `${member.type.slice(0, member.type.length - type.length)}${member.reason}`)
      .sort();
    const reason = reasons.length > 0 ? reasons.join('::') : 'AsExpected';
    const message = group
      .filter((member) => member.message !== '')
      .map((member) => `${member.type}: ${member.message}`)
      .join('\n');
    return { type, status, reason, message };
  });
}
