/**
 * Load the config repository at one commit, render every cluster and validate: the first step of
 * every command. Validation errors stop here (nothing is read from or written to a cluster).
 */
import type { ClusterEntry, DesiredCluster, Diagnostic, Fleet } from '../core/model.ts';
import { validateRepository } from '../core/validate.ts';
import { selectClusters } from '../core/select-clusters.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import type { EnginePorts } from './engine-ports.ts';
import { ValidationFailedError } from './errors.ts';

export interface LoadedFleet {
  commit: string;
  fleet: Fleet;
  /** Every cluster's desired state, by name. */
  desired: Map<string, DesiredCluster>;
  /** Warnings (errors stop the load). */
  diagnostics: Diagnostic[];
}

/** Validation outcome of the whole repository: every diagnostic, errors and warnings. */
export interface ValidationResult {
  commit: string;
  fleet: Fleet;
  clusters: DesiredCluster[];
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}

/** Loads, renders and validates; never throws for invalid config (diagnostics are values). */
export async function validateFleet(ports: Pick<EnginePorts, 'config' | 'clock'>, ref?: string): Promise<ValidationResult> {
  const snapshot = await ports.config.load(ref);
  const validated = validateRepository(snapshot, { now: ports.clock.now() });
  const diagnostics = validated.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const fleet: Fleet = validated.fleet ?? { apiVersion: 'regops/v1', kind: 'Fleet', clusters: [], groups: [], waves: [], policies: [], defaultPolicy: 'inform' };
  return { commit: snapshot.commit, fleet, clusters: validated.clusters, diagnostics, errors, warnings: diagnostics.length - errors };
}

/** Loads and validates; throws ValidationFailedError (`config.invalid`) when there are errors. */
export async function loadFleet(ports: Pick<EnginePorts, 'config' | 'clock'>, ref?: string): Promise<LoadedFleet> {
  const result = await validateFleet(ports, ref);
  if (result.errors > 0) {
    throw new ValidationFailedError(`config ${result.commit}: ${result.errors} validation error${result.errors === 1 ? '' : 's'}; run regops validate`, result.diagnostics);
  }
  return { commit: result.commit, fleet: result.fleet, desired: new Map(result.clusters.map((c) => [c.cluster, c])), diagnostics: result.diagnostics };
}

/** The selected clusters with their desired state, in name order. */
export function selectDesired(loaded: LoadedFleet, selection: ClusterSelection): Array<{ entry: ClusterEntry; desired: DesiredCluster }> {
  return selectClusters(loaded.fleet, selection).flatMap((entry) => {
    const desired = loaded.desired.get(entry.name);
    return desired === undefined ? [] : [{ entry, desired }];
  });
}
