/**
 * ConfigSource over a working folder: fleet.yaml and every file under base/, groups/ and clusters/,
 * sorted, with `/` paths. The commit is `sha256:<hex>` of the paths and contents read, so the same
 * content always gives the same id (a folder need not be a git repository, nor a clean one).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CONFIG_FOLDERS, FLEET_FILE } from '../../core/config-paths.ts';
import type { ConfigSnapshot, SourceFile } from '../../core/model.ts';
import type { ConfigSource } from '../ports.ts';
import { SourceError } from '../errors.ts';


/** `sha256:<hex>` over each file's path and content, in path order: the id of a working folder. */
export function digestConfigFiles(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${Buffer.byteLength(file.content)}\0`).update(file.content);
  return `sha256:${hash.digest('hex')}`;
}

export class LocalConfigSource implements ConfigSource {
  constructor(private readonly dir: string) {}

  /** `ref` is ignored: the working folder has one state. */
  async load(): Promise<ConfigSnapshot> {
    const fleet = join(this.dir, FLEET_FILE);
    const found = await stat(fleet).catch(() => undefined);
    if (found?.isFile() !== true) {
      throw new SourceError('source.not-found', `config ${this.dir}: no ${FLEET_FILE} here; is this a regops config repository?`, { file: fleet });
    }
    const paths = [fleet];
    for (const folder of CONFIG_FOLDERS) {
      const root = join(this.dir, folder);
      const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return [];
        throw new SourceError('source.unreadable', `config ${this.dir}: cannot list ${folder}/`, { file: root }, { cause: error });
      });
      for (const entry of entries) if (entry.isFile()) paths.push(join(entry.parentPath, entry.name));
    }
    const files: SourceFile[] = [];
    for (const path of paths) {
      const rel = relative(this.dir, path).split(sep).join('/');
      try {
        files.push({ path: rel, content: await readFile(path, 'utf8') });
      } catch (error) {
        throw new SourceError('source.unreadable', `config ${this.dir}: cannot read ${rel}`, { file: rel }, { cause: error });
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { commit: digestConfigFiles(files), files };
  }
}
