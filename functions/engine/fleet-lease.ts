/**
 * The fleet lease: a rollout and a drift scan never run on one fleet at once (DESIGN.md, Fleet
 * safety). One JSON object `leases/fleet.json` in the state store, taken and given back with
 * compare-and-swap writes (S3 `If-None-Match: *` / `If-Match`), so of two runs racing for it one
 * wins and the other is refused with LeaseHeldError naming the holder and since when.
 * A crashed holder cannot block forever: the lease carries `expiresAt` (TTL) and anyone may take
 * over an expired one; the holder renews it while it works (`renewFleetLease`). Giving it back
 * writes a released record (no delete: a conditional delete is not on every S3-compatible store).
 */
import { RegopsError } from '../core/errors.ts';
import type { Clock, StateStore } from './ports.ts';
import { LeaseHeldError, LeaseLostError, RolloutSupersededError } from './errors.ts';

export const LEASE_KEY = 'leases/fleet.json';

/** What the lease object says. A released or expired lease has no holder that counts. */
export interface LeaseRecord {
  apiVersion: 'regops/v1';
  kind: 'FleetLease';
  /** Who holds it: `cli:<host>:<pid>:<nonce>`, or a Step Functions execution. */
  holder?: string;
  purpose?: 'rollout' | 'drift';
  commit?: string;
  /** The rollout's order (release-record.ts): a held rollout lease refuses an older rollout at once. */
  sequence?: number;
  acquiredAt?: string;
  expiresAt?: string;
  releasedAt?: string;
}

export interface LeaseRequest {
  holder: string;
  purpose: 'rollout' | 'drift';
  commit: string;
  sequence?: number;
  ttlMs: number;
  /** True when a holder is known to be gone before its TTL (the CLI: a process of this host that no longer runs). */
  isHolderGone?: (holder: string) => boolean;
}

