/**
 * The law behind "applying the same commit twice writes nothing": for any desired registry spec and
 * any outside changes made before the apply, reconcile converges, and a second reconcile makes no
 * write at all (property test, in-memory cluster).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../functions/core/model.ts';
import { reconcileCluster } from '../../../functions/engine/reconcile-cluster.ts';
import { desiredRegistry, entryFor } from '../../support/desired-fixtures.ts';
import { FakeClock, InMemoryBucketStore, InMemoryConnector, InMemorySecretSource, configRef } from '../../support/in-memory-ports.ts';

const spec = fc.record(
  {
    replicas: fc.integer({ min: 1, max: 5 }),
    logLevel: fc.constantFrom('Normal', 'Debug', 'Trace'),
    // false is the zero value the operator's Go client writes for unset booleans, so core treats an
    // unset live field as equal to it (docs/registry-operator-facts.md §4): only true is a real change
    defaultRoute: fc.constant(true),
    disableRedirect: fc.constant(true),
  },
  { requiredKeys: ['replicas'] },
);

describe('reconcileCluster idempotence (property)', () => {
  it('converges to Git, then a second apply of the same commit writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(spec, fc.option(spec, { nil: undefined }), async (wanted, outside) => {
        const clock = new FakeClock();
        const connector = new InMemoryConnector(clock);
        const cluster = connector.add('c');
        if (outside !== undefined) cluster.outsideWrite(configRef, { spec: outside as JsonObject });
        const ports = { connector, secrets: new InMemorySecretSource(), buckets: new InMemoryBucketStore(), clock };
        const desired = desiredRegistry('c', wanted as JsonObject);
        const first = await reconcileCluster(ports, desired, entryFor('c'), { commit: 'c1', healthGate: { timeoutMs: 60_000, pollMs: 1_000 } });
        expect(['succeeded', 'unchanged']).toContain(first.outcome);
        expect((cluster.read(configRef)?.['spec'] as JsonObject)).toMatchObject(wanted as JsonObject);
        const writes = cluster.requestCount.writes;
        const second = await reconcileCluster(ports, desired, entryFor('c'), { commit: 'c1', healthGate: { timeoutMs: 60_000, pollMs: 1_000 } });
        expect(second.outcome).toBe('unchanged');
        expect(cluster.requestCount.writes).toBe(writes);
      }),
      { numRuns: 60 },
    );
  });
});
