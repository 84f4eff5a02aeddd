/**
 * A rollout whose automatic rollback failed (engine/rollback-wave.ts; issue 13 item 1) leaves
 * clusters as the halted commit wrote them, which nobody gets back without a person: regops opens a
 * GitHub issue naming each one, through the same CommitPublisher that opens drift issues
 * (adapters/github/github-publisher.ts). One issue per commit and wave, found again by its hidden
 * marker, so a retried publish step (or the CLI run again) updates it instead of opening another.
 */
import type { RolloutReport } from '../core/model.ts';
import { shortenCommit, shortenDigests } from '../core/report/format-value.ts';
import { codeSpan, escapeMarkdown } from '../core/report/markdown-text.ts';
import { maskUrlUserInfo } from '../core/report/mask-credentials.ts';
import type { CommitPublisher } from './ports.ts';

export const rollbackIssueLabel = 'regops-rollback';

/** The hidden marker of the issue about the failed rollback of `wave` at `commit`. */
export function buildRollbackIssueMarker(commit: string, wave: string): string {
  return `<!-- regops:rollback-failed:${commit}:${wave} -->`;
}

/** The clusters of the report whose restore failed, with their wave. */
export function listFailedRollbacks(report: RolloutReport): Array<{ wave: string; cluster: string; commit: string; error: string }> {
  return report.waves.flatMap((w) => w.clusters.flatMap((c) => c.rolledBack?.outcome === 'failed'
    ? [{ wave: w.name, cluster: c.cluster, commit: c.rolledBack.commit, error: `${c.rolledBack.error?.code ?? 'failed'}: ${c.rolledBack.error?.message ?? ''}` }]
    : []));
}

/** Opens (or updates) the issue when a rollback failed; answers which and its number, or undefined when every rollback held. */
export async function publishRollbackIssue(publisher: CommitPublisher, report: RolloutReport): Promise<{ number: number; action: 'opened' | 'updated' } | undefined> {
  const failed = listFailedRollbacks(report);
  const first = failed[0];
  if (first === undefined) return undefined;
  const wave = report.halted?.wave ?? first.wave;
  const marker = buildRollbackIssueMarker(report.commit, wave);
  const title = `regops: ROLLBACK FAILED in wave ${wave} (commit ${shortenCommit(report.commit)})`;
  const body = [
    marker,
    `The rollout of commit \`${report.commit}\` halted at wave **${escapeMarkdown(wave)}** and its automatic rollback (\`rollback: automatic\`) failed on ${failed.length} cluster${failed.length === 1 ? '' : 's'}: each stays as the halted commit left it until a person acts.`,
    '',
    '| cluster | wave | restoring to | error |',
    '|---|---|---|---|',
    ...failed.map((f) => `| ${codeSpan(f.cluster)} | ${escapeMarkdown(f.wave)} | ${codeSpan(f.commit)} | ${escapeMarkdown(shortenDigests(maskUrlUserInfo(f.error)))} |`),
    '',
    `Why the wave halted: ${escapeMarkdown(shortenDigests(maskUrlUserInfo(report.halted?.reason ?? 'unknown')))}`,
    '',
    'Fix what stopped the restore (the error above), then roll out again: a fixed commit, or the one each cluster was restoring to. Drift keeps enforcing the last released commit, never the halted one.',
  ].join('\n');
  const existing = (await publisher.listOpenIssues(rollbackIssueLabel)).find((issue) => issue.body.includes(marker));
  if (existing !== undefined) {
    await publisher.updateIssue(existing.number, title, body);
    return { number: existing.number, action: 'updated' };
  }
  return { number: await publisher.openIssue(title, body, [rollbackIssueLabel]), action: 'opened' };
}
