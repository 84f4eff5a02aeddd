/**
 * What regops tells GitHub about a report: the rollout status and the drift summary as a commit
 * status and a check run on the commit they concern; one issue per drifted cluster, opened or
 * updated, and closed when the cluster is back in sync; for a pull request a check run (failing
 * with FILE:LINE annotations when the config is invalid) and one PR comment updated in place.
 */
import type { ClusterDrift, Diagnostic, DriftReport, PlanReport, RolloutReport } from '../core/model.ts';
import type { CheckAnnotation, CommitPublisher } from './ports.ts';
import { shortenDigests } from '../core/report/format-value.ts';
import { formatFieldWriter } from '../core/find-field-writer.ts';
import { maskCredentials, maskUrlUserInfo } from '../core/report/mask-credentials.ts';
import { codeSpan, escapeMarkdown } from '../core/report/markdown-text.ts';
import type { Json } from '../core/model.ts';
import type { PullRequestTrust } from './pull-request-trust.ts';

export const planCommentMarker = '<!-- regops:plan -->';
export const driftIssueLabel = 'regops-drift';

/** The hidden marker that finds a cluster's drift issue again, whatever people do to its title. */
export function buildDriftIssueMarker(cluster: string): string {
  return `<!-- regops:drift:${cluster} -->`;
}

/**
 * The hidden marker of the comment closing a cluster's drift issue after one scan: a retried publish
 * (the same report, read back from its history entry: publish-step.ts) finds it and comments once.
 */
export function buildDriftCloseMarker(cluster: string, scannedAt: string): string {
  return `<!-- regops:drift-closed:${cluster}:${scannedAt} -->`;
}

const short = (sha: string): string => sha.slice(0, 12);

/**
 * A field value for a comment or an issue: credentials masked (core/report/mask-credentials.ts),
 * digests shortened, then escaped, since a value from Git or a cluster may hold `|`, backticks or
 * HTML that would break the table or inject markup (a fork's PR controls Git's side).
 */
function formatCell(path: string, value: Json | undefined): string {
  return codeSpan(shortenDigests(JSON.stringify(maskCredentials(path, value) ?? null)));
}

/** What an automatic rollback did to a failed cluster (engine/rollback-wave.ts), for its line in the check run. */
function describeRollback(cluster: RolloutReport['waves'][number]['clusters'][number]): string {
  const back = cluster.rolledBack;
  if (back === undefined) return '';
  return back.outcome === 'succeeded' ? `; rolled back to \`${back.commit}\`` : `; **ROLLBACK to \`${back.commit}\` FAILED**: ${back.error?.code ?? ''} ${back.error?.message ?? ''}`.trimEnd();
}

function renderRolloutSummary(report: RolloutReport): string {
  const lines = [`Commit \`${short(report.commit)}\`: rollout **${report.status}**${report.halted === undefined ? '' : `, halted at wave **${report.halted.wave}**: ${report.halted.reason}`}.`, '', '| wave | status | clusters | failed |', '|---|---|---|---|'];
  for (const wave of report.waves) {
    const failed = wave.clusters.filter((c) => c.outcome === 'failed').map((c) => c.cluster);
    lines.push(`| ${wave.name} | ${wave.status} | ${wave.clusters.length} | ${failed.join(', ') || '–'} |`);
  }
  const failures = report.waves.flatMap((wave) => wave.clusters.filter((c) => c.outcome === 'failed').map((c) => ({ wave: wave.name, c })));
  if (failures.length > 0) {
    lines.push('', '**Failed clusters**', '');
    for (const { wave, c } of failures) lines.push(`- \`${c.cluster}\` (wave ${wave}) at step **${c.step ?? c.error?.step ?? 'unknown'}**: ${c.error?.code ?? ''} ${c.error?.message ?? ''}`.trimEnd() + describeRollback(c));
  }
  return lines.join('\n');
}

