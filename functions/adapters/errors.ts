/**
 * Errors of the adapter layer: wire failures (HTTP status, socket errors, AWS error codes) turned into
 * regops errors with a stable code, a context naming the subject and the original as `cause`.
 * Messages start with the subject and never carry a secret value.
 */
import { RegopsError } from '../core/errors.ts';
import type { ErrorContext } from '../core/errors.ts';

/**
 * A Kubernetes API failure. Codes: `cluster.unreachable | conflict | not-found | invalid | forbidden |
 * unauthorized | throttled | server-error | timeout | read-only`. For 429 and 503 answers that carry
 * Retry-After, `context.retryAfterMs` holds it (the engine decides whether and when to retry).
 */
export class ClusterError extends RegopsError {}

/** A config repository that cannot be read (GitHub or local folder): `source.not-found | unreachable | …`. */
export class SourceError extends RegopsError {}

/** An S3 or report-store failure: `storage.bucket-taken | forbidden | not-found | throttled | …`. */
export class StorageError extends RegopsError {}

/** A secret that cannot be resolved: `secret.not-found | forbidden | invalid | unresolved | …`. Never holds the value. */
export class SecretError extends RegopsError {}

export type { ErrorContext };
