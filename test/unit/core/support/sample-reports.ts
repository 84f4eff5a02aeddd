/** Reports for renderer tests: a plan built by planCluster, drift and rollout reports by hand. */
import { buildPlanReport } from '../../../../functions/core/build-plan-report.ts';
import type { DriftReport, JsonObject, PlanReport, RolloutReport } from '../../../../functions/core/model.ts';
import { planCluster } from '../../../../functions/core/plan.ts';
import { formatRefKey } from '../../../../functions/core/resource-ref.ts';
import { caRef, configRef, desiredCluster, desiredObject, desiredSecret, digestOf, liveCluster, loadLive, userSecretRef } from './plan-inputs.ts';

export const secretDigest = digestOf('a1b2c3d4e5f6');
export const oldSecretDigest = digestOf('0f9e8d7c6b5a');

/** prod-eu-1 with changes (a CA to add, replicas 2→3, a rotated key), lab-1 in sync, bm-1 unreachable. */
export function samplePlanReport(): PlanReport {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
  const changed = planCluster(
    desiredCluster({
      objects: [desiredObject(caRef, { data: { 'registry.example.com..5000': pem } }), desiredObject(configRef, { spec: { replicas: 3 } }, ['spec.replicas'])],
      secrets: [desiredSecret(['REGISTRY_STORAGE_S3_SECRETKEY'])],
    }),
    liveCluster(
      [
        loadLive('aws-config-bootstrapped'),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: userSecretRef.name, namespace: 'openshift-image-registry', resourceVersion: '9' }, data: { REGISTRY_STORAGE_S3_SECRETKEY: oldSecretDigest } } as JsonObject,
      ],
      { secretDigests: { [formatRefKey(userSecretRef)]: { REGISTRY_STORAGE_S3_SECRETKEY: secretDigest } } },
    ),
    { commit: '4b825dc642cb' },
  );
  const inSync = planCluster(desiredCluster({ cluster: 'lab-1', objects: [desiredObject(configRef, { spec: { replicas: 2 } })] }), liveCluster([loadLive('aws-config-bootstrapped')]), { commit: '4b825dc642cb' });
  const unreachable = { cluster: 'bm-1', entries: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, diagnostics: [], error: { code: 'cluster.unreachable', message: 'cluster bm-1: connect ECONNREFUSED 10.0.0.1:6443', step: 'connect' } };
  return buildPlanReport('4b825dc642cb', '2026-11-25T12:00:00.000Z', [inSync, changed, unreachable]);
}

export function sampleDriftReport(): DriftReport {
  return {
    apiVersion: 'regops/v1',
    kind: 'DriftReport',
    commit: '4b825dc642cb',
    generatedAt: '2026-11-25T12:00:00.000Z',
    durationMs: 1530,
    clusters: [
      { cluster: 'bm-1', labels: {}, policy: 'inform', state: 'unreachable', resources: [], conditions: [], error: { code: 'cluster.unreachable', message: 'cluster bm-1: connect ECONNREFUSED' } },
      {
        cluster: 'lab-1', labels: {}, policy: 'inform', state: 'degraded', resources: [],
        conditions: [{ object: 'clusteroperator/image-registry', type: 'Degraded', status: 'True', reason: 'ImagePrunerJobFailed', message: 'Job has reached the specified backoff limit' }],
      },
      {
        cluster: 'prod-eu-1', labels: { env: 'prod' }, wave: 'main', policy: 'enforce', state: 'drifted', appliedCommit: '4b825dc642cb9a0e',
        resources: [
          { target: { type: 'object', ref: configRef }, changes: [{ path: 'spec.replicas', op: 'change', before: 2, after: 3 }, { path: 'spec.readOnly', op: 'remove', before: true }] },
          { target: { type: 'object', ref: userSecretRef }, changes: [{ path: 'data.REGISTRY_STORAGE_S3_SECRETKEY', op: 'change', before: oldSecretDigest, after: secretDigest }] },
        ],
        conditions: [],
        corrected: { outcome: 'succeeded' },
      },
      { cluster: 'prod-us-1', labels: {}, policy: 'inform', state: 'in-sync', resources: [], conditions: [] },
    ],
    summary: { 'in-sync': 1, drifted: 1, unreachable: 1, unmanaged: 0, degraded: 1, clusters: 4, driftedFields: 3, corrected: 1 },
  };
}

export function sampleRolloutReport(): RolloutReport {
  const none = { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 };
  return {
    apiVersion: 'regops/v1',
    kind: 'RolloutReport',
    commit: '4b825dc642cb',
    generatedAt: '2026-11-25T12:00:00.000Z',
    durationMs: 65_000,
    status: 'failed',
    halted: { wave: 'main', reason: '1 cluster failed, more than maxFailures 0' },
    waves: [
      { name: 'canary', status: 'succeeded', maxConcurrency: 1, maxFailures: 0, clusters: [{ cluster: 'lab-1', outcome: 'succeeded', changes: { ...none, update: 1 }, conditions: [] }] },
      {
        name: 'main', status: 'failed', maxConcurrency: 2, maxFailures: 0,
        clusters: [
          {
            cluster: 'prod-eu-1', outcome: 'failed', step: 'health-gate', changes: { ...none, update: 1 },
            error: { code: 'cluster.degraded', message: 'cluster prod-eu-1: image-registry Degraded: ProgressDeadlineExceeded' },
            conditions: [{ object: 'clusteroperator/image-registry', type: 'Degraded', status: 'True', reason: 'ProgressDeadlineExceeded', message: 'Registry deployment has timed out progressing' }],
            outsideChanges: [{ resource: 'Config/cluster', changes: [{ path: 'spec.replicas', op: 'change', before: 4, after: 3 }] }],
          },
          { cluster: 'prod-us-1', outcome: 'unchanged', changes: { ...none, unchanged: 3 }, conditions: [] },
        ],
      },
      { name: 'rest', status: 'not-started', maxConcurrency: 5, maxFailures: 1, clusters: [{ cluster: 'edge-1', outcome: 'not-started', changes: none, conditions: [] }] },
    ],
  };
}
