/**
 * How an approval gate shows on GitHub: the check run `regops approval: <wave>` on the rollout's
 * commit, with one requested action. The request step creates it (approval-request-step.ts), the
 * webhook reads a press of it back (handlers/wiring/route-delivery.ts, approval-grant-step.ts).
 */

const prefix = 'regops approval: ';

export const approvalCheck = {
  /** The requested action's identifier; GitHub allows at most 20 characters ("Create a check run", REST docs). */
  action: 'approve-wave',
  label: 'Approve wave',
  name: (wave: string): string => `${prefix}${wave}`,
  /** The wave a check run of this name gates; undefined for any other check run. */
  waveOf: (name: string): string | undefined => (name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined),
} as const;

/** The error a rollout halts with when nobody approved a wave within its approvalTimeout (the state machine sets it). */
export const APPROVAL_TIMEOUT = 'rollout.approval-timeout';
