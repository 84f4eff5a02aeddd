/**
 * Redaction of secret values from text a server sent back (issue 10 item 6). A value leaves the
 * secrets adapter only through revealSecretValue (secret-value.ts) or as a token minted by the
 * GitHub App adapter; both remember it here, and every adapter that turns a wire error into a regops
 * error passes the server's words through `redactSecrets` first. A server may echo a value in
 * another form than the one sent, so each value is looked for as:
 * - itself, JSON-escaped (`"` → `\"`, control characters, and Go's `<` `>` `&` → `\u003c`…: an API
 *   server's 422 message quotes the rejected value through Go's encoding/json),
 * - URL-encoded (percent-encoding, and form encoding with `+`),
 * - base64 and base64url, with and without padding (Secret `data` is base64),
 * - and any piece of at least 8 characters of each of these forms (a server that cuts a long value,
 *   a token's suffix), so partial echoes are caught too.
 * Each match becomes `[redacted sha256:<12 hex>]`: the digest regops shows everywhere else.
 */
import { createHash } from 'node:crypto';

/** Pieces of a form this long or longer are redacted wherever they appear. */
export const MIN_FRAGMENT = 8;
/** Values shorter than this are too common to redact (`true`, `admin`). */
const MIN_VALUE = 4;
/** Values remembered per process (a Lambda container, a CLI run): the oldest go first. */
const MAX_REMEMBERED = 2_000;

const remembered = new Map<string, string>();

function shortDigest(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/** Remembers a value that left the secrets adapter, so that later server messages are redacted. */
export function rememberSecret(value: string): void {
  if (value.length < MIN_VALUE || remembered.has(value)) return;
  remembered.set(value, shortDigest(value));
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
}

const goEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Every form a server could echo `value` in (see the file comment); the value itself first. */
export function listSecretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const base64url = Buffer.from(value, 'utf8').toString('base64url');
  const forms = [
    value,
    json,
    json.replace(/[<>&\u2028\u2029]/g, (c) => goEscapes[c] ?? c),
    // ASCII-only JSON (Python's json.dumps default, some proxies)
    json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    base64,
    base64.replace(/=+$/, ''),
    base64url,
    `${base64url}${'='.repeat((4 - (base64url.length % 4)) % 4)}`,
  ];
  return [...new Set(forms)];
}

interface Fragments {
  /** Every MIN_FRAGMENT-long piece of every form, with the digest of its value. */
  pieces: Map<string, string>;
  /** Forms shorter than MIN_FRAGMENT, matched whole. */
  short: Array<{ form: string; digest: string }>;
}

function indexFragments(values: ReadonlyMap<string, string>): Fragments {
  const pieces = new Map<string, string>();
  const short: Fragments['short'] = [];
  for (const [value, digest] of values) {
    for (const form of listSecretForms(value)) {
      if (form.length < MIN_FRAGMENT) {
        short.push({ form, digest });
        continue;
      }
      for (let i = 0; i + MIN_FRAGMENT <= form.length; i += 1) pieces.set(form.slice(i, i + MIN_FRAGMENT), digest);
    }
  }
  return { pieces, short };
}

/**
 * `text` with every form (and every ≥ 8-character piece of a form) of the remembered values, and of
 * `extra`, replaced by `[redacted sha256:…]`. Overlapping and adjacent matches merge into one.
 */
export function redactSecrets(text: string, extra: Iterable<string> = []): string {
  const values = new Map(remembered);
  for (const value of extra) if (value.length >= MIN_VALUE && !values.has(value)) values.set(value, shortDigest(value));
  if (values.size === 0 || text === '') return text;
  const { pieces, short } = indexFragments(values);
  // mark every character covered by a matching piece, then replace each run of marked characters
  const covered: Array<string | undefined> = new Array<string | undefined>(text.length);
  for (let i = 0; i + MIN_FRAGMENT <= text.length; i += 1) {
    const digest = pieces.get(text.slice(i, i + MIN_FRAGMENT));
    if (digest !== undefined) for (let j = i; j < i + MIN_FRAGMENT; j += 1) covered[j] ??= digest;
  }
  let out = '';
  for (let i = 0; i < text.length;) {
    const digest = covered[i];
    if (digest === undefined) {
      out += text[i];
      i += 1;
      continue;
    }
    while (i < text.length && covered[i] !== undefined) i += 1;
    out += `[redacted ${digest}]`;
  }
  for (const { form, digest } of short) out = out.split(form).join(`[redacted ${digest}]`);
  return out;
}
