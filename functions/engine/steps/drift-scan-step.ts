/** Step `Scan fleet` of the drift workflow: every cluster of the run's snapshot, enforcing where policy says. */
import type { DriftReport, WavePlan } from '../../core/model.ts';
import { RegopsError } from '../../core/errors.ts';
import type { ClusterPorts } from '../engine-ports.ts';
import { nameLeaseHolder, withFleetLease } from '../fleet-lease.ts';
import { holdOutsideWindows } from '../hold-outside-windows.ts';
import { resolveReleasedTargets } from '../resolve-released-targets.ts';
import { scanDrift, type DriftTarget } from '../scan-drift.ts';
import { loadRun, readJson, runKeys, type StepPorts } from './run-store.ts';

/** Scans every cluster of the run's snapshot (bounded concurrency), enforcing where policy says. */
export async function driftScanStep(ports: StepPorts & ClusterPorts, input: { commit: string }, options: { concurrency: number; healthGateMs?: number }): Promise<DriftReport> {
  const run = await loadRun(ports, input.commit);
  const plan = await readJson<WavePlan>(ports.reports, runKeys.wavePlan('drift', input.commit));
  const waveOf = new Map((plan?.waves ?? []).flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
  const clusters = [...run.fleet.values()].map(({ entry, desired }) => {
    const wave = waveOf.get(entry.name);
    return { entry, desired, ...(wave === undefined ? {} : { wave }) };
  });
  if (clusters.length === 0) throw new RegopsError('drift.no-clusters', `config ${input.commit}: fleet.yaml lists no clusters`, { commit: input.commit });
  // a correction (policy enforce) waits for its health gate inside this one invocation (15 minutes
  // at most), so the gate gets less time than a rollout's polled gate
  const scan = (targets: DriftTarget[]): Promise<DriftReport> => scanDrift(ports, { commit: input.commit, clusters: targets, concurrency: options.concurrency, reconcile: { healthGate: { timeoutMs: options.healthGateMs ?? 300_000, pollMs: 5_000 } } });
  // enforce corrects only inside the cluster's change windows (as the CLI scan: hold-outside-windows.ts)
  const held = (targets: DriftTarget[]): DriftTarget[] => holdOutsideWindows(targets, run.windows, ports.clock.now());
  const { state } = ports;
  if (state === undefined) return scan(held(clusters));
  // never beside a rollout; each cluster compared with what its last completed rollout released
  const request = { holder: nameLeaseHolder('stepfunctions-drift', ports.clock), purpose: 'drift' as const, commit: input.commit, ttlMs: 15 * 60_000 };
  return withFleetLease({ state, clock: ports.clock }, request, async () => scan(held(await resolveReleasedTargets({ state }, input.commit, clusters))));
}
