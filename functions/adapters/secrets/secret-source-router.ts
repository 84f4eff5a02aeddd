/** One SecretSource for the engine: each reference goes to the source its `source` field names. */
import type { SecretReference } from '../../core/model.ts';
import type { SecretSource, SecretValue } from '../../engine/ports.ts';
import { SecretError } from '../errors.ts';

export type SecretSources = Partial<Record<SecretReference['source'], SecretSource>>;

export class SecretSourceRouter implements SecretSource {
  constructor(private readonly sources: SecretSources) {}

  resolve(ref: SecretReference): Promise<SecretValue> {
    const source = this.sources[ref.source];
    if (source === undefined) {
      const configured = Object.keys(this.sources).sort().join(', ') || 'none';
      return Promise.reject(
        new SecretError('secret.no-source', `secret ${ref.source} ${ref.id}: no ${ref.source} secret source is configured here (configured: ${configured})`, {
          source: ref.source,
          secretId: ref.id,
        }),
      );
    }
    return source.resolve(ref);
  }
}
