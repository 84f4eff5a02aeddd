/** The webhook function's clients, from its environment (WEBHOOK_SECRET_ID, the two state machine ARNs). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GitHubWebhookVerifier } from '../../adapters/github/github-webhook-verifier.ts';
import { createJsonLogger, type Logger } from '../../adapters/observability/json-logger.ts';
import { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
import type { ApprovalGrantPorts } from '../../engine/steps/approval-grant-step.ts';
import type { DeliverySettings } from './route-delivery.ts';
import { buildApprovalPorts } from './approval-ports.ts';
import { once, readNumberEnv, requireEnv, type Env } from './settings.ts';

export interface WebhookDependencies {
  verifier: { verify(body: string, signature: string | undefined): Promise<boolean> };
  sfn: SFNClient;
  stateMachines: { rollout: string; plan: string };
  settings: DeliverySettings;
  now: () => Date;
  logger: Logger;
  /** Delivery ids handled by this container (GitHub's "Redeliver" reuses the id). */
  seenDeliveries: Set<string>;
  /**
   * What a press of "Approve wave" needs (engine/steps/approval-grant-step.ts): the run store's
   * approval records, GitHub (permission, check run), SendTaskSuccess. Built on the first press.
   */
  approvals?: () => Promise<ApprovalGrantPorts>;
}

export function buildWebhookDependencies(env: Env): WebhookDependencies {
  const secrets = new SecretsManagerSource(new SecretsManagerClient({}));
  const secretId = requireEnv(env, 'WEBHOOK_SECRET_ID');
  const sfn = new SFNClient({});
  return {
    verifier: new GitHubWebhookVerifier(() => secrets.resolve({ source: 'secretsmanager', id: secretId })),
    sfn,
    stateMachines: { rollout: requireEnv(env, 'ROLLOUT_STATE_MACHINE_ARN'), plan: requireEnv(env, 'PLAN_STATE_MACHINE_ARN') },
    settings: {
      repository: requireEnv(env, 'REGOPS_REPOSITORY'),
      branch: requireEnv(env, 'REGOPS_BRANCH'),
      maxAgeSeconds: readNumberEnv(env, 'REGOPS_WEBHOOK_MAX_AGE_SECONDS', 3600),
    },
    now: () => new Date(),
    logger: createJsonLogger({ service: 'regops-github-webhook' }),
    seenDeliveries: new Set(),
    approvals: once(() => buildApprovalPorts(env, sfn, secrets)),
  };
}
