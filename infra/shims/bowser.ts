/**
 * Bundle-time stand-in for `bowser` in the function bundles (infra/bundle.ts functionShims).
 * @aws-sdk/core imports it dynamically in createUserAgentStringParsingProvider, the browser's
 * user-agent provider (dist-es/submodules/client/util-user-agent-browser/), which the Node runtime
 * config of the clients never uses (it takes util-user-agent-node's createDefaultUserAgentProvider).
 * esbuild still emits every dynamic import target as a chunk: 38 KB that never loads. Loading this
 * module throws, so a browser code path reached in Lambda fails loudly instead of reporting a
 * made-up browser.
 */
import { ShimReachedError } from './shim-reached-error.ts';

throw new ShimReachedError('bowser', 'import', 'the AWS SDK clients in Node use the Node user-agent provider, not the browser one that parses navigator.userAgent');
