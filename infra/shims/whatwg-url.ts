/**
 * Bundle-time stand-in for `whatwg-url` (infra/bundle.ts alias). node-fetch 2, which
 * @kubernetes/client-node 1.4 uses, takes `Url.URL || whatwgUrl.URL` (node-fetch lib/index.mjs):
 * Node's own URL always wins, so the package and its 259 KB IDNA table (tr46) are never used in
 * Lambda. Node's URL is exported under the same names in case anything reaches for it.
 */
const URL = globalThis.URL;
const URLSearchParams = globalThis.URLSearchParams;
export { URL, URLSearchParams };
export default { URL, URLSearchParams };
