import type { ConditionSummary } from '../../model.ts';
import { escapeHtml } from './escape-html.ts';

/**
 * Renders conditions grouped by object, one line each (`Degraded True (Unavailable) message`);
 * conditions off their normal status are marked. `level` is the heading level of the object headings.
 */
export function renderConditions(conditions: readonly ConditionSummary[], level: 3 | 4 = 4): string {
  const byObject = new Map<string, ConditionSummary[]>();
  for (const condition of conditions) byObject.set(condition.object, [...(byObject.get(condition.object) ?? []), condition]);
  return [...byObject]
    .map(([object, list]) => {
      const items = list
        .map((c) => {
          // the ClusterOperator's messages hold one line per member (docs/registry-operator-facts.md §6.2)
          const message = c.message === '' ? '' : `<span class="m">${escapeHtml(c.message)}</span>`;
          const reason = c.reason === '' ? '' : ` (${escapeHtml(c.reason)})`;
          return `<li${isAbnormalCondition(c) ? ' class="ab"' : ''}><b>${escapeHtml(c.type)}</b> ${escapeHtml(c.status)}${reason}${message}</li>`;
        })
        .join('');
      return `<h${level}>Conditions of ${escapeHtml(shortenObject(object))}</h${level}><ul class="co">${items}</ul>`;
    })
    .join('');
}

/**
 * Whether a condition is off its normal status: the ClusterOperator's rule is True for Available,
 * False for the others (docs/registry-operator-facts.md §6.2); Storage* (§6.1) and the pruner's Scheduled are
 * True when fine too.
 */
export function isAbnormalCondition(condition: ConditionSummary): boolean {
  const { type } = condition;
  const normal = type.endsWith('Available') || type.startsWith('Storage') || type === 'Scheduled' ? 'True' : 'False';
  return condition.status !== normal;
}

/** `configs.imageregistry.operator.openshift.io/cluster` → `configs/cluster`: resource and name say enough. */
function shortenObject(object: string): string {
  const match = /^([a-z0-9-]+)\.[a-z0-9.-]+\/(.+)$/.exec(object);
  return match === null ? object : `${match[1]}/${match[2]}`;
}
