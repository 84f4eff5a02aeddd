/** Exit codes, in one place (DESIGN.md CLI contract). */
export const exitCodes = {
  /** Success; nothing to change; in sync. */
  ok: 0,
  /** An error: invalid config, a failed rollout, a cluster that could not be reached for apply, bad usage. */
  error: 1,
  /** Changes present (plan) or drift found (drift). */
  changes: 2,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
