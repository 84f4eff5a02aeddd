import type { Json } from '../../model.ts';

/** A field value as the page prints it. */
export interface FormattedValue {
  text: string;
  /** The field is absent on that side (no value to show). */
  absent: boolean;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const SHORT_DIGEST_HEX = 12;
const MAX_CHARS = 400;

/**
 * Formats a drifted field's value: compact JSON, `sha256:` digests shortened, long values cut.
 * For a secret field any string that is not a digest is withheld: the page never shows secret
 * material, even if a report carried it by mistake (DESIGN.md: digests only).
 */
export function formatFieldValue(value: Json | undefined, secret: boolean): FormattedValue {
  if (value === undefined) return { text: '(absent)', absent: true };
  const text = JSON.stringify(shortenDigests(value, secret));
  return { text: text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\u2026 (${text.length} chars)` : text, absent: false };
}

function shortenDigests(value: Json, secret: boolean): Json {
  if (typeof value === 'string') {
    if (DIGEST.test(value)) return `sha256:${value.slice(7, 7 + SHORT_DIGEST_HEX)}\u2026`;
    return secret ? '(withheld: not a digest)' : value;
  }
  if (Array.isArray(value)) return value.map((item) => shortenDigests(item, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shortenDigests(item, secret)]));
  }
  // numbers and booleans of a secret field are secret too
  return secret && value !== null ? '(withheld: not a digest)' : value;
}
