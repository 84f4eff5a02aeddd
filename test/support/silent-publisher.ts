/** A CommitPublisher that tells GitHub nothing and answers as GitHub would: for engine tests where GitHub is not what is under test. */
import type { CommitPublisher } from '../../functions/engine/ports.ts';

export const silentPublisher: CommitPublisher = {
  setCommitStatus: () => Promise.resolve(),
  upsertCheckRun: () => Promise.resolve(),
  upsertPullRequestComment: () => Promise.resolve(),
  listOpenIssues: () => Promise.resolve([]),
  openIssue: () => Promise.resolve(1),
  updateIssue: () => Promise.resolve(),
  closeIssue: () => Promise.resolve(),
};
