import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConfigSnapshot, SourceFile } from '../../functions/core/model.ts';

/** Test helper: reads a folder into a ConfigSnapshot, paths prefixed with `prefix` (e.g. `config/`). */
export function loadSnapshot(folder: string, prefix: string): ConfigSnapshot {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ path: prefix + relative(folder, path).split('\\').join('/'), content: readFileSync(path, 'utf8') });
    }
  };
  walk(folder);
  return { commit: 'local', files };
}
