/**
 * `regops drift`: load and validate, select, then scanDrift over the selection (with each cluster's
 * wave). With a state store it holds the fleet lease for the scan (never beside a rollout) and
 * compares each cluster with what the last completed rollout released to it (resolve-released-targets.ts).
 */
import { holdOutsideWindows } from './hold-outside-windows.ts';
import type { DriftReport } from '../core/model.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { planWaves } from '../core/waves.ts';
import type { EnginePorts } from './engine-ports.ts';
import { loadFleet, selectDesired } from './load-fleet.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { nameLeaseHolder, withFleetLease } from './fleet-lease.ts';
import { resolveReleasedTargets } from './resolve-released-targets.ts';
import { scanDrift } from './scan-drift.ts';
import type { DriftTarget } from './scan-drift.ts';
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
  const targets = selectDesired(loaded, options.selection);
  const waves = planWaves(loaded.fleet, targets.map((t) => t.entry.name));
  const waveOf = new Map(waves.waves.flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
  const clusters: DriftTarget[] = targets.map((t) => {
    const wave = waveOf.get(t.entry.name);
    return wave === undefined ? t : { ...t, wave };
  });
  const scan = (targets: DriftTarget[]): Promise<DriftReport> => scanDrift(ports, {
    commit: loaded.commit,
    clusters: targets,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.enforce === undefined ? {} : { enforce: options.enforce }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
  });
  // enforce corrects only inside the cluster's change windows; the scan itself always runs
  const held = (targets: DriftTarget[]): DriftTarget[] => holdOutsideWindows(targets, loaded.fleet.windows, ports.clock.now());
  const { state } = ports;
  if (state === undefined) return scan(held(clusters));
  const request = { holder: nameLeaseHolder(ports.holder, ports.clock), purpose: 'drift' as const, commit: loaded.commit, ttlMs: options.leaseTtlMs ?? 30 * 60_000, ...(ports.holderGone === undefined ? {} : { isHolderGone: ports.holderGone }) };
  return withFleetLease({ state, clock: ports.clock }, request, async () => scan(held(await resolveReleasedTargets({ state }, loaded.commit, clusters))));
}
