import { describe, expect, it } from 'vitest';
import { listPlanRefs } from '../../../functions/core/plan-refs.ts';
import { formatRefKey } from '../../../functions/core/resource-ref.ts';
import { configRef, desiredCluster, desiredObject, desiredSecret } from './support/plan-inputs.ts';

describe('listPlanRefs', () => {
  it('desired objects first, then every object regops can render, each once', () => {
    const desired = desiredCluster({ objects: [desiredObject(configRef, { spec: { replicas: 2 } })], secrets: [desiredSecret(['K'])] });
    expect(listPlanRefs(desired).map(formatRefKey)).toEqual([
      'v1/Secret/openshift-image-registry/image-registry-private-configuration-user',
      'imageregistry.operator.openshift.io/v1/Config/cluster',
      'v1/ConfigMap/openshift-config/regops-trusted-cas',
      'config.openshift.io/v1/Image/cluster',
      'imageregistry.operator.openshift.io/v1/ImagePruner/cluster',
    ]);
  });
});
