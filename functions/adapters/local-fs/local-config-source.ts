/**
 * ConfigSource over a working folder: fleet.yaml and every file under base/, groups/ and clusters/,
 * sorted, with `/` paths. The commit is `sha256:<hex>` of the paths and contents read, so the same
 * content always gives the same id (a folder need not be a git repository, nor a clean one).
 */
import { createHash } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CONFIG_FOLDERS, FLEET_FILE } from '../../core/config-paths.ts';
import type { ConfigSnapshot, SourceFile } from '../../core/model.ts';
import type { ConfigSource } from '../../engine/ports.ts';
import { INPUT_LIMITS, fileByteLimit } from '../../core/input-limits.ts';
import { checkFileSize, checkRepositorySize, decodeConfigFile } from '../decode-config-file.ts';
import { SourceError } from '../errors.ts';

/** `sha256:<hex>` over each file's path and content, in path order: the id of a working folder. */
export function digestConfigFiles(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${Buffer.byteLength(file.content)}\0`).update(file.content);
  return `sha256:${hash.digest('hex')}`;
}

export interface LocalConfigSourceOptions {
  /** Bytes all files together may hold (default INPUT_LIMITS.repositoryBytes; tests lower it). */
  repositoryBytes?: number;
}

/** The kind of a directory entry that is not a regular file, for the refusal's message. */
function describeEntry(entry: Stats | Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

export class LocalConfigSource implements ConfigSource {
  constructor(
    private readonly dir: string,
    private readonly options: LocalConfigSourceOptions = {},
  ) {}

  /**
   * `ref` is ignored: the working folder has one state. A symbolic link (or a pipe, a socket, a device)
   * where regops reads files is an error naming it, not skipped: GitHub stores a link as its target's
   * path (mode 120000), so following it here would make local and GitHub snapshots differ.
   */
  async load(): Promise<ConfigSnapshot> {
    const fleet = join(this.dir, FLEET_FILE);
    const found = await lstat(fleet).catch(() => undefined);
    if (found === undefined || found.isDirectory()) {
      throw new SourceError('source.not-found', `config ${this.dir}: no ${FLEET_FILE} here; is this a regops config repository?`, { file: fleet });
    }
    if (!found.isFile()) this.refuseEntry(FLEET_FILE, found);
    const paths = [fleet];
    for (const folder of CONFIG_FOLDERS) {
      const root = join(this.dir, folder);
      const top = await lstat(root).catch(() => undefined);
      if (top !== undefined && !top.isDirectory()) this.refuseEntry(folder, top);
      const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return [];
        throw new SourceError('source.unreadable', `config ${this.dir}: cannot list ${folder}/`, { file: root }, { cause: error });
      });
      for (const entry of entries) {
        if (entry.isDirectory()) continue;
        const path = join(entry.parentPath, entry.name);
        if (!entry.isFile()) this.refuseEntry(relative(this.dir, path).split(sep).join('/'), entry);
        paths.push(path);
      }
    }
    paths.sort();
    const limit = this.options.repositoryBytes ?? INPUT_LIMITS.repositoryBytes;
    let total = 0;
    const files: SourceFile[] = [];
    for (const path of paths) {
      const rel = relative(this.dir, path).split(sep).join('/');
      files.push(await this.readOne(path, rel));
      total += Buffer.byteLength(files[files.length - 1]?.content ?? '');
      checkRepositorySize(rel, total, limit);
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { commit: digestConfigFiles(files), files };
  }

  /** Reads at most the file's limit + 1 bytes, so a huge file is refused without reading it whole. */
  private async readOne(path: string, rel: string): Promise<SourceFile> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const { size } = await handle.stat();
      if (size > fileByteLimit(rel)) {
        const head = Buffer.alloc(fileByteLimit(rel) + 1);
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        checkFileSize(rel, size, head.subarray(0, bytesRead));
      }
      return decodeConfigFile(rel, await handle.readFile());
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new SourceError('source.unreadable', `config ${this.dir}: cannot read ${rel}`, { file: rel }, { cause: error });
    } finally {
      await handle?.close();
    }
  }

  private refuseEntry(rel: string, entry: Stats | Dirent): never {
    const what = describeEntry(entry);
    throw new SourceError(entry.isSymbolicLink() ? 'source.symlink' : 'source.not-regular-file', `${rel}: ${what}; regops reads only regular files in fleet.yaml, base/, groups/ and clusters/ (a link is not followed, so that a folder and its GitHub copy read the same); put the file itself there`, {
      file: rel,
    });
  }
}