/** The holder id of one run: the process (`cli:<host>:<pid>`, given by the entry point) and a nonce. */
export function nameLeaseHolder(process: string | undefined, clock: Clock): string {
  return `${process ?? 'regops'}:${Math.floor(clock.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
}

/** A lease this run holds: the version it wrote (renew and release compare against it). */
export interface FleetLease {
  record: LeaseRecord;
  etag: string;
  location: string;
}

type LeasePorts = { state: StateStore; clock: Clock };

function isPreconditionFailed(thrown: unknown): boolean {
  return thrown instanceof RegopsError && thrown.code === 'state.precondition-failed';
}

function parseLease(body: string): LeaseRecord | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && (parsed as { kind?: unknown }).kind === 'FleetLease' ? (parsed as LeaseRecord) : undefined;
  } catch {
    // an unreadable lease object protects nothing: it is taken over like an expired one
    return undefined;
  }
}

function isLive(record: LeaseRecord | undefined, now: Date): record is LeaseRecord & { holder: string; expiresAt: string } {
  return record?.holder !== undefined && record.expiresAt !== undefined && Date.parse(record.expiresAt) > now.getTime();
}

/** Takes the fleet lease, or throws LeaseHeldError (`lease.held`) / RolloutSupersededError. The same holder may take it again. */
export async function acquireFleetLease(ports: LeasePorts, request: LeaseRequest): Promise<FleetLease> {
  const location = ports.state.locate(LEASE_KEY);
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const current = await ports.state.read(LEASE_KEY);
    const now = ports.clock.now();
    const record = current === undefined ? undefined : parseLease(current.body);
    if (isLive(record, now) && record.holder !== request.holder && request.isHolderGone?.(record.holder) !== true) {
      const what = `${record.purpose ?? 'run'} ${record.holder}${record.commit === undefined ? '' : ` (commit ${record.commit})`}`;
      if (request.purpose === 'rollout' && record.purpose === 'rollout' && record.sequence !== undefined && request.sequence !== undefined && record.sequence > request.sequence) {
        throw new RolloutSupersededError('rollout.superseded', `rollout ${request.commit}: superseded by the newer rollout in progress, ${what}; an older commit is never rolled out after a newer one`, { commit: request.commit, holder: record.holder });
      }
      throw new LeaseHeldError('lease.held', `fleet lease ${location}: held by ${what} since ${record.acquiredAt ?? '?'} (expires ${record.expiresAt}); ${request.purpose} ${request.commit} not started. Wait for it to finish, or, if that run is gone, delete ${location}`, { holder: record.holder, since: record.acquiredAt ?? '', expiresAt: record.expiresAt, location });
    }
    const next: LeaseRecord = {
      apiVersion: 'regops/v1',
      kind: 'FleetLease',
      holder: request.holder,
      purpose: request.purpose,
      commit: request.commit,
      ...(request.sequence === undefined ? {} : { sequence: request.sequence }),
      acquiredAt: isLive(record, now) ? (record.acquiredAt ?? now.toISOString()) : now.toISOString(),
      expiresAt: new Date(now.getTime() + request.ttlMs).toISOString(),
    };
    try {
      const etag = await ports.state.write(LEASE_KEY, JSON.stringify(next, null, 2), current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag });
      return { record: next, etag, location };
    } catch (thrown) {
      // someone else wrote between our read and write: read again and decide again
      if (!isPreconditionFailed(thrown)) throw thrown;
    }
  }
  throw new LeaseHeldError('lease.contended', `fleet lease ${location}: changed under us five times running; another run is taking it`, { location });
}

/** Extends the lease by `ttlMs` from now; LeaseLostError (`lease.lost`) when someone took it over. */
export async function renewFleetLease(ports: LeasePorts, lease: FleetLease, ttlMs: number): Promise<void> {
  const next: LeaseRecord = { ...lease.record, expiresAt: new Date(ports.clock.now().getTime() + ttlMs).toISOString() };
  try {
    lease.etag = await ports.state.write(LEASE_KEY, JSON.stringify(next, null, 2), { ifMatch: lease.etag });
    lease.record = next;
  } catch (thrown) {
    if (!isPreconditionFailed(thrown)) throw thrown;
    throw new LeaseLostError('lease.lost', `fleet lease ${lease.location}: no longer held by ${lease.record.holder ?? '?'} (it expired and another run took it); stopping`, { location: lease.location }, { cause: thrown });
  }
}

/**
 * Gives the lease back when `holder` holds it; a lease someone else holds is left alone (a run
 * refused for `lease.held` releases nothing). Answers whether it released.
 */
export async function releaseFleetLease(ports: LeasePorts, holder: string): Promise<boolean> {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const current = await ports.state.read(LEASE_KEY);
    const record = current === undefined ? undefined : parseLease(current.body);
    if (current === undefined || record?.holder !== holder) return false;
    const released: LeaseRecord = { apiVersion: 'regops/v1', kind: 'FleetLease', releasedAt: ports.clock.now().toISOString() };
    try {
      await ports.state.write(LEASE_KEY, JSON.stringify(released, null, 2), { ifMatch: current.etag });
      return true;
    } catch (thrown) {
      if (!isPreconditionFailed(thrown)) throw thrown;
    }
  }
  return false;
}

/**
 * Runs `work` holding the lease, renewing it at most every ttl/3 when `heartbeat` is called, and
 * gives it back after (also when `work` throws).
 */
export async function withFleetLease<T>(ports: LeasePorts, request: LeaseRequest, work: (heartbeat: () => Promise<void>) => Promise<T>): Promise<T> {
  const lease = await acquireFleetLease(ports, request);
  let renewedAt = ports.clock.now().getTime();
  let renewing: Promise<void> | undefined;
  const heartbeat = async (): Promise<void> => {
    if (renewing !== undefined) return renewing;
    if (ports.clock.now().getTime() - renewedAt < request.ttlMs / 3) return undefined;
    renewing = renewFleetLease(ports, lease, request.ttlMs).then(() => {
      renewedAt = ports.clock.now().getTime();
    }).finally(() => {
      renewing = undefined;
    });
    return renewing;
  };
  let result: T;
  try {
    result = await work(heartbeat);
  } catch (thrown) {
    // the work's failure is what the user must see; a lease that cannot be given back expires by its TTL
    await releaseFleetLease(ports, request.holder).catch(() => false);
    throw thrown;
  }
  await releaseFleetLease(ports, request.holder);
  return result;
}
