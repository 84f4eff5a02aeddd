import type { ConfigSnapshot, SourceFile } from './model.ts';
import { parseYamlSource, type ParsedYaml } from './yaml-source.ts';

/** The files a layer directory (base/, groups/<g>/, clusters/<c>/) may hold. */
export const LAYER_FILES = ['registry.yaml', 'pruner.yaml', 'image.yaml', 'storage.yaml'] as const;
export type LayerFile = (typeof LAYER_FILES)[number];
export const TRUSTED_CAS_DIR = 'trusted-cas';

/** A config snapshot indexed by path, with each YAML file parsed at most once. */
export interface ConfigRepository {
  snapshot: ConfigSnapshot;
  /** Prefix of every regops path: the folder that holds fleet.yaml (`''` or e.g. `config/`). */
  root: string;
  files: Map<string, SourceFile>;
  /** Parsed YAML by path (memoised). */
  parse(path: string): ParsedYaml;
  /** trusted-cas/*.pem files of a layer directory (base/, groups/<g>/, clusters/<c>/), sorted by path. */
  caFiles(layerDir: string): SourceFile[];
}

const cache = new WeakMap<ConfigSnapshot, ConfigRepository>();

function findRoot(files: readonly SourceFile[]): string {
  let root: string | undefined;
  for (const file of files) {
    if (file.path !== 'fleet.yaml' && !file.path.endsWith('/fleet.yaml')) continue;
    const prefix = file.path.slice(0, -'fleet.yaml'.length);
    if (root === undefined || prefix.length < root.length) root = prefix;
  }
  return root ?? '';
}

/**
 * Indexes a snapshot (memoised per snapshot object, so render and validate share the parse; a snapshot
 * is treated as immutable). The repository root is the folder of the shallowest fleet.yaml (`''` for a
 * local folder or a GitHub repository, `config/` for a snapshot of this project); diagnostics keep the
 * snapshot's paths.
 */
export function indexRepository(snapshot: ConfigSnapshot): ConfigRepository {
  const cached = cache.get(snapshot);
  if (cached !== undefined) return cached;
  const files = new Map(snapshot.files.map((file) => [file.path, file]));
  const parsed = new Map<string, ParsedYaml>();
  const cas = new Map<string, SourceFile[]>();
  for (const file of snapshot.files) {
    const match = /^(.*)\/trusted-cas\/[^/]+\.pem$/.exec(file.path);
    if (match === null || match[1] === undefined) continue;
    const list = cas.get(match[1]) ?? [];
    list.push(file);
    cas.set(match[1], list);
  }
  for (const list of cas.values()) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const repository: ConfigRepository = {
    snapshot,
    root: findRoot(snapshot.files),
    files,
    parse(path: string): ParsedYaml {
      let result = parsed.get(path);
      if (result === undefined) {
        result = parseYamlSource(path, files.get(path)?.content ?? '');
        parsed.set(path, result);
      }
      return result;
    },
    caFiles(layerDir: string): SourceFile[] {
      return cas.get(layerDir.replace(/\/$/, '')) ?? [];
    },
  };
  cache.set(snapshot, repository);
  return repository;
}
