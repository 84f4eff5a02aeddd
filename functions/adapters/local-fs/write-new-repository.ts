/**
 * Writes a config repository `regops import` built into a new folder: all files or none. The files go
 * into a temporary sibling folder first, renamed into place once complete; an existing non-empty
 * folder is never written into (a repository someone has is never half overwritten).
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { StorageError } from '../errors.ts';

/** Writes `files` (repository-relative path → content) as the new folder `dir`. */
export async function writeNewRepository(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  const target = resolve(dir);
  const existing = await readdir(target).catch(() => undefined);
  if (existing !== undefined && existing.length > 0) {
    throw new StorageError('storage.exists', `${dir}: the folder exists and is not empty; import writes a new repository only (choose another --out, or remove it first)`, { file: dir });
  }
  const staging = `${target}.regops-import-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of Object.entries(files)) {
      const file = resolve(staging, path);
      // paths come from cluster, group and ConfigMap key names: never outside the new folder
      if (!file.startsWith(`${staging}${sep}`)) throw new StorageError('storage.bad-path', `${path}: not a path inside the repository`, { file: path });
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { flag: 'wx' });
    }
    if (existing !== undefined) await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (thrown) {
    await rm(staging, { recursive: true, force: true });
    throw thrown;
  }
}
