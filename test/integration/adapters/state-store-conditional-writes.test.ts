/**
 * The StateStore adapters' compare-and-swap semantics, and the fleet lease built on them, judged by
 * three stores: moto's S3 server (an engine this project did not write), the sandbox's S3 emulator
 * (which must honour If-None-Match / If-Match, not accept and ignore them) and the local folder.
 * Races are real: eight lease takers at once, exactly one wins.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock, StateStore } from '../../../functions/adapters/ports.ts';
import { FsStateStore } from '../../../functions/adapters/local-fs/fs-state-store.ts';
import { S3StateStore } from '../../../functions/adapters/s3/s3-state-store.ts';
import { RegopsError } from '../../../functions/core/errors.ts';
import { acquireFleetLease, releaseFleetLease } from '../../../functions/engine/fleet-lease.ts';
import { primaryKeys, serveEmulator, type ServedEmulator } from '../sandbox-aws/serve-emulator.ts';

let moto: ChildProcess | undefined;
let emulator: ServedEmulator;
const stores = new Map<string, StateStore>();

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function startMoto(): Promise<string> {
  const bin = execFileSync('bash', ['.ci/python-tools.sh'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  moto = spawn(join(bin, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    const up = await fetch(`${endpoint}/moto-api/`).then(() => true, () => false);
    if (up) return endpoint;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint}`);
}

async function s3Store(endpoint: string, keys: { accessKeyId: string; secretAccessKey: string }, bucket: string): Promise<StateStore> {
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
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

beforeAll(async () => {
  stores.set('moto S3', await s3Store(await startMoto(), { accessKeyId: 'testing', secretAccessKey: 'testing' }, 'regops-state-moto'));
  emulator = await serveEmulator();
  stores.set('sandbox S3', await s3Store(emulator.endpoint, primaryKeys, 'regops-state-sandbox'));
  stores.set('local folder', new FsStateStore(await mkdtemp(join(tmpdir(), 'regops-state-'))));
}, 180_000);

afterAll(async () => {
  moto?.kill();
  await emulator.stop();
});

describe.each(['moto S3', 'sandbox S3', 'local folder'])('%s: conditional writes', (name) => {
  const store = (): StateStore => stores.get(name) as StateStore;

  it('If-None-Match: * creates once; a second create is refused (state.precondition-failed) and the first body stays', async () => {
    expect(await store().read('cas/create.json')).toBeUndefined();
    const etag = await store().write('cas/create.json', '{"n":1}', { ifNoneMatch: '*' });
    const error = await rejectionOf(store().write('cas/create.json', '{"n":2}', { ifNoneMatch: '*' }));
    expect(error).toBeInstanceOf(RegopsError);
    expect((error as RegopsError).code).toBe('state.precondition-failed');
    expect(await store().read('cas/create.json')).toEqual({ body: '{"n":1}', etag });
  });

  it('If-Match replaces only the version read: a stale etag is refused', async () => {
    const first = await store().write('cas/swap.json', '{"v":1}', { ifNoneMatch: '*' });
    const second = await store().write('cas/swap.json', '{"v":2}', { ifMatch: first });
    expect(second).not.toBe(first);
    const stale = await rejectionOf(store().write('cas/swap.json', '{"v":3}', { ifMatch: first }));
    expect((stale as RegopsError).code).toBe('state.precondition-failed');
    expect((await store().read('cas/swap.json'))?.body).toBe('{"v":2}');
  });

  it('of eight racing creators exactly one wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store().write('cas/race.json', `{"who":${i}}`, { ifNoneMatch: '*' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as RegopsError).code).toBe('state.precondition-failed');
  });

  it('fleet lease: of eight racing takers one holds it, the others are told who; expired, it is taken over; released, it is free', async () => {
    const clock = fixedClock('2026-12-04T01:00:00Z');
    const ports = { state: store(), clock };
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
});
