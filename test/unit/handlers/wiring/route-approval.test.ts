/**
 * routeDelivery (handlers/wiring/route-delivery.ts) for check_run deliveries: only a press of
 * "Approve wave" on a regops approval check run is an approval; the payloads are the real
 * check_run examples of @octokit/webhooks-examples with ids filled in as GitHub would send them.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { routeDelivery } from '../../../../functions/handlers/wiring/route-delivery.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const settings = { repository: 'acme/fleet', branch: 'main', maxAgeSeconds: 3600 };
const sha = 'b'.repeat(40);

function checkRunPayload(action: string, edit: (payload: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const found = examples.find((e) => e.name === 'check_run')?.examples.find((p) => p['action'] === action);
  if (found === undefined) throw new Error(`no check_run ${action} example`);
  const payload = structuredClone(found);
  Object.assign(payload['check_run'] as Record<string, unknown>, { id: 41, name: 'regops approval: prod', head_sha: sha });
  (payload['repository'] as Record<string, unknown>)['full_name'] = 'acme/fleet';
  if (action === 'requested_action') payload['requested_action'] = { identifier: 'approve-wave' };
  edit(payload);
  return payload;
}

const route = (payload: unknown) => routeDelivery('check_run', payload, settings, new Date(), 'delivery-1');

describe('routeDelivery: check_run', () => {
  it('a press of "Approve wave" on a regops approval check run is an approval of that commit and wave, by the sender', async () => {
    const payload = checkRunPayload('requested_action');
    expect(await route(payload)).toEqual({ action: 'approve', press: { commit: sha, wave: 'prod', checkRunId: 41, sender: (payload['sender'] as { login: string }).login } });
  });

  it.each([
    ['another requested action', checkRunPayload('requested_action', (p) => { p['requested_action'] = { identifier: 'lgtm|26764' }; }), /requested_action lgtm\|26764 on "regops approval: prod" is not a regops approval/],
    ['the button on another check run', checkRunPayload('requested_action', (p) => { (p['check_run'] as Record<string, unknown>)['name'] = 'API Review'; }), /on "API Review" is not a regops approval/],
    ['a check run created', checkRunPayload('created'), /check_run created needs nothing/],
    ['another repository', checkRunPayload('requested_action', (p) => { (p['repository'] as Record<string, unknown>)['full_name'] = 'evil/fleet'; }), /repository evil\/fleet is not acme\/fleet/],
  ])('%s is ignored with the reason', async (_name, payload, reason) => {
    const routed = await route(payload);
    expect(routed.action).toBe('ignore');
    expect(routed.action === 'ignore' ? routed.reason : '').toMatch(reason);
  });

  it('a check_run payload without the sender is rejected (400), naming the field', async () => {
    const payload = checkRunPayload('requested_action', (p) => { delete p['sender']; });
    expect(await route(payload)).toEqual({ action: 'reject', reason: 'check_run payload: sender.login must be a string, got undefined' });
  });
});
