import type { Json } from '../../model.ts';

/**
 * Serialises data for an inline `<script type="application/json">` block. `<`, `>` and `&` are
 * written as `\u` escapes so no value can close the script element or open a comment
 * (HTML spec "restrictions for contents of script elements"); U+2028/2029 likewise, for old parsers.
 */
export function serializeScriptJson(value: Json): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
