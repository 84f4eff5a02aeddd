/**
 * A cluster name for fleet.yaml (a DNS label: it names folders, contexts, secrets and bucket parts,
 * fleet.ts) from a kubeconfig context or folder name: lower case, anything else becomes `-`,
 * trimmed to 63 characters.
 */
export function toClusterName(name: string): string {
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label === '' ? 'cluster' : label;
}
