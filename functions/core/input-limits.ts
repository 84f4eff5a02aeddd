/**
 * How much input regops accepts from a config repository (issue 10 item 5): past these a crafted or
 * runaway file could hang a validation or exhaust a Lambda's memory. The adapters that read files
 * enforce the byte limits before reading (functions/adapters/decode-config-file.ts); the YAML parse
 * enforces the alias limit (functions/core/yaml-source.ts; the yaml library itself reports
 * nesting too deep for its parser as RESOURCE_EXHAUSTION). Each refusal names FILE:LINE.
 */
export const INPUT_LIMITS = {
  /** Bytes of one file under base/, groups/ or clusters/ (a registry.yaml is a few hundred). */
  fileBytes: 1024 * 1024,
  /** Bytes of fleet.yaml: about 180 bytes a cluster, so room for some 40,000 clusters. */
  fleetFileBytes: 8 * 1024 * 1024,
  /** Bytes of every file regops reads at one commit together (10,000 clusters take about 50 MiB). */
  repositoryBytes: 128 * 1024 * 1024,
  /**
   * Nodes one file may produce through aliases (`*name`). Each use copies the anchored node, so nine
   * nested aliases of ten items each make 10^9 nodes from 300 bytes (the "billion laughs").
   */
  aliasNodes: 10_000,
} as const;

/** The byte limit of one repository path: fleet.yaml has its own (it grows with the fleet). */
export function fileByteLimit(path: string): number {
  return path === 'fleet.yaml' || path.endsWith('/fleet.yaml') ? INPUT_LIMITS.fleetFileBytes : INPUT_LIMITS.fileBytes;
}

/** `1 MiB`, `1.05 MiB`, `512 KiB`, `12 bytes`: a byte count as people read it (two decimals at most). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(2))} KiB`;
  return `${bytes} bytes`;
}
