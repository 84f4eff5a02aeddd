import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isJsonMap, type JsonMap } from './json-value.ts';

/**
 * The objects in `oc get … -o yaml` dumps under `dir` (*.yaml / *.yml; multi-document files and
 * `kind: List` wrappers both unpacked). A missing folder gives no objects.
 */
export async function readSeedObjects(dir: string): Promise<JsonMap[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const objects: JsonMap[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`sandbox: seed ${join(dir, file)}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
      const value: unknown = document.toJS();
      if (!isJsonMap(value)) continue;
      if (typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items'])) objects.push(...value['items'].filter(isJsonMap));
      else objects.push(value);
    }
  }
  return objects;
}
