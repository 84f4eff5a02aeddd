/**
 * The one drift scan of a fleet (`regops drift`: scan-fleet-drift.ts; the Step Functions workflow scans
 * one cluster per child execution through resolveDriftTargets and scanDrift, steps/drift-scan-step.ts,
 * under the lease its Load branch head step took): each cluster with its wave, corrected
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
  const scan = async (): Promise<DriftReport> => scanDrift(ports, { ...scanOptions, clusters: await resolveDriftTargets(ports, input.commit, targets, windows) });
  const { state } = ports;
  if (state === undefined) return scan();
  const request = { holder: nameLeaseHolder(ports.holder, ports.clock), purpose: 'drift' as const, commit: input.commit, ttlMs: leaseTtlMs, ...(ports.holderGone === undefined ? {} : { isHolderGone: ports.holderGone }) };
  return withFleetLease({ state, clock: ports.clock }, request, scan);
}

/**
 * The targets as a drift scan compares them: with a state store, against what each cluster's last
 * completed rollout released; held where its change windows forbid a correction now (the scan itself
 * always runs). Call it while holding the fleet lease: here, or the drift workflow's (one cluster per
 * child execution: steps/drift-scan-step.ts).
 */
export async function resolveDriftTargets(ports: Pick<EnginePorts, 'state' | 'clock'>, commit: string, targets: DriftTarget[], windows: readonly ChangeWindow[] | undefined): Promise<DriftTarget[]> {
  const released = ports.state === undefined ? targets : await resolveReleasedTargets({ state: ports.state }, commit, targets);
  return holdOutsideWindows(released, windows, ports.clock.now());
}
