/**
 * `regops rollout` and `regops apply`: load and validate, select, plan the waves (core's planWaves,
 * plain data), run them. `apply` runs the selected clusters as one wave that never halts.
 * With a state store the run holds the fleet lease (fleet-lease.ts: never beside a drift scan or
 * another rollout), refuses a commit older than the one released (release-record.ts), and when no
 * wave halted records what each cluster it left done now runs, for drift enforce to restore.
 */
import type { ConfigSnapshot, DesiredCluster, RolloutReport, WavePlan } from '../core/model.ts';
import type { Clock } from './ports.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { planWaves } from '../core/waves.ts';
import type { ClusterPorts, EnginePorts } from './engine-ports.ts';
import { nameLeaseHolder, withFleetLease } from './fleet-lease.ts';
import { checkNotSuperseded, recordRelease } from './release-record.ts';
import { previousStateKey, type PreviousState } from './rollback-wave.ts';
import { loadFleet, selectDesired } from './load-fleet.ts';
import type { ReconcileOptions } from './reconcile-cluster.ts';
import { runRollout } from './rollout.ts';

export interface RolloutFleetOptions {
  ref?: string;
  selection: ClusterSelection;
  fromWave?: string;
  /** Overrides every wave's bake time. */
  bakeSeconds?: number;
  /** `regops apply`: ignore fleet waves, apply the selection at once (this many at a time), never halt. */
  applyConcurrency?: number;
  reconcile?: Omit<ReconcileOptions, 'commit' | 'wave' | 'client'>;
  /** The rollout's order (release-record.ts); default: now, in ms (a command typed now is the newest intent). */
  sequence?: number;
  /** How long the fleet lease lasts if this process dies holding it (default 30 minutes; renewed as the rollout goes). */
  leaseTtlMs?: number;
  /** Waves with `approval: required` a person approves for this run, and who (`regops rollout --approve WAVE`). */
  approvals?: { waves: readonly string[]; by: string };
}

/** The clusters a rollout that did not halt leaves released: done in this run, or in the earlier run `fromWave` resumes. */
function releasedClusters(report: RolloutReport, plan: WavePlan, fromWave: string | undefined, desired: ReadonlyMap<string, { desired: DesiredCluster }>): DesiredCluster[] {
  const first = fromWave === undefined ? 0 : plan.waves.findIndex((w) => w.name === fromWave);
  const resumed = new Set(plan.waves.slice(0, Math.max(0, first)).flatMap((w) => w.clusters));
  return report.waves.flatMap((w) => w.clusters)
    .filter((c) => c.outcome === 'succeeded' || c.outcome === 'unchanged' || (c.outcome === 'skipped' && resumed.has(c.cluster)))
    .flatMap((c) => {
      const found = desired.get(c.cluster);
      return found === undefined ? [] : [found.desired];
    });
}

/** The ports with the lease renewed on the way: before a cluster connects and before any wait (bake, health-gate polls, backoff). */
function renewingPorts<P extends ClusterPorts>(ports: P, heartbeat: () => Promise<void>): P {
  const { clock, connector } = ports;
  const renewing: Clock = {
    now: () => clock.now(),
    random: () => clock.random(),
    sleep: async (ms) => {
      await heartbeat();
      await clock.sleep(ms);
    },
  };
  return { ...ports, clock: renewing, connector: { connect: async (entry) => { await heartbeat(); return connector.connect(entry); } } };
}

/** Rolls the selection out; cluster failures are in the report (status failed), not thrown. */
export async function rolloutFleet(ports: EnginePorts, options: RolloutFleetOptions): Promise<RolloutReport> {
  // one snapshot for the whole run: the one rolled out is the one recorded as released
  const snapshot: ConfigSnapshot = await ports.config.load(options.ref);
  const loaded = await loadFleet({ config: { load: () => Promise.resolve(snapshot) }, clock: ports.clock }, options.ref);
  const targets = selectDesired(loaded, options.selection);
  const names = targets.map((t) => t.entry.name);
  const plan: WavePlan = options.applyConcurrency === undefined
    ? planWaves(loaded.fleet, names)
    : { waves: [{ name: 'apply', maxConcurrency: options.applyConcurrency, maxFailures: names.length, bakeSeconds: 0, clusters: names }], unassigned: [] };
  if (options.fromWave !== undefined) planWaves(loaded.fleet, names, { fromWave: options.fromWave }); // throws the "did you mean" error for an unknown wave
  const clusters = new Map(targets.map((t) => [t.entry.name, t]));
  const { state } = ports;
  const run = (runPorts: ClusterPorts): Promise<RolloutReport> => runRollout(runPorts, {
    // the values a `rollback: automatic` wave restores are kept in the run's state, not only in memory
    ...(state === undefined ? {} : { keepPrevious: async (before: PreviousState) => { await state.write(previousStateKey(loaded.commit, before.cluster), JSON.stringify(before)); } }),
    commit: loaded.commit,
    plan,
    clusters,
    ...(options.approvals === undefined ? {} : { approvals: options.approvals }),
    // `regops apply` is a person's explicit action on named clusters: windows hold waves, not it
    ...(options.applyConcurrency === undefined && loaded.fleet.windows !== undefined ? { windows: loaded.fleet.windows } : {}),
    ...(options.fromWave === undefined ? {} : { fromWave: options.fromWave }),
    ...(options.bakeSeconds === undefined ? {} : { bakeSeconds: options.bakeSeconds }),
    ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
  });
  const { clock } = ports;
  if (state === undefined) return run(ports);
  const sequence = options.sequence ?? clock.now().getTime();
  const request = { holder: nameLeaseHolder(ports.holder, clock), purpose: 'rollout' as const, commit: loaded.commit, sequence, ttlMs: options.leaseTtlMs ?? 30 * 60_000, ...(ports.holderGone === undefined ? {} : { isHolderGone: ports.holderGone }) };
  return withFleetLease({ state, clock }, request, async (heartbeat) => {
    await checkNotSuperseded({ state }, loaded.commit, sequence);
    const report = await run(renewingPorts(ports, heartbeat));
    if (report.halted === undefined) {
      await recordRelease({ state, clock }, { commit: loaded.commit, sequence, snapshot, clusters: releasedClusters(report, plan, options.fromWave, clusters) });
    }
    return report;
  });
}
