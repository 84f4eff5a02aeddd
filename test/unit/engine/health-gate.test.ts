import { describe, expect, it } from 'vitest';
import { RegopsError } from '../../../functions/core/errors.ts';
import type { JsonObject } from '../../../functions/core/model.ts';
import { judgeHealth, waitUntilHealthy } from '../../../functions/engine/health-gate.ts';
import { FakeClock, InMemoryCluster, clusterOperatorRef, configRef, seedBootstrap } from '../../support/in-memory-ports.ts';

type Cond = [string, string, string?, string?];
function conditions(list: Cond[]): JsonObject[] {
  return list.map(([type, status, reason = '', message = '']) => ({ type, status, reason, message }));
}
function config(spec: JsonObject, status: JsonObject, generation = 2): JsonObject {
  return { metadata: { generation }, spec, status };
}
const healthyCo: JsonObject = { status: { conditions: conditions([['Available', 'True', 'Ready'], ['Progressing', 'False', 'Ready'], ['Degraded', 'False', 'AsExpected']]) } };

describe('judgeHealth (registry-operator.md §6.3)', () => {
  const deployment = (generation: number, observed: number, status: JsonObject): JsonObject => ({ metadata: { generation }, spec: { replicas: 2 }, status: { observedGeneration: observed, ...status } });
  const cases: Array<{ name: string; config: JsonObject | undefined; operator: JsonObject | undefined; deployment?: JsonObject; state: string; why?: RegExp }> = [
    // measured on the testbed: the real operator said Progressing=False in the sync that updated the Deployment
    { name: 'waits for the Deployment controller to observe the new template', config: config({ managementState: 'Managed', replicas: 2 }, { observedGeneration: 2, readyReplicas: 2 }), operator: healthyCo, deployment: deployment(4, 3, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), state: 'waiting', why: /registry Deployment: observed generation 3 of 4/ },
    { name: 'waits while new pods are not scheduled (old ones still serve)', config: config({ managementState: 'Managed', replicas: 2 }, { observedGeneration: 2, readyReplicas: 2 }), operator: healthyCo, deployment: deployment(4, 4, { replicas: 3, updatedReplicas: 2, availableReplicas: 1 }), state: 'waiting', why: /registry Deployment: 2 of 2 updated, 1 available, 3 in all/ },
    { name: 'healthy once the Deployment rolled out', config: config({ managementState: 'Managed', replicas: 2 }, { observedGeneration: 2, readyReplicas: 2 }), operator: healthyCo, deployment: deployment(4, 4, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), state: 'healthy' },
    { name: 'healthy once the generation is observed', config: config({ managementState: 'Managed', replicas: 2 }, { observedGeneration: 2, readyReplicas: 2 }), operator: healthyCo, state: 'healthy' },
    { name: 'waits for observedGeneration', config: config({ managementState: 'Managed', replicas: 2 }, { observedGeneration: 1, readyReplicas: 2 }), operator: healthyCo, state: 'waiting', why: /observed generation 1 of 2/ },
    { name: 'waits for a scale-only change (readyReplicas)', config: config({ managementState: 'Managed', replicas: 3 }, { observedGeneration: 2, readyReplicas: 2 }), operator: healthyCo, state: 'waiting', why: /readyReplicas 2 of 3/ },
    {
      name: 'Degraded fails with the operator reason and message',
      config: config({ managementState: 'Managed', replicas: 1 }, { observedGeneration: 2 }),
      operator: { status: { conditions: conditions([['Available', 'False', 'NoReplicasAvailable'], ['Progressing', 'True'], ['Degraded', 'True', 'StorageNotConfigured', 'storage backend not configured']]) } },
      state: 'failed',
      why: /Degraded=True StorageNotConfigured: storage backend not configured/,
    },
    {
      name: 'Progressing=True reason Error keeps waiting (the timeout fails it)',
      config: config({ managementState: 'Managed', replicas: 1 }, { observedGeneration: 2, readyReplicas: 1 }),
      operator: { status: { conditions: conditions([['Available', 'True', 'Ready'], ['Progressing', 'True', 'Error', 'Unable to apply resources: bucket gone'], ['Degraded', 'False']]) } },
      state: 'waiting',
      why: /Progressing=True Error: Unable to apply resources/,
    },
    {
      name: 'Removed needs the Removed condition',
      config: { metadata: { generation: 2 }, spec: { managementState: 'Removed' }, status: { observedGeneration: 2, conditions: conditions([['Removed', 'False']]) } },
      operator: healthyCo,
      state: 'waiting',
    },
    { name: 'no Config yet', config: undefined, operator: healthyCo, state: 'waiting' },
  ];
  it.each(cases)('$name', ({ config: c, operator, deployment, state, why }) => {
    const verdict = judgeHealth(c, operator, undefined, deployment);
    expect(verdict.state).toBe(state);
    if (why !== undefined && verdict.state !== 'healthy') expect(verdict.why).toMatch(why);
  });
});

