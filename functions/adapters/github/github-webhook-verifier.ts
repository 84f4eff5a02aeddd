/**
 * Verifies X-Hub-Signature-256 (HMAC-SHA256 of the raw body, GitHub "Validating webhook
 * deliveries") with @octokit/webhooks. The secret is read once per container and stays here.
 */
import { Webhooks } from '@octokit/webhooks';
import type { SecretValue } from '../../engine/ports.ts';
import { revealSecretValue } from '../secrets/secret-value.ts';

export class GitHubWebhookVerifier {
  private webhooks: Promise<Webhooks> | undefined;

  constructor(private readonly readSecret: () => Promise<SecretValue>) {}

  /** true when `signature` (`sha256=<hex>`) signs `body` with the webhook secret. */
  async verify(body: string, signature: string | undefined): Promise<boolean> {
    if (signature === undefined || !signature.startsWith('sha256=')) return false;
    if (this.webhooks === undefined) {
      this.webhooks = this.readSecret().then((secret) => new Webhooks({ secret: revealSecretValue(secret) }));
      this.webhooks.catch(() => { this.webhooks = undefined; });
    }
    try {
      return await (await this.webhooks).verify(body, signature);
    } catch (thrown) {
      // a malformed signature header is a bad signature, not a server error
      if (thrown instanceof TypeError) return false;
      throw thrown;
    }
  }
}
