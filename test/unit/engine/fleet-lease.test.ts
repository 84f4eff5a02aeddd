/**
 * The fleet lease's rules on a real FsStateStore (temporary folder) and a fake clock: the same
 * holder may take it again (a retried step), renewal keeps it past its first TTL, a lease taken
 * over after it expired is lost to its old holder (lease.lost), and withFleetLease gives it back
 * also when the work throws, with the work's error.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsStateStore } from '../../../functions/adapters/local-fs/fs-state-store.ts';
import { LEASE_KEY, acquireFleetLease, renewFleetLease, withFleetLease, type LeaseRecord } from '../../../functions/engine/fleet-lease.ts';
import { FakeClock } from '../../support/in-memory-ports.ts';

async function setup() {
  const clock = new FakeClock(Date.parse('2026-12-04T01:00:00Z'));
  const state = new FsStateStore(await mkdtemp(join(tmpdir(), 'regops-lease-')));
  const lease = async (): Promise<LeaseRecord> => JSON.parse((await state.read(LEASE_KEY))?.body ?? '{}') as LeaseRecord;
  return { ports: { state, clock }, clock, lease };
}
const request = (holder: string) => ({ holder, purpose: 'rollout' as const, commit: 'c1', sequence: 1, ttlMs: 60_000 });

describe('fleet lease', () => {
  it('the same holder takes it again; renewal keeps it past its first TTL', async () => {
    const { ports, clock, lease } = await setup();
    const held = await acquireFleetLease(ports, request('run-1'));
    await acquireFleetLease(ports, request('run-1'));
    await clock.sleep(50_000);
    await renewFleetLease(ports, held, 60_000);
    await clock.sleep(50_000);
    await expect(acquireFleetLease(ports, request('run-2'))).rejects.toMatchObject({ code: 'lease.held' });
    expect(await lease()).toMatchObject({ holder: 'run-1', acquiredAt: '2026-12-04T01:00:00.000Z', expiresAt: '2026-12-04T01:01:50.000Z' });
  });

  it('a lease that expired and was taken over is lost to its old holder', async () => {
    const { ports, clock } = await setup();
    const held = await acquireFleetLease(ports, request('run-1'));
    await clock.sleep(61_000);
    await acquireFleetLease(ports, request('run-2'));
    await expect(renewFleetLease(ports, held, 60_000)).rejects.toMatchObject({ name: 'LeaseLostError', code: 'lease.lost' });
  });

  it('withFleetLease gives the lease back when the work throws, and throws the work\'s error', async () => {
    const { ports, lease } = await setup();
    await expect(withFleetLease(ports, request('run-1'), () => Promise.reject(new Error('cluster exploded')))).rejects.toThrow('cluster exploded');
    expect((await lease()).holder).toBeUndefined();
    expect((await acquireFleetLease(ports, request('run-2'))).record.holder).toBe('run-2');
  });

  it('a rollout older than the one holding the lease is refused as superseded, not told to wait', async () => {
    const { ports } = await setup();
    await acquireFleetLease(ports, { ...request('newer'), sequence: 5 });
    await expect(acquireFleetLease(ports, { ...request('older'), sequence: 4 })).rejects.toMatchObject({ code: 'rollout.superseded' });
    await expect(acquireFleetLease(ports, { ...request('newest'), sequence: 6 })).rejects.toMatchObject({ code: 'lease.held' });
  });
});
