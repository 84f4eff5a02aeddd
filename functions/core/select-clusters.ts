/**
 * Cluster selection for every command: `--cluster NAME` (repeatable) and `--selector` (a Kubernetes
 * label selector, parse-label-selector.ts), as kubectl combines a name list with a label selector
 * (both must match).
 */
import { matchesSelector } from './fleet.ts';
import { RegopsError } from './errors.ts';
import type { ClusterEntry, Fleet, LabelSelector } from './model.ts';
import { matchesLabelRequirements, type LabelRequirement } from './parse-label-selector.ts';
import { formatSuggestion } from './suggest-name.ts';

export interface ClusterSelection {
  /** Cluster names; empty selects every cluster. */
  names: readonly string[];
  /** Labels a cluster must all carry; empty matches every cluster. */
  selector: LabelSelector;
  /** `--selector` parsed by parseLabelSelector: requirements a cluster must all meet (absent or empty: all). */
  requirements?: readonly LabelRequirement[];
}

/** A selection naming a cluster fleet.yaml does not have. */
export class ClusterSelectionError extends RegopsError {}

/**
 * The clusters a command works on, in name order. Throws ClusterSelectionError (code
 * `select.unknown-cluster`) for a name fleet.yaml does not list, with the nearest name.
 */
export function selectClusters(fleet: Fleet, selection: ClusterSelection): ClusterEntry[] {
  const known = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  for (const name of selection.names) {
    if (known.has(name)) continue;
    throw new ClusterSelectionError(
      'select.unknown-cluster',
      `cluster ${name}: not in fleet.yaml${formatSuggestion(name, known.keys())}`,
      { cluster: name },
    );
  }
  const names = new Set(selection.names);
  return fleet.clusters
    .filter((cluster) => (names.size === 0 || names.has(cluster.name)) && matchesSelector(cluster.labels, selection.selector) && matchesLabelRequirements(cluster.labels, selection.requirements ?? []))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
