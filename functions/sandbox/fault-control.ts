/** Faults a cluster injects into its API, switchable at run time (issue 7 "Faults, on purpose"). */
export interface FaultSettings {
  /** Fixed latency added to every request, ms. */
  latencyMs?: number;
  /** Extra random latency, uniform 0..jitterMs. */
  jitterMs?: number;
  /** Share (0..1) of requests answered 500 InternalError. */
  error500Rate?: number;
  /** Share (0..1) of requests answered 503 ServiceUnavailable. */
  error503Rate?: number;
  /** Share (0..1) of requests answered 429 TooManyRequests with Retry-After. */
  throttle429Rate?: number;
  /** Retry-After seconds for 429 answers (default 1). */
  retryAfterSeconds?: number;
  /** Share (0..1) of requests whose connection is reset. */
  resetRate?: number;
  /** Every request's connection is reset: the cluster is down. */
  down?: boolean;
  /** Share (0..1) of outside Config spec changes the simulated operator reverts (its write race, docs/registry-operator-facts.md §4). */
  operatorRaceRate?: number;
}

/** Switches a cluster's faults: `set` merges settings in, `clear` removes them all. */
export interface FaultControl {
  set(settings: FaultSettings): void;
  clear(): void;
  current(): FaultSettings;
}

/** What to do with one request under the current faults. */
export type FaultDecision = { kind: 'pass' } | { kind: 'reset' } | { kind: 'status'; code: 500 | 503 | 429; retryAfterSeconds: number };

const numericKeys = ['latencyMs', 'jitterMs', 'error500Rate', 'error503Rate', 'throttle429Rate', 'retryAfterSeconds', 'resetRate', 'operatorRaceRate'] as const;

/** Keeps only the known, well-typed settings of an untrusted object (control endpoint bodies). */
export function sanitizeFaultSettings(input: unknown): FaultSettings {
  const out: FaultSettings = {};
  if (typeof input !== 'object' || input === null) return out;
  const record = input as Record<string, unknown>;
  for (const key of numericKeys) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  if (typeof record['down'] === 'boolean') out.down = record['down'];
  return out;
}

/** Rolls the dice for one request; `random` is injectable for tests. */
export function decideFault(settings: FaultSettings, random: () => number = Math.random): FaultDecision {
  if (settings.down === true) return { kind: 'reset' };
  if ((settings.resetRate ?? 0) > 0 && random() < (settings.resetRate ?? 0)) return { kind: 'reset' };
  const retryAfterSeconds = settings.retryAfterSeconds ?? 1;
  if ((settings.throttle429Rate ?? 0) > 0 && random() < (settings.throttle429Rate ?? 0)) return { kind: 'status', code: 429, retryAfterSeconds };
  if ((settings.error503Rate ?? 0) > 0 && random() < (settings.error503Rate ?? 0)) return { kind: 'status', code: 503, retryAfterSeconds };
  if ((settings.error500Rate ?? 0) > 0 && random() < (settings.error500Rate ?? 0)) return { kind: 'status', code: 500, retryAfterSeconds };
  return { kind: 'pass' };
}

/** The delay to add to one request, ms. */
export function computeDelay(settings: FaultSettings, random: () => number = Math.random): number {
  return (settings.latencyMs ?? 0) + (settings.jitterMs ?? 0) * random();
}
