/**
 * `regops rollout` after a rollback that failed (engine/rollback-wave.ts): clusters are left as the
 * halted commit wrote them. With `--github OWNER/REPO` the issue is opened there through the same
 * publisher the AWS publish step uses (engine/publish-rollback-issue.ts); without a GitHub
 * connection, or when GitHub refuses, stderr says so loudly. The exit code is already 1 (the rollout failed).
 */
import type { Writable } from 'node:stream';
import type { RolloutReport } from '../core/model.ts';
import { toError } from '../core/errors.ts';
import type { CommitPublisher } from '../engine/ports.ts';
import { listFailedRollbacks, publishRollbackIssue } from '../engine/publish-rollback-issue.ts';

export async function reportFailedRollback(report: RolloutReport, connect: () => Promise<{ publisher: CommitPublisher; repository: string } | undefined>, err: Writable = process.stderr): Promise<void> {
  const failed = listFailedRollbacks(report);
  if (failed.length === 0) return;
  const what = `regops rollout: ROLLBACK FAILED on ${failed.map((f) => f.cluster).join(', ')}: left as commit ${report.commit} wrote ${failed.length === 1 ? 'it' : 'them'}`;
  let github: Awaited<ReturnType<typeof connect>>;
  try {
    github = await connect();
    if (github === undefined) {
      err.write(`${what}; NO ISSUE OPENED: this run has no GitHub connection (--github OWNER/REPO with GITHUB_TOKEN opens one); act on ${failed.length === 1 ? 'it' : 'them'} now\n`);
      return;
    }
    const issue = await publishRollbackIssue(github.publisher, report);
    err.write(`${what}; ${issue?.action ?? 'opened'} issue #${issue?.number ?? '?'} in ${github.repository}\n`);
  } catch (thrown) {
    err.write(`${what}; NO ISSUE OPENED: ${github?.repository ?? 'GitHub'}: ${toError(thrown).message}; act on ${failed.length === 1 ? 'it' : 'them'} now\n`);
  }
}
