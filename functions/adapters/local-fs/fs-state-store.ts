/**
 * StateStore on a folder (the CLI's fleet lease and release record without a bucket). A conditional
 * write is atomic across processes: it holds a lock directory (`mkdir` either creates it or fails,
 * never both for two callers) while it compares the current version and renames a temporary file
 * over the target. The etag is the sha256 of the content, so a rewrite with the same body keeps it.
 * A lock left by a killed process is broken after `staleLockMs` (its holder writes for milliseconds).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { StateObject, StateStore, StateWriteCondition } from '../../engine/ports.ts';
import { StorageError } from '../errors.ts';

export interface FsStateStoreOptions {
  /** A lock older than this is taken to be left by a crashed writer (default 10 s). */
  staleLockMs?: number;
  /** How long a write waits for the lock (default 5 s). */
  lockWaitMs?: number;
}

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

function isErrno(thrown: unknown, code: string): boolean {
  return typeof thrown === 'object' && thrown !== null && (thrown as { code?: unknown }).code === code;
}

export class FsStateStore implements StateStore {
  private readonly staleLockMs: number;
  private readonly lockWaitMs: number;

  constructor(private readonly dir: string, options: FsStateStoreOptions = {}) {
    this.staleLockMs = options.staleLockMs ?? 10_000;
    this.lockWaitMs = options.lockWaitMs ?? 5_000;
  }

  locate(key: string): string {
    return this.pathOf(key);
  }

  async read(key: string): Promise<StateObject | undefined> {
    const path = this.pathOf(key);
    let body: string;
    try {
      body = await readFile(path, 'utf8');
    } catch (thrown) {
      if (isErrno(thrown, 'ENOENT')) return undefined;
      throw new StorageError('state.read-failed', `state ${path}: read failed`, { key, file: path }, { cause: thrown });
    }
    return { body, etag: digest(body) };
  }

  async write(key: string, body: string, condition?: StateWriteCondition): Promise<string> {
    const path = this.pathOf(key);
    const lock = `${path}.lock`;
    await this.ensureDir(path, key);
    await this.takeLock(lock, path, key);
    try {
      if (condition !== undefined) {
        const current = await this.read(key);
        const holds = 'ifNoneMatch' in condition ? current === undefined : current?.etag === condition.ifMatch;
        if (!holds) {
          const which = 'ifNoneMatch' in condition ? 'If-None-Match: * (it exists)' : 'If-Match (it changed)';
          throw new StorageError('state.precondition-failed', `state ${path}: write refused, ${which}`, { key, file: path });
        }
      }
      const temp = join(dirname(path), `.regops-tmp-${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(temp, body, 'utf8');
        await rename(temp, path);
      } catch (thrown) {
        await rm(temp, { force: true });
        throw new StorageError('state.write-failed', `state ${path}: write failed`, { key, file: path }, { cause: thrown });
      }
      return digest(body);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }

  private async ensureDir(path: string, key: string): Promise<void> {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (thrown) {
      throw new StorageError('state.write-failed', `state ${path}: cannot create its folder`, { key, file: path }, { cause: thrown });
    }
  }

  private async takeLock(lock: string, path: string, key: string): Promise<void> {
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      try {
        await mkdir(lock);
        return;
      } catch (thrown) {
        if (!isErrno(thrown, 'EEXIST')) throw new StorageError('state.write-failed', `state ${path}: cannot take its lock ${lock}`, { key, file: path }, { cause: thrown });
      }
      const held = await stat(lock).then((s) => s.mtimeMs, () => undefined);
      if (held !== undefined && Date.now() - held > this.staleLockMs) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new StorageError('state.locked', `state ${path}: lock ${lock} held longer than ${this.lockWaitMs} ms; remove it if no regops is running`, { key, file: path });
      await new Promise((done) => setTimeout(done, 5 + Math.floor(Math.random() * 20)));
    }
  }

  private pathOf(key: string): string {
    const path = resolve(this.dir, key);
    if (!path.startsWith(`${resolve(this.dir)}/`)) throw new StorageError('state.invalid-key', `state ${this.dir}: key ${key} leaves the folder`, { key });
    return path;
  }
}
