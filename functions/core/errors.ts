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

/** Turns anything thrown into an Error without string-interpolating it. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