/** Commit status `regops/rollout` and check run `regops rollout` on the rolled-out commit. */
export async function publishRolloutToGitHub(publisher: CommitPublisher, report: RolloutReport): Promise<void> {
  const clusters = report.waves.flatMap((w) => w.clusters);
  const changed = clusters.filter((c) => c.outcome === 'succeeded').length;
  const failed = clusters.filter((c) => c.outcome === 'failed').length;
  const description = report.status === 'succeeded'
    ? `rolled out: ${changed} changed, ${clusters.length - changed} unchanged or skipped`
    : report.halted === undefined
      ? `${failed} cluster(s) failed within the waves' maxFailures; the rollout went on`
      : `halted at wave ${report.halted.wave}: ${failed} cluster(s) failed`;
  await publisher.setCommitStatus(report.commit, { state: report.status === 'succeeded' ? 'success' : 'failure', context: 'regops/rollout', description });
  await publisher.upsertCheckRun(report.commit, {
    name: 'regops rollout',
    conclusion: report.status === 'succeeded' ? 'success' : 'failure',
    title: description,
    summary: renderRolloutSummary(report),
  });
}

/** The Error and Cause Step Functions reports for a failed Lambda step: Cause is the runtime's JSON. */
export function describeStepFailure(error: string, cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not the Lambda runtime's JSON: the cause as it is
  }
  return cause === '' ? error : cause;
}

/** A rollout that could not start (invalid config, waves changed, fleet too large): a failed status on the commit. */
export async function publishRefusedRolloutToGitHub(publisher: CommitPublisher, commit: string, error: string, cause: string): Promise<void> {
  const why = describeStepFailure(error, cause);
  await publisher.setCommitStatus(commit, { state: 'failure', context: 'regops/rollout', description: `not rolled out: ${why}` });
  await publisher.upsertCheckRun(commit, { name: 'regops rollout', conclusion: 'failure', title: 'not rolled out', summary: `Commit \`${short(commit)}\` was not rolled out.\n\n${error}: ${why}` });
}

function renderDriftIssue(cluster: ClusterDrift, report: DriftReport): string {
  const lines = [
    buildDriftIssueMarker(cluster.cluster),
    `Cluster \`${cluster.cluster}\` is **${cluster.state}** against commit \`${short(report.commit)}\` (scan ${report.generatedAt}, policy ${cluster.policy}).`,
    '',
  ];
  for (const resource of cluster.resources) {
    const target = resource.target.type === 'object' ? `${resource.target.ref.kind}/${resource.target.ref.name}` : resource.target.type === 'bucket' ? `bucket ${resource.target.name}` : 'health gate';
    lines.push(`**${target}**`, '', '| field | Git | live | changed by |', '|---|---|---|---|');
    for (const change of resource.changes) {
      const writer = change.writer === undefined ? '' : escapeMarkdown(formatFieldWriter(change.writer));
      lines.push(`| ${codeSpan(change.path)} | ${formatCell(change.path, change.after)} | ${formatCell(change.path, change.before)} | ${writer} |`);
    }
    lines.push('');
  }
  for (const condition of cluster.conditions.filter((c) => c.type === 'Degraded' && c.status === 'True')) lines.push(`Degraded: ${escapeMarkdown(condition.reason)}: ${escapeMarkdown(maskUrlUserInfo(condition.message))}`);
  if (cluster.corrected !== undefined) lines.push(`Correction (policy enforce): ${cluster.corrected.outcome}${cluster.corrected.error === undefined ? '' : ` — ${cluster.corrected.error.message}`}`);
  return lines.join('\n');
}

export interface DriftIssueChanges {
  opened: string[];
  updated: string[];
  closed: string[];
}

/**
 * Status `regops/drift` and check run `regops drift` on the scanned commit, then one issue per
 * drifted or degraded cluster; issues of clusters now in sync (or corrected by policy enforce) are closed. Unreachable and unmanaged
 * clusters keep whatever issue they have: their state is unknown or not regops' to judge.
 */
