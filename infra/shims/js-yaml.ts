/**
 * Bundle-time stand-in for `js-yaml` in the function bundles (infra/bundle.ts functionShims).
 * client-node's KubeConfig parses kubeconfig text with it (loadFromString, loadFromFile,
 * loadFromDefault: dist/config.js); the functions build their KubeConfig with loadFromOptions from a
 * connection secret's fields (functions/adapters/kubernetes/secret-connector.ts) and read regops'
 * own YAML with `yaml`. The CLI, which reads kubeconfig files, bundles the real package.
 */
import { ShimReachedError } from './shim-reached-error.ts';

const why = 'the functions never parse kubeconfig text (secret-connector.ts uses KubeConfig.loadFromOptions)';

export function load(): never {
  throw new ShimReachedError('js-yaml', 'load', why);
}

export function dump(): never {
  throw new ShimReachedError('js-yaml', 'dump', why);
}

export default { load, dump };
