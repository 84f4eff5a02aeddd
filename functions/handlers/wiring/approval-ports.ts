/**
 * The webhook function's ports for a press of "Approve wave" (engine/steps/approval-grant-step.ts),
 * from its environment: the approval records in the reports bucket (REPORTS_BUCKET; the function may
 * read only runs/rollout/<commit>/approvals/*, infra/regops-stack.ts), GitHub with the token secret
 * (GITHUB_TOKEN_SECRET_ID, GITHUB_API_URL), and SendTaskSuccess on the rollout state machine.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { S3ReportStore } from '../../adapters/s3/s3-report-store.ts';
import type { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
import { StoredApprovalRecords } from '../../adapters/secrets/stored-approval-records.ts';
import { systemClock } from '../../adapters/system-clock.ts';
import type { ApprovalGrantPorts } from '../../engine/steps/approval-grant-step.ts';
import { createGitHubAccess } from './github-access.ts';
import { SettingsError } from './settings-error.ts';
import { requireEnv, splitRepository, type Env } from './settings.ts';
import { SfnTaskTokens } from './sfn-task-tokens.ts';

export async function buildApprovalPorts(env: Env, sfn: SFNClient, secrets: SecretsManagerSource): Promise<ApprovalGrantPorts> {
  const { owner, repo } = splitRepository(requireEnv(env, 'REGOPS_REPOSITORY'));
  const secret = await secrets.resolve({ source: 'secretsmanager', id: requireEnv(env, 'GITHUB_TOKEN_SECRET_ID') });
  const checks = createGitHubAccess({ owner, repo, branch: requireEnv(env, 'REGOPS_BRANCH'), secret, baseUrl: env['GITHUB_API_URL'] }).approvals;
  if (checks === undefined) throw new SettingsError('settings.invalid', 'github-webhook: the GitHub access has no approval checks', {});
  return {
    approvals: new StoredApprovalRecords(new S3ReportStore(new S3Client({}), requireEnv(env, 'REPORTS_BUCKET'))),
    checks,
    tasks: new SfnTaskTokens(sfn),
    clock: systemClock,
  };
}
