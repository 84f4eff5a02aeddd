/**
 * ReportStore on a folder (`--report-dir`). Each put writes a temporary file beside the target and
 * renames it over, so a reader never sees half a report. Keys are `/`-separated relative paths.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ReportStore } from '../../engine/ports.ts';
import { StorageError } from '../errors.ts';

const TEMP_PREFIX = '.regops-tmp-';

export class FsReportStore implements ReportStore {
  constructor(private readonly dir: string) {}

  /** `contentType` is not kept: a file's extension says it. */
  async put(key: string, body: string, _contentType?: string): Promise<void> {
    const path = this.pathOf(key);
    const temp = join(dirname(path), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, body, 'utf8');
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new StorageError('storage.write-failed', `report store ${this.dir}: ${key}: write failed`, { key, file: path }, { cause: error });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw new StorageError('storage.read-failed', `report store ${this.dir}: ${key}: read failed`, { key }, { cause: error });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw new StorageError('storage.read-failed', `report store ${this.dir}: cannot list`, { prefix }, { cause: error });
    });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith(TEMP_PREFIX))
      .map((e) => relative(this.dir, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  private pathOf(key: string): string {
    const parts = key.split('/');
    if (key === '' || key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) {
      throw new StorageError('storage.invalid-key', `report store ${this.dir}: "${key}" is not a relative key`, { key });
    }
    return join(this.dir, ...parts);
  }
}
