/**
 * Reads saved `oc get -o yaml` output: every `*.yaml`/`*.yml`/`*.json` under a folder (sub-folders too,
 * as a must-gather nests them), each file one object, several `---` documents, or a `kind: List`
 * (also `ConfigList`, … : any kind ending in List with `items`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Json, JsonObject } from '../../core/model.ts';
import { ClusterError } from '../errors.ts';
import { isJsonObject } from '../../core/is-json-object.ts';

export interface LiveObjectFile {
  /** Path relative to the folder, `/`-separated. */
  file: string;
  object: JsonObject;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function flatten(value: Json, out: JsonObject[]): void {
  if (!isJsonObject(value)) return;
  const kind = value['kind'];
  const items = value['items'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    for (const item of items) flatten(item, out);
    return;
  }
  if (typeof kind === 'string') out.push(value);
}

/** Every object saved under `dir`, in file order. Throws ClusterError `cluster.invalid` on bad YAML. */
export async function readLiveObjects(dir: string, cluster: string): Promise<LiveObjectFile[]> {
  const out: LiveObjectFile[] = [];
  for (const path of await listFiles(dir)) {
    const file = relative(dir, path).split(sep).join('/');
    const text = await readFile(path, 'utf8');
    for (const document of parseAllDocuments(text, { prettyErrors: true })) {
      const problem = document.errors[0];
      if (problem !== undefined) {
        const line = problem.linePos?.[0].line ?? 0;
        throw new ClusterError('cluster.invalid', `cluster ${cluster}: ${file}:${line}: not valid YAML: ${problem.message.split('\n')[0] ?? ''}`, { cluster, file, line }, { cause: problem });
      }
      const objects: JsonObject[] = [];
      flatten(document.toJS({ maxAliasCount: 100 }) as Json, objects);
      for (const object of objects) out.push({ file, object });
    }
  }
  return out;
}
