/**
 * The StateStore adapters' compare-and-swap semantics, and the fleet lease built on them, judged for one
 * store: the sandbox's S3 emulator (which must honour If-None-Match / If-Match, not accept and ignore
 * them) and the local folder in state-store-conditional-writes.test.ts (npm test), moto's S3 server (an
 * engine this project did not write) in state-store-conditional-writes.moto.ts (npm run test:moto).
 * Races are real: eight lease takers at once, exactly one wins.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock, StateStore } from '../../../functions/engine/ports.ts';
import { S3StateStore } from '../../../functions/adapters/s3/s3-state-store.ts';
import { RegopsError } from '../../../functions/core/errors.ts';
import { acquireFleetLease, releaseFleetLease } from '../../../functions/engine/fleet-lease.ts';
import type { AwsTarget } from './aws-targets.ts';

/** A StateStore on a new bucket of `target` (the Lambda state store is the reports bucket under state/). */
export async function s3StateStore(target: AwsTarget, bucket: string): Promise<StateStore> {
  const client = new S3Client({ endpoint: target.endpoint, forcePathStyle: true, region: target.region, credentials: target.credentials, maxAttempts: 1 });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3StateStore(client, bucket, 'state/');
}

/** What `promise` rejects with (undefined when it fulfils). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (thrown: unknown) => thrown);
}

function fixedClock(at: string): Clock & { set(iso: string): void } {
  let now = new Date(at);
  return { now: () => now, sleep: () => Promise.resolve(), random: () => 0.5, set: (iso) => { now = new Date(iso); } };
}

export function conditionalWritesSuite(open: () => Promise<{ store: StateStore; stop(): Promise<void> }>): void {
  let opened: { store: StateStore; stop(): Promise<void> } | undefined;
  let store: StateStore;
  beforeAll(async () => {
    opened = await open();
    store = opened.store;
  }, 180_000);
  afterAll(async () => {
    await opened?.stop();
  });

it('If-None-Match: * creates once; a second create is refused (state.precondition-failed) and the first body stays', async () => {
  expect(await store.read('cas/create.json')).toBeUndefined();
  const etag = await store.write('cas/create.json', '{"n":1}', { ifNoneMatch: '*' });
  const error = await rejectionOf(store.write('cas/create.json', '{"n":2}', { ifNoneMatch: '*' }));
  expect(error).toBeInstanceOf(RegopsError);
  expect((error as RegopsError).code).toBe('state.precondition-failed');
  expect(await store.read('cas/create.json')).toEqual({ body: '{"n":1}', etag });
});

it('If-Match replaces only the version read: a stale etag is refused', async () => {
  const first = await store.write('cas/swap.json', '{"v":1}', { ifNoneMatch: '*' });
  const second = await store.write('cas/swap.json', '{"v":2}', { ifMatch: first });
  expect(second).not.toBe(first);
  const stale = await rejectionOf(store.write('cas/swap.json', '{"v":3}', { ifMatch: first }));
  expect((stale as RegopsError).code).toBe('state.precondition-failed');
  expect((await store.read('cas/swap.json'))?.body).toBe('{"v":2}');
});

it('of eight racing creators exactly one wins', async () => {
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.write('cas/race.json', `{"who":${i}}`, { ifNoneMatch: '*' })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const r of results) if (r.status === 'rejected') expect((r.reason as RegopsError).code).toBe('state.precondition-failed');
});

it('fleet lease: of eight racing takers one holds it, the others are told who; expired, it is taken over; released, it is free', async () => {
  const clock = fixedClock('2026-12-04T01:00:00Z');
  const ports = { state: store, clock };
  const request = (holder: string) => ({ holder, purpose: 'drift' as const, commit: 'abc', ttlMs: 60_000 });
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireFleetLease(ports, request(`taker-${i}`))));
  const won = results.filter((r) => r.status === 'fulfilled');
  expect(won).toHaveLength(1);
  const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireFleetLease>>>).value.record.holder as string;
  for (const r of results) {
    if (r.status === 'rejected') expect((r.reason as RegopsError).message).toContain(`held by drift ${winner} (commit abc) since 2026-12-04T01:00:00.000Z (expires 2026-12-04T01:01:00.000Z)`);
  }
  // a crashed holder blocks only until its TTL: a minute later the lease is anyone's
  clock.set('2026-12-04T01:01:01Z');
  const late = await acquireFleetLease(ports, request('late'));
  expect(late.record).toMatchObject({ holder: 'late', acquiredAt: '2026-12-04T01:01:01.000Z' });
  expect(await releaseFleetLease(ports, winner)).toBe(false);
  expect(await releaseFleetLease(ports, 'late')).toBe(true);
  expect((await acquireFleetLease(ports, request('next'))).record.holder).toBe('next');
  await releaseFleetLease(ports, 'next');
});
}