export async function publishDriftToGitHub(publisher: CommitPublisher, report: DriftReport): Promise<DriftIssueChanges> {
  // a drift corrected by policy enforce is back in sync: it needs no issue (and closes its old one)
  const corrected = (c: ClusterDrift): boolean => c.corrected?.outcome === 'succeeded';
  const attention = report.clusters.filter((c) => (c.state === 'drifted' || c.state === 'degraded') && !corrected(c));
  const title = report.summary.clusters === report.summary['in-sync']
    ? `all ${report.summary.clusters} clusters in sync`
    : `${report.summary.drifted} drifted, ${report.summary.degraded} degraded, ${report.summary.unreachable} unreachable${(report.summary.error ?? 0) > 0 ? `, ${report.summary.error ?? 0} with plan errors` : ''} of ${report.summary.clusters}`;
  // a cluster whose plan has errors is not in sync (issue #10 item 10): Git cannot be applied there
  const state = attention.length > 0 || (report.summary.error ?? 0) > 0 ? 'failure' : report.summary.unreachable > 0 ? 'error' : 'success';
  await publisher.setCommitStatus(report.commit, { state, context: 'regops/drift', description: title });
  const rows = report.clusters.filter((c) => c.state !== 'in-sync').map((c) => `| ${escapeMarkdown(c.cluster)} | ${c.state} | ${c.resources.reduce((n, r) => n + r.changes.length, 0)} | ${escapeMarkdown(maskUrlUserInfo(c.error?.message ?? ''))} |`);
  await publisher.upsertCheckRun(report.commit, {
    name: 'regops drift',
    conclusion: state === 'success' ? 'success' : state === 'failure' ? 'failure' : 'neutral',
    title,
    summary: [`Drift scan of \`${short(report.commit)}\` at ${report.generatedAt}: ${report.summary.driftedFields} drifted field(s), ${report.summary.corrected} corrected.`, '', ...(rows.length > 0 ? ['| cluster | state | fields | error |', '|---|---|---|---|', ...rows] : [])].join('\n'),
  });

  const open = await publisher.listOpenIssues(driftIssueLabel);
  const issueOf = (cluster: string): number | undefined => open.find((issue) => issue.body.includes(buildDriftIssueMarker(cluster)))?.number;
  const changes: DriftIssueChanges = { opened: [], updated: [], closed: [] };
  for (const cluster of attention) {
    const issueTitle = `regops: ${cluster.cluster} is ${cluster.state}`;
    const body = renderDriftIssue(cluster, report);
    const number = issueOf(cluster.cluster);
    if (number === undefined) {
      await publisher.openIssue(issueTitle, body, [driftIssueLabel]);
      changes.opened.push(cluster.cluster);
    } else {
      await publisher.updateIssue(number, issueTitle, body);
      changes.updated.push(cluster.cluster);
    }
  }
  for (const cluster of report.clusters.filter((c) => c.state === 'in-sync' || corrected(c))) {
    const number = issueOf(cluster.cluster);
    if (number === undefined) continue;
    const marker = buildDriftCloseMarker(cluster.cluster, report.generatedAt);
    await publisher.closeIssue(number, `${marker}\nBack in sync with \`${short(report.commit)}\` (scan ${report.generatedAt}).`, marker);
    changes.closed.push(cluster.cluster);
  }
  return changes;
}

function toAnnotation(diagnostic: Diagnostic): CheckAnnotation {
  return {
    path: diagnostic.file,
    startLine: Math.max(1, diagnostic.line),
    endLine: Math.max(1, diagnostic.line),
    level: diagnostic.severity === 'error' ? 'failure' : 'warning',
    title: diagnostic.code,
    message: diagnostic.hint === '' ? diagnostic.message : `${diagnostic.message}\n${diagnostic.hint}`,
  };
}

export interface PlanPublication {
  commit: string;
  pullRequest: number;
  /** Absent when the config did not validate (nothing was planned). */
  report?: PlanReport;
  diagnostics: Diagnostic[];
  /** The plan workflow's decision on the PR's config (absent: trusted). */
  trust?: PullRequestTrust;
}

