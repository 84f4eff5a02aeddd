/**
 * ApprovalRecords (engine/ports.ts) in the run store: runs/rollout/<commit>/approvals/<wave>.json
 * in the reports bucket (expired with runs/ after 30 days). The waiting Task's token is a
 * credential: revealed only here, on its way into the object, and wrapped as a SecretValue when
 * read back, so nothing else holds it in plain text (a log line or an error prints its digest).
 */
import type { ApprovalRecord, ApprovalRecords, ReportStore } from '../../engine/ports.ts';
import { StorageError } from '../errors.ts';
import { createSecretValue, revealSecretValue } from './secret-value.ts';

/** The object's key; the webhook function may read only keys of this shape (infra/regops-stack.ts). */
export function formatApprovalKey(commit: string, wave: string): string {
  return `runs/rollout/${commit}/approvals/${wave}.json`;
}

type StoredRecord = Omit<ApprovalRecord, 'token'> & { token?: string };

export class StoredApprovalRecords implements ApprovalRecords {
  constructor(private readonly store: ReportStore) {}

  async get(commit: string, wave: string): Promise<ApprovalRecord | undefined> {
    const text = await this.store.get(formatApprovalKey(commit, wave));
    if (text === undefined) return undefined;
    let stored: StoredRecord;
    try {
      stored = JSON.parse(text) as StoredRecord;
    } catch {
      // no cause: the text may hold the token
      throw new StorageError('storage.bad-object', `run store ${formatApprovalKey(commit, wave)}: not JSON; the rollout step that asked for this approval rewrites it when retried`, { key: formatApprovalKey(commit, wave) });
    }
    const { token, ...rest } = stored;
    return { ...rest, ...(typeof token === 'string' ? { token: createSecretValue(token) } : {}) };
  }

  async put(record: ApprovalRecord): Promise<void> {
    const { token, ...rest } = record;
    const stored: StoredRecord = { ...rest, ...(token === undefined ? {} : { token: revealSecretValue(token) }) };
    await this.store.put(formatApprovalKey(record.commit, record.wave), JSON.stringify(stored), 'application/json');
  }
}
