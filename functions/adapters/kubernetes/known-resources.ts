/**
 * The API resources regops touches, so the client builds URLs without a discovery request per
 * group-version (kube-cluster-client.ts, like KubernetesObjectApi, would otherwise GET /apis/<group>/<version> once per client:
 * 3 extra reads per cluster, docs/toolchain-facts.md). Unknown kinds still go through discovery.
 */

export interface KnownResource {
  /** Plural resource name in the URL. */
  name: string;
  namespaced: boolean;
}

const known: Record<string, KnownResource> = {
  'v1/Namespace': { name: 'namespaces', namespaced: false },
  'v1/Secret': { name: 'secrets', namespaced: true },
  'v1/ConfigMap': { name: 'configmaps', namespaced: true },
  'imageregistry.operator.openshift.io/v1/Config': { name: 'configs', namespaced: false },
  'imageregistry.operator.openshift.io/v1/ImagePruner': { name: 'imagepruners', namespaced: false },
  'config.openshift.io/v1/Image': { name: 'images', namespaced: false },
  'config.openshift.io/v1/ClusterOperator': { name: 'clusteroperators', namespaced: false },
  'config.openshift.io/v1/Infrastructure': { name: 'infrastructures', namespaced: false },
  'apps/v1/Deployment': { name: 'deployments', namespaced: true },
};

/** The URL resource of a kind regops knows, or undefined (then discovery decides). */
export function findKnownResource(apiVersion: string, kind: string): KnownResource | undefined {
  return known[`${apiVersion}/${kind}`];
}

