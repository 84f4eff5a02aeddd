import { findResource, type ResourceInfo } from './resource-catalog.ts';

function requireResource(apiVersion: string, plural: string): ResourceInfo {
  const info = findResource(apiVersion, plural);
  if (info === undefined) throw new Error(`sandbox: resource ${apiVersion}/${plural} missing from the catalog`);
  return info;
}

/** The resources the simulated operator reads and writes. */
export const registryResources = {
  config: requireResource('imageregistry.operator.openshift.io/v1', 'configs'),
  pruner: requireResource('imageregistry.operator.openshift.io/v1', 'imagepruners'),
  image: requireResource('config.openshift.io/v1', 'images'),
  clusterOperator: requireResource('config.openshift.io/v1', 'clusteroperators'),
  infrastructure: requireResource('config.openshift.io/v1', 'infrastructures'),
  secret: requireResource('v1', 'secrets'),
  configMap: requireResource('v1', 'configmaps'),
  namespace: requireResource('v1', 'namespaces'),
  claim: requireResource('v1', 'persistentvolumeclaims'),
  node: requireResource('v1', 'nodes'),
  deployment: requireResource('apps/v1', 'deployments'),
};
