/** The paths of a config repository regops reads (docs/interfaces.md §1): fleet.yaml and three folders. */
export const FLEET_FILE = 'fleet.yaml';
export const CONFIG_FOLDERS = ['base', 'groups', 'clusters'] as const;

/** True for a repository path regops reads; a push touching none of them needs no rollout. */
export function isConfigPath(path: string): boolean {
  return path === FLEET_FILE || CONFIG_FOLDERS.some((folder) => path.startsWith(`${folder}/`));
}
