/**
 * Bundle-time stand-in for `openid-client` in the function bundles (infra/bundle.ts functionShims).
 * client-node's OIDC auth provider (dist/oidc_auth.js) uses it when the kubeconfig user has
 * `auth-provider: oidc`. The functions' users are `{name, token}` built from a connection secret
 * (functions/adapters/kubernetes/secret-connector.ts): no auth provider. The CLI bundles the real package.
 */
import { ShimReachedError } from './shim-reached-error.ts';

const why = 'the functions\' kubeconfig users carry a bearer token, never an oidc auth-provider (secret-connector.ts)';

export function discovery(): never {
  throw new ShimReachedError('openid-client', 'discovery', why);
}

export function refreshTokenGrant(): never {
  throw new ShimReachedError('openid-client', 'refreshTokenGrant', why);
}
