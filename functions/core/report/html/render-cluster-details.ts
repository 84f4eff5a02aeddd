import { conditionSignature, type ConditionSet } from './condition-sets.ts';
import { describePrunerLine, describePrunerVerdict } from '../describe-pruner-line.ts';
import { escapeHtml } from './escape-html.ts';
import { formatFieldValue } from './format-field-value.ts';
import { maskCredentials } from '../mask-credentials.ts';
import { formatAge, formatUtc } from './format-time.ts';
import type { RunStart } from './drift-since.ts';
import type { PageCell, PageField } from './page-cells.ts';
import { PAGE_STATE_INFO } from './page-states.ts';
import { isAbnormalCondition, renderConditions } from './render-conditions.ts';

/** What every details panel of one page shares. */
export interface DetailsContext {
  /** The report's generatedAt: "since" ages are relative to it, never to the clock. */
  now: string;
  /** Condition lists printed once on the page, by `conditionSignature`. */
  conditionSets: ReadonlyMap<string, ConditionSet>;
}

/**
 * Renders one cluster's details panel as a native `<details>` element (keyboard-operable without
 * script; the page script builds its body from the `<noscript>` text and opens it when its grid cell
 * is chosen, and builds every body before printing).
 */
export function renderClusterDetails(cell: PageCell, index: number, context: DetailsContext): string {
  const info = PAGE_STATE_INFO[cell.state];
  const fieldCount = cell.resources.reduce((sum, resource) => sum + resource.fields.length, 0);
  const summary: string[] = [];
  if (cell.wave !== undefined) summary.push(`wave ${cell.wave}`);
  if (cell.policy !== undefined) summary.push(`policy ${cell.policy}`);
  if (fieldCount > 0) summary.push(`${fieldCount} drifted field${fieldCount === 1 ? '' : 's'}`);
  if (cell.driftSince !== undefined) summary.push(`since ${formatUtc(cell.driftSince.at)}${cell.driftSince.open ? ' or earlier' : ''}`);
  if (cell.step !== undefined) summary.push(`failed at ${cell.step}`);
  if (cell.error !== undefined) summary.push(cell.error.code);
  if (cell.rolledBack !== undefined) summary.push(cell.rolledBack.outcome === 'succeeded' ? `rolled back to ${cell.rolledBack.commit}` : 'ROLLBACK FAILED');
  if (cell.pruner?.warning !== undefined) summary.push('PRUNER WARNING');

  const facts: string[] = [];
  if (cell.driftSince !== undefined) facts.push(fact('Drifted since', sinceText(cell.driftSince, context.now)));
  if (cell.step !== undefined) facts.push(fact('Failed step', escapeHtml(cell.step)));
  if (cell.error !== undefined) {
    facts.push(fact(cell.step === undefined ? 'Error' : 'Reason', `<code>${escapeHtml(cell.error.code)}</code> ${escapeHtml(cell.error.message)}`));
  }
  if (cell.rolledBack !== undefined) {
    const back = cell.rolledBack;
    const error = back.error === undefined ? '' : `: <code>${escapeHtml(back.error.code)}</code> ${escapeHtml(back.error.message)}`;
    facts.push(fact('Rollback', back.outcome === 'succeeded' ? `rolled back to <code>${escapeHtml(back.commit)}</code>` : `<strong>ROLLBACK to <code>${escapeHtml(back.commit)}</code> FAILED</strong>${error}`));
  }
  if (cell.corrected !== undefined) {
    const error = cell.corrected.error === undefined ? '' : `: <code>${escapeHtml(cell.corrected.error.code)}</code> ${escapeHtml(cell.corrected.error.message)}`;
    facts.push(fact('Corrected', `${escapeHtml(cell.corrected.outcome)}${error}`));
  }
  if (cell.changes !== undefined) {
    const c = cell.changes;
    facts.push(fact('Changes', `${c.create} create, ${c.update} update, ${c.prune} prune, ${c.unchanged} unchanged, ${c.skipped} skipped`));
  }
  if (cell.startedAt !== undefined) {
    const finished = cell.finishedAt === undefined ? '' : ` \u2013 ${escapeHtml(formatUtc(cell.finishedAt))}`;
    facts.push(fact('Ran', `${escapeHtml(formatUtc(cell.startedAt))}${finished}`));
  }
  if (cell.pruner !== undefined) {
    // the words of the text and Markdown reports (describe-pruner-line.ts): the whole line where the
    // pruner will not prune or Git's pruner is a mistake, the plan table's short form for the usual
    // case (its reason, the hostname, would add 100 kB to a 1,000-cluster page), a warning in bold
    const { pruner } = cell;
    const line = escapeHtml(pruner.prunesRegistry && pruner.warning === undefined ? describePrunerVerdict(pruner) : describePrunerLine(pruner));
    facts.push(fact('Image pruner', pruner.warning === undefined ? line : `<strong>${line}</strong>`));
  }
  // twelve hex digits of a SHA stay unique in practice and keep 1,000 panels small
  const commit = cell.appliedCommit === undefined ? undefined : /^[0-9a-f]{40}$/.test(cell.appliedCommit) ? cell.appliedCommit.slice(0, 12) : cell.appliedCommit;
  facts.push(fact('Applied commit', commit === undefined ? '<span class="mu">none recorded</span>' : `<code>${escapeHtml(commit)}</code>`));
  if (cell.labels.length > 0) facts.push(fact('Labels', escapeHtml(cell.labels.map(([key, value]) => `${key}=${value}`).join(', '))));

  return (
    `<details id="c${index}" class="cd s-${cell.state}"><summary><b class="st">${info.label}</b>` +
    `<span class="nm">${escapeHtml(cell.name)}</span><span class="sm">${escapeHtml(summary.join(' \u00b7 '))}</span></summary>` +
    // the body sits in <noscript>: with script on, the parser keeps it as one text node (raw text) and the
    // page script builds it when the panel opens, so 1,000 bodies cost no DOM at load; with script off it
    // is ordinary markup (HTML Living Standard, "parsing main inbody": noscript with the scripting flag set)
    `<noscript><div class="bd"><dl>${facts.join('')}</dl>${renderFields(cell, context.now)}${renderOutsideChanges(cell)}` +
    `${renderCellConditions(cell, context.conditionSets)}</div></noscript></details>`
  );
}

