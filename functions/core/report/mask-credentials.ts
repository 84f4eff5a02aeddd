/**
 * Masks the field values a report must not print even though they are not Secret data: a proxy
 * setting (`spec.proxy.http` of the registry Config, docs/registry-operator-facts.md, and any field named like
 * a proxy) is commonly `http://user:password@proxy:3128`, and any URL with user info carries a
 * credential. A pull request (even a fork's, issue 10 item 3) can make the plan show the live value
 * of such a field in a PR comment, so every renderer masks them: the user info of a URL becomes
 * `***`, and a proxy field's value is replaced whole.
 */
import type { Json } from '../model.ts';

/** The mask printed instead of a credential. */
export const MASK = '***';

// scheme://userinfo@ (RFC 3986 §3.2.1): userinfo is everything up to the last @ before the host
const urlUserInfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
// a field path segment naming a proxy: spec.proxy.http, spec.proxy, proxyUrl, httpsProxy
const proxyField = /(^|[.[\]"])[^.[\]"]*proxy[^.[\]"]*($|[.[\]"])/i;

/** A text with every URL's user info replaced by `***`. */
export function maskUrlUserInfo(text: string): string {
  return text.replace(urlUserInfo, `$1${MASK}@`);
}

function maskStrings(value: Json, whole: boolean): Json {
  if (typeof value === 'string') return whole && value !== '' ? MASK : maskUrlUserInfo(value);
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, whole));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, whole || proxyField.test(key))]));
  return value;
}

/**
 * The value of field `path` as a report may print it: under a proxy field every non-empty string is
 * `***`; elsewhere only the user info of URLs is. Numbers, booleans and null are kept.
 */
export function maskCredentials(path: string, value: Json | undefined): Json | undefined {
  if (value === undefined) return undefined;
  return maskStrings(value, proxyField.test(path));
}
