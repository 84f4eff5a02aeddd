/**
 * The one drift scan of a fleet, behind both entry points (`regops drift`: scan-fleet-drift.ts; the
 * Step Functions `Scan fleet` step: steps/drift-scan-step.ts): each cluster with its wave, corrected
 * only inside its change windows (hold-outside-windows.ts); with a state store under the fleet lease
 * (never beside a rollout: fleet-lease.ts) and against what its last completed rollout released
 * (resolve-released-targets.ts).
 */
import type { ChangeWindow, ClusterEntry, DesiredCluster, DriftReport, WavePlan } from '../core/model.ts';
import type { EnginePorts } from './engine-ports.ts';
import { nameLeaseHolder, withFleetLease } from './fleet-lease.ts';
import { holdOutsideWindows } from './hold-outside-windows.ts';
import { resolveReleasedTargets } from './resolve-released-targets.ts';
import { scanDrift, type DriftScanInput, type DriftTarget } from './scan-drift.ts';

export interface ReleasedDriftScan extends Omit<DriftScanInput, 'clusters'> {
  /** The clusters rendered at `commit`. */
  clusters: ReadonlyArray<{ desired: DesiredCluster; entry: ClusterEntry }>;
  /** The fleet's waves: each cluster is scanned with its wave (change windows can name waves). */
  plan?: WavePlan;
  windows?: readonly ChangeWindow[];
  /** How long the fleet lease lasts if this process dies holding it. */
  leaseTtlMs: number;
}

export async function scanReleasedDrift(ports: EnginePorts, input: ReleasedDriftScan): Promise<DriftReport> {
  const { clusters, plan, windows, leaseTtlMs, ...scanOptions } = input;
  const waveOf = new Map((plan?.waves ?? []).flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
  const targets: DriftTarget[] = clusters.map((t) => {
    const wave = waveOf.get(t.entry.name);
    return wave === undefined ? t : { ...t, wave };
  });
  const scan = (resolved: DriftTarget[]): Promise<DriftReport> => scanDrift(ports, { ...scanOptions, clusters: resolved });
  // enforce corrects only inside the cluster's change windows; the scan itself always runs
  const held = (resolved: DriftTarget[]): DriftTarget[] => holdOutsideWindows(resolved, windows, ports.clock.now());
  const { state } = ports;
  if (state === undefined) return scan(held(targets));
  const request = { holder: nameLeaseHolder(ports.holder, ports.clock), purpose: 'drift' as const, commit: input.commit, ttlMs: leaseTtlMs, ...(ports.holderGone === undefined ? {} : { isHolderGone: ports.holderGone }) };
  return withFleetLease({ state, clock: ports.clock }, request, async () => scan(held(await resolveReleasedTargets({ state }, input.commit, targets))));
}