function fact(term: string, html: string): string {
  return `<dt>${term}</dt><dd>${html}</dd>`;
}

/** `2026-11-20 06:00 UTC (3 h 0 min)`; a run reaching the oldest scan known may be longer: "or earlier". */
function sinceText(since: RunStart, now: string): string {
  if (since.at === now && !since.open) return `${escapeHtml(formatUtc(since.at))} <span class="mu">(new in this scan)</span>`;
  const age = formatAge(since.at, now);
  const ageText = age === '' ? '' : ` <span class="mu">(${escapeHtml(age)}${since.open ? ' or more' : ''})</span>`;
  return `${escapeHtml(formatUtc(since.at))}${since.open ? ' or earlier' : ''}${ageText}`;
}

/** One table per cluster, a row group per resource; Git's value beside the live one. */
function renderFields(cell: PageCell, now: string): string {
  const groups = cell.resources
    .filter((resource) => resource.fields.length > 0)
    .map(
      (resource) =>
        `<tbody><tr><th colspan="4" scope="rowgroup">${escapeHtml(resource.label)}</th></tr>` +
        resource.fields.map((field) => renderField(field, cell.driftSince, now)).join('') +
        '</tbody>',
    );
  if (groups.length === 0) return '';
  return (
    '<table class="ft"><caption>Drifted fields</caption><thead><tr><th scope="col">Field</th><th scope="col">Git (desired)</th>' +
    `<th scope="col">Live</th><th scope="col">Differs since, changed by</th></tr></thead>${groups.join('')}</table>`
  );
}

/** Rollout: what another writer changed while regops applied (ClusterRollout.outsideChanges). */
function renderOutsideChanges(cell: PageCell): string {
  if (cell.outside === undefined) return '';
  const groups = cell.outside.map(
    (resource) =>
      `<tbody><tr><th colspan="3" scope="rowgroup">${escapeHtml(resource.label)}</th></tr>` +
      resource.fields
        .map((field) => `<tr><th scope="row"><code>${escapeHtml(field.path)}</code></th>${renderValue(field.path, field.live, field.secret)}${renderValue(field.path, field.git, field.secret)}</tr>`)
        .join('') +
      '</tbody>',
  );
  return (
    '<table class="ft"><caption>Changed by another writer during the apply</caption><thead><tr><th scope="col">Field</th>' +
    `<th scope="col">Before</th><th scope="col">After</th></tr></thead>${groups.join('')}</table>`
  );
}

function renderValue(path: string, raw: PageField['git'], secret: boolean): string {
  const formatted = formatFieldValue(maskCredentials(path, raw), secret);
  return formatted.absent ? `<td class="mu">${formatted.text}</td>` : `<td><code>${escapeHtml(formatted.text)}</code></td>`;
}

function renderField(field: PageField, clusterSince: RunStart | undefined, now: string): string {
  const value = (raw: PageField['git']): string => renderValue(field.path, raw, field.secret);
  // most fields drift together with their cluster: only a different start is spelled out
  const sinceHtml = field.since === undefined ? '' : field.since.at === clusterSince?.at ? '<span class="mu">as cluster</span>' : sinceText(field.since, now);
  const writer = field.writer === undefined ? '' : `${sinceHtml === '' ? '' : '<br>'}by ${escapeHtml(field.writer)}`;
  return `<tr><th scope="row"><code>${escapeHtml(field.path)}</code></th>${value(field.git)}${value(field.live)}<td>${sinceHtml}${writer}</td></tr>`;
}

function renderCellConditions(cell: PageCell, sets: ReadonlyMap<string, ConditionSet>): string {
  if (cell.conditions.length === 0) return '';
  const set = sets.get(conditionSignature(cell.conditions));
  if (set === undefined) return renderConditions(cell.conditions);
  // the conditions off normal are what a reader opened the panel for: they stay here in full
  const abnormal = cell.conditions.filter(isAbnormalCondition);
  const link = `<a href="#${set.id}">condition set ${set.name}</a>`;
  if (abnormal.length === 0) return `<p class="cs">Conditions: all normal, as in ${link}.</p>`;
  return `${renderConditions(abnormal)}<p class="cs">Full list: ${link}.</p>`;
}
