/** A drifted field in words: `spec.replicas: git 3, live 2`, and who wrote the live value. */
import type { FieldChange } from '../model.ts';
import { formatFieldWriter } from '../find-field-writer.ts';
import { formatValue } from './format-value.ts';
import { maskCredentials } from './mask-credentials.ts';

/**
 * Git's value and the live one for a drifted field (a removal means Git no longer sets it), and the
 * writer of the live value from managedFields when known (`kubectl-patch (Update), 2026-12-04 12:03 UTC`).
 */
export function describeFieldChange(change: FieldChange): { git: string; live: string; writer?: string } {
  return {
    git: change.op === 'remove' ? '(not in Git: regops removes it)' : formatValue(maskCredentials(change.path, change.after)),
    live: formatValue(maskCredentials(change.path, change.before)),
    ...(change.writer === undefined ? {} : { writer: formatFieldWriter(change.writer) }),
  };
}