describe('waitUntilHealthy', () => {
  it('polls until the operator settles, advancing only the fake clock', async () => {
    const clock = new FakeClock();
    const cluster = new InMemoryCluster('c1', clock);
    seedBootstrap(cluster, 'aws');
    cluster.operator = { mode: 'healthy', progressingMs: 5_000 };
    const client = cluster.client();
    await client.patch(configRef, { spec: { replicas: 3 } });
    const result = await waitUntilHealthy(client, clock, { timeoutMs: 60_000, pollMs: 1_000 });
    expect(result.waitedMs).toBeGreaterThanOrEqual(5_000);
    expect(result.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('fails with cluster.health-timeout and the last reason when Progressing Error never clears', async () => {
    const clock = new FakeClock();
    const cluster = new InMemoryCluster('c1', clock);
    seedBootstrap(cluster, 'aws');
    cluster.operator = { mode: 'progressing-error', message: 'Unable to apply resources: s3 bucket does not exist' };
    const client = cluster.client();
    await client.patch(configRef, { spec: { replicas: 3 } });
    await expect(waitUntilHealthy(client, clock, { timeoutMs: 30_000, pollMs: 2_000 })).rejects.toMatchObject({
      code: 'cluster.health-timeout',
      message: expect.stringMatching(/^cluster c1: health gate: not healthy after \d+s: Progressing=True Error: Unable to apply resources/),
    });
    // it kept polling the ClusterOperator until the timeout (30 s at 2 s), not one read and give up
    expect(cluster.requests.filter((r) => r.verb === 'get' && r.ref === `ClusterOperator/${clusterOperatorRef.name}`).length).toBeGreaterThan(5);
  });

  it('retries its reads with the policy it is given (the reconcile\'s), not a fixed one', async () => {
    const clock = new FakeClock();
    const cluster = new InMemoryCluster('c1', clock);
    seedBootstrap(cluster, 'aws');
    cluster.operator = { mode: 'healthy', progressingMs: 0 };
    const client = cluster.client();
    const unavailable = () => new RegopsError('cluster.server-error', 'cluster c1: clusteroperators/image-registry: read failed (ServiceUnavailable)');
    // more transient failures in a row than the default policy's 6 attempts allow
    cluster.faults.push({ on: 'read', times: 8, error: unavailable });
    await expect(waitUntilHealthy(client, clock, { timeoutMs: 60_000, pollMs: 1_000 })).rejects.toMatchObject({ code: 'cluster.server-error' });
    cluster.faults = [{ on: 'read', times: 8, error: unavailable }];
    const retries: number[] = [];
    const result = await waitUntilHealthy(client, clock, { timeoutMs: 60_000, pollMs: 1_000, retry: { attempts: 12, baseDelayMs: 10, maxDelayMs: 100 }, onRetry: (_e, attempt) => retries.push(attempt) });
    expect(result.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
    expect(retries).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