/** Check run `regops plan` on the PR head and the one PR comment, updated in place. */
export async function publishPlanToGitHub(publisher: CommitPublisher, publication: PlanPublication): Promise<void> {
  const errors = publication.diagnostics.filter((d) => d.severity === 'error');
  const trust = publication.trust;
  const lines = [planCommentMarker, `### regops plan for \`${short(publication.commit)}\``, ''];
  if (trust?.mode === 'refused') {
    const body = [...lines, `**Not planned.** ${escapeMarkdown(trust.reason)}`].join('\n');
    await publisher.upsertCheckRun(publication.commit, { name: 'regops plan', conclusion: 'neutral', title: 'not planned: pull request from a fork', summary: body.replace(planCommentMarker, '').trim() });
    await publisher.upsertPullRequestComment(publication.pullRequest, planCommentMarker, body);
    return;
  }
  if (trust?.mode === 'restricted') lines.push(`**Restricted plan.** ${escapeMarkdown(trust.reason)}.`, '');
  if (errors.length > 0) {
    lines.push(`**Invalid config: ${errors.length} error(s).** Nothing was planned.`, '');
    for (const d of errors) lines.push(`- ${codeSpan(`${d.file}:${d.line}:${d.col}`)} ${escapeMarkdown(d.code)}: ${escapeMarkdown(d.message)}${d.hint === '' ? '' : ` — ${escapeMarkdown(d.hint)}`}`);
  } else if (publication.report !== undefined) {
    const s = publication.report.summary;
    lines.push(`${s.clustersWithChanges} of ${s.clusters} cluster(s) would change: ${s.create} create, ${s.update} update, ${s.prune} prune${s.errors > 0 ? `; ${s.errors} could not be planned` : ''}.`, '');
    lines.push('| cluster | create | update | prune | note |', '|---|---|---|---|---|');
    for (const plan of publication.report.clusters) {
      lines.push(`| ${escapeMarkdown(plan.cluster)} | ${plan.summary.create} | ${plan.summary.update} | ${plan.summary.prune} | ${escapeMarkdown(shortenDigests(plan.error?.message ?? ''))} |`);
    }
    const changed = publication.report.clusters.filter((p) => p.summary.create + p.summary.update + p.summary.prune > 0);
    if (changed.length > 0) {
      lines.push('', '<details><summary>Field changes</summary>', '');
      for (const plan of changed) {
        for (const entry of plan.entries.filter((e) => e.changes.length > 0)) {
          const target = entry.target.type === 'object' ? `${entry.target.ref.kind}/${entry.target.ref.name}` : entry.target.type;
          for (const change of entry.changes) lines.push(`- ${escapeMarkdown(plan.cluster)} ${escapeMarkdown(target)} ${codeSpan(change.path)}: ${formatCell(change.path, change.before)} → ${formatCell(change.path, change.after)}`);
        }
      }
      lines.push('', '</details>');
    }
  }
  const warnings = publication.diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length > 0) {
    lines.push('', `${warnings.length} warning(s):`);
    for (const d of warnings) lines.push(`- ${codeSpan(`${d.file}:${d.line}:${d.col}`)} ${escapeMarkdown(d.code)}: ${escapeMarkdown(d.message)}`);
  }
  const body = lines.join('\n');
  const failed = errors.length > 0 || (publication.report?.summary.errors ?? 0) > 0;
  await publisher.upsertCheckRun(publication.commit, {
    name: 'regops plan',
    conclusion: failed ? 'failure' : 'success',
    title: errors.length > 0 ? `invalid config: ${errors.length} error(s)` : publication.report === undefined ? 'nothing planned' : `${publication.report.summary.clustersWithChanges} cluster(s) would change`,
    summary: body.replace(planCommentMarker, '').trim(),
    annotations: publication.diagnostics.map(toAnnotation),
  });
  await publisher.upsertPullRequestComment(publication.pullRequest, planCommentMarker, body);
}
