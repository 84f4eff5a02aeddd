/**
 * Lambda Function URL for GitHub webhooks: 401 unless X-Hub-Signature-256 verifies; a push to the
 * configured branch starts the rollout named after the commit (a redelivery starts nothing new);
 * a pull request (opened/synchronize/reopened) starts the plan workflow for its head commit;
 * a press of "Approve wave" on a regops approval check run (check_run.requested_action) answers the
 * waiting rollout (engine/steps/approval-grant-step.ts) and always 200 with the outcome;
 * everything else, stale and replayed deliveries answer 200 with the reason; a signed body that is
 * not JSON or lacks a field the event must carry answers 400 with the reason; a body over
 * maxWebhookBodyBytes answers 413 before anything reads it.
 */
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { grantApprovalStep } from '../engine/steps/approval-grant-step.ts';
import { parseStepInput } from './wiring/parse-step-input.ts';
import { rememberDelivery } from './wiring/remember-delivery.ts';
import { routeDelivery } from './wiring/route-delivery.ts';
import { startWorkflow } from './wiring/start-workflow.ts';
import { StepInputError } from './wiring/step-input-error.ts';
import { functionUrlEventSchema } from './wiring/step-input-schemas.ts';
import { buildWebhookDependencies, type WebhookDependencies } from './wiring/webhook-dependencies.ts';
import { once } from './wiring/settings.ts';

export type { WebhookDependencies };

/**
 * The largest body regops reads, decoded (a base64 body counts as the bytes it decodes to). Lambda
 * itself answers 413 before any code runs when the invoke payload (the Function URL event, headers
 * and body, base64 included) is over 6 MB (6,291,456 bytes; Lambda quotas), and GitHub sends up to
 * 25 MB. Below that, a push or pull_request delivery is tens of kilobytes; a body over 2 MiB is
 * answered 413 before its signature is computed or its JSON parsed.
 */
export const maxWebhookBodyBytes = 2 * 1024 * 1024;

const reply = (statusCode: number, body: Record<string, unknown>): LambdaFunctionURLResult => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function createWebhookHandler(deps: WebhookDependencies): (event: LambdaFunctionURLEvent, context?: Context) => Promise<LambdaFunctionURLResult> {
  return async (event, context) => {
    // request id, function name and cold start on every line of this delivery (json-logger.ts)
    if (context !== undefined) deps.logger.addLambdaContext(context);
    // Powertools Parser on the fields read below: an invoke that is no Function URL event gets a 400 naming the field
    try {
      parseStepInput('github-webhook', functionUrlEventSchema, event);
    } catch (thrown) {
      if (!(thrown instanceof StepInputError)) throw thrown;
      deps.logger.warn('webhook rejected: not a Function URL event', { path: thrown.context['path'] });
      return reply(400, { error: thrown.message });
    }
    const delivery = event.headers['x-github-delivery'] ?? '';
    const name = event.headers['x-github-event'] ?? '';
    const bytes = event.isBase64Encoded ? Buffer.byteLength(event.body ?? '', 'base64') : Buffer.byteLength(event.body ?? '', 'utf8');
    if (bytes > maxWebhookBodyBytes) {
      deps.logger.warn('webhook rejected: body too large', { delivery, event: name, bytes, limit: maxWebhookBodyBytes });
      return reply(413, { error: `body is ${bytes} bytes; regops reads webhook bodies up to ${maxWebhookBodyBytes} bytes (push and pull_request deliveries are far smaller)` });
    }
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    if (!(await deps.verifier.verify(body, event.headers['x-hub-signature-256']))) {
      deps.logger.warn('webhook rejected: bad or missing signature', { delivery, event: name });
      return reply(401, { error: 'bad or missing X-Hub-Signature-256' });
    }
    if (delivery !== '' && deps.seenDeliveries.has(delivery)) return reply(200, { result: 'ignored', reason: `delivery ${delivery} already handled` });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(400, { error: 'body is not JSON (set the webhook content type to application/json)' });
    }
    const route = await routeDelivery(name, payload, deps.settings, deps.now(), delivery);
    if (route.action === 'reject') {
      deps.logger.warn('webhook rejected: malformed payload', { delivery, event: name, reason: route.reason });
      return reply(400, { error: route.reason });
    }
    if (route.action === 'ignore') {
      rememberDelivery(deps.seenDeliveries, delivery);
      deps.logger.info('webhook ignored', { delivery, event: name, reason: route.reason });
      return reply(200, { result: 'ignored', reason: route.reason });
    }
    if (route.action === 'approve') {
      if (deps.approvals === undefined) return reply(200, { result: 'ignored', reason: 'approval gates are not configured for this function' });
      const outcome = await grantApprovalStep(await deps.approvals(), route.press);
      rememberDelivery(deps.seenDeliveries, delivery);
      deps.logger.child({ commit: route.press.commit }).info(`webhook: approval ${outcome.result}`, { delivery, event: name, wave: route.press.wave, sender: route.press.sender, reason: outcome.reason });
      return reply(200, { result: outcome.result, reason: outcome.reason });
    }
    const log = deps.logger.child({ commit: String(route.input['commit']) });
    // a failed start throws (GitHub shows the delivery failed and it can be redelivered)
    const result = await startWorkflow(deps.sfn, deps.stateMachines[route.workflow], route.executionName, route.input);
    rememberDelivery(deps.seenDeliveries, delivery);
    log.info(`webhook: ${route.workflow} ${result}`, { delivery, event: name, execution: route.executionName });
    return reply(result === 'started' ? 202 : 200, { result, workflow: route.workflow, execution: route.executionName });
  };
}

const handle = once(() => createWebhookHandler(buildWebhookDependencies(process.env)));
export const handler = (event: LambdaFunctionURLEvent, context?: Context): Promise<LambdaFunctionURLResult> => handle()(event, context);
