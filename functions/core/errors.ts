/**
 * The base of every regops error: a stable `code` (e.g. `cluster.conflict`), a context naming the
 * subject ({cluster, resource, file, line}) and the original error as `cause`. Each layer has its own
 * errors.ts with subclasses; the message starts with the subject.
 */
export interface ErrorContext {
  cluster?: string;
  resource?: string;
  file?: string;
  line?: number;
  col?: number;
  step?: string;
  [key: string]: string | number | boolean | undefined;
}

export class RegopsError extends Error {
  readonly code: string;
  readonly context: ErrorContext;

  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** A config repository that cannot be read as regops config (bad fleet.yaml, unreadable file). */
export class ConfigError extends RegopsError {}

/**
 * Turns anything thrown into an Error without string-interpolating it. A thrown string keeps its
 * text as the message; any other non-Error becomes RegopsError `internal.non-error` holding it as
 * `cause` only, never serialised into the message (an object a library throws may hold a token).
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new RegopsError('internal.non-error', thrown, {}, { cause: thrown });
  const what = thrown === null ? 'null' : thrown === undefined ? 'undefined' : Array.isArray(thrown) ? 'an array' : typeof thrown === 'object' ? 'an object' : `a ${typeof thrown}`;
  return new RegopsError('internal.non-error', `${what} was thrown instead of an Error (a bug in regops or a library; the value is the cause)`, {}, { cause: thrown });
}
