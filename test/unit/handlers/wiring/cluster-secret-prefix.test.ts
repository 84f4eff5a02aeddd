/**
 * The stack grants the cluster-facing functions the connection secrets under CLUSTER_SECRET_PREFIX
 * (infra/regops-stack.ts); the runtime must hand that same prefix to the cluster access it builds,
 * or a non-default prefix is granted but never read.
 */
import { describe, expect, it } from 'vitest';
import { buildAwsStepRuntime } from '../../../../functions/handlers/wiring/aws-runtime.ts';
import type { ClusterAccessFactory } from '../../../../functions/handlers/wiring/cluster-access.ts';

describe('CLUSTER_SECRET_PREFIX', () => {
  it.each([['fleet-a/', 'fleet-a/'], [undefined, undefined]])('the environment value %s reaches the cluster access as %s', async (prefix, expected) => {
    let seen: Parameters<ClusterAccessFactory>[0] | undefined;
    const cluster: ClusterAccessFactory = (deps) => {
      seen = deps;
      const no = () => Promise.reject(new Error('not used'));
      return { connector: { connect: no }, secrets: { resolve: no }, buckets: { inspect: no, configure: no } };
    };
    const env = { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: 'reports', ...(prefix === undefined ? {} : { CLUSTER_SECRET_PREFIX: prefix }) };
    // region and credentials given so no SDK provider chain runs; no request is sent
    await buildAwsStepRuntime(env, 'reconcile-cluster', { aws: { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, write: () => undefined }, { cluster }).ports();
    expect(seen?.clusterSecretPrefix).toBe(expected);
  });
});
