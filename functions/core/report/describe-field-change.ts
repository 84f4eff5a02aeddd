/** A drifted field in words: `spec.replicas: git 3, live 2`. */
import type { FieldChange } from '../model.ts';
import { formatValue } from './format-value.ts';
import { maskCredentials } from './mask-credentials.ts';

/** Git's value and the live one for a drifted field (a removal means Git no longer sets it). */
export function describeFieldChange(change: FieldChange): { git: string; live: string } {
  return {
    git: change.op === 'remove' ? '(not in Git: regops removes it)' : formatValue(maskCredentials(change.path, change.after)),
    live: formatValue(maskCredentials(change.path, change.before)),
  };
}
