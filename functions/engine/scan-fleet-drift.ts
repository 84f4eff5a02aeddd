/**
 * `regops drift`: load and validate, select, then the fleet's drift scan (scan-released-drift.ts:
 * the same as the Step Functions step's) over the selection.
 */
import type { DriftReport } from '../core/model.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { planWaves } from '../core/waves.ts';
import type { EnginePorts } from './engine-ports.ts';
import { loadFleet, selectDesired } from './load-fleet.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { scanReleasedDrift } from './scan-released-drift.ts';
import type { RetryPolicy } from './retry.ts';

export interface ScanFleetDriftOptions {
  ref?: string;
  selection: ClusterSelection;
  /** Clusters scanned at once (default 50). */
  concurrency?: number;
  /** false: never correct, whatever the policy says. */
  enforce?: boolean;
  retry?: RetryPolicy;
  reconcile?: Omit<ReconcileOptions, 'commit' | 'wave' | 'client'>;
  /** How long the fleet lease lasts if this process dies holding it (default 30 minutes). */
  leaseTtlMs?: number;
}

export async function scanFleetDrift(ports: EnginePorts, options: ScanFleetDriftOptions): Promise<DriftReport> {
  const loaded = await loadFleet(ports, options.ref);
  const clusters = selectDesired(loaded, options.selection);
  return scanReleasedDrift(ports, {
    commit: loaded.commit,
    clusters,
    plan: planWaves(loaded.fleet, clusters.map((t) => t.entry.name)),
    ...(loaded.fleet.windows === undefined ? {} : { windows: loaded.fleet.windows }),
    leaseTtlMs: options.leaseTtlMs ?? 30 * 60_000,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.enforce === undefined ? {} : { enforce: options.enforce }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
  });
}
