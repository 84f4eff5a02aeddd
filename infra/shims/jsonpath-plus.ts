/**
 * Bundle-time stand-in for `jsonpath-plus` in the function bundles (infra/bundle.ts functionShims).
 * client-node's Azure and GCP auth providers read a helper command's token with it (dist/azure_auth.js,
 * dist/gcp_auth.js), chosen when the kubeconfig user has `auth-provider: azure|gcp`. The functions'
 * users are `{name, token}` built from a connection secret (functions/adapters/kubernetes/secret-connector.ts):
 * no auth provider, so neither runs. The CLI, whose kubeconfig users may have one, bundles the real package.
 */
import { ShimReachedError } from './shim-reached-error.ts';

export function JSONPath(): never {
  throw new ShimReachedError('jsonpath-plus', 'JSONPath', 'the functions\' kubeconfig users carry a bearer token, never an azure or gcp auth-provider (secret-connector.ts)');
}
