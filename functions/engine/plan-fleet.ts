/**
 * `regops plan`: load and validate, select clusters, then per cluster (bounded concurrency) connect,
 * read live objects (planLiveCluster: what Git renders and the standard objects regops may have
 * owned, so fields Git dropped are pruned), resolve secret digests, inspect the bucket and plan.
 * A cluster that cannot be planned gets an error entry; the others carry on. Each plan also says
 * whether the pruner will prune the registry after apply (core describe-pruner-effect.ts).
 */
import type { ClusterPlan, PlanReport } from '../core/model.ts';
import { buildPlanReport } from '../core/build-plan-report.ts';
import { describeWaveWindows } from '../core/change-windows.ts';
import { describePrunerEffect, pickPrunerLive } from '../core/describe-pruner-effect.ts';
import { planWaves } from '../core/waves.ts';
import type { ClusterSelection } from '../core/select-clusters.ts';
import { toError } from '../core/errors.ts';
import type { RegopsError } from '../core/errors.ts';
import type { EnginePorts } from './engine-ports.ts';
import { loadFleet, selectDesired } from './load-fleet.ts';
import { planLiveCluster } from './plan-live-cluster.ts';
import { defaultRetryPolicy, describeRetry, errorCode, withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { runBounded } from './run-bounded.ts';

export interface PlanFleetOptions {
  /** Commit or branch (GitHub); ignored by a local folder. */
  ref?: string;
  selection: ClusterSelection;
  /** Clusters planned at once (default 20). */
  concurrency?: number;
  retry?: RetryPolicy;
}

/** Plans the selected clusters; throws only for config/selection errors. */
export async function planFleet(ports: EnginePorts, options: PlanFleetOptions): Promise<PlanReport> {
  const loaded = await loadFleet(ports, options.ref);
  const targets = selectDesired(loaded, options.selection);
  const retry = options.retry ?? defaultRetryPolicy;
  const plans = await runBounded(targets, options.concurrency ?? 20, async ({ entry, desired }): Promise<ClusterPlan> => {
    try {
      ports.progress?.emit({ cluster: entry.name, phase: 'planning' });
      const onRetry = (error: RegopsError, attempt: number, delayMs: number): void => ports.progress?.emit({ cluster: entry.name, phase: 'retrying', message: describeRetry(error, attempt, delayMs, retry) });
      const client = await withRetry(ports.clock, () => ports.connector.connect(entry), onRetry, retry);
      const planned = await planLiveCluster(ports, client, desired, { commit: loaded.commit, retry, onRetry });
      // the pruner's effect needs the live images.config status the plan read anyway (no extra GET)
      const plan: ClusterPlan = { ...planned.plan, pruner: describePrunerEffect(desired, pickPrunerLive(planned.live)) };
      const { create, update, prune } = plan.summary;
      const blocking = plan.diagnostics.filter((d) => d.severity === 'error').length;
      if (blocking > 0) ports.progress?.emit({ cluster: entry.name, phase: 'planned', message: `blocked by ${blocking} error${blocking === 1 ? '' : 's'}` });
      else if (create + update + prune === 0) ports.progress?.emit({ cluster: entry.name, phase: 'in-sync' });
      else ports.progress?.emit({ cluster: entry.name, phase: 'planned', message: `${create} to add, ${update} to change, ${prune} to prune` });
      return plan;
    } catch (thrown) {
      const error = toError(thrown);
      ports.progress?.emit({ cluster: entry.name, phase: 'failed', message: error.message });
      return { cluster: entry.name, entries: [], summary: { create: 0, update: 0, prune: 0, unchanged: 0, skipped: 0 }, diagnostics: [], error: { code: errorCode(error), message: error.message, step: 'plan' } };
    }
  });
  const report = buildPlanReport(loaded.commit, ports.clock.now().toISOString(), plans.filter((p): p is ClusterPlan => p !== undefined));
  const windows = loaded.fleet.windows;
  if (windows !== undefined) {
    const waves = planWaves(loaded.fleet, targets.map((t) => t.entry.name));
    report.windows = describeWaveWindows(windows, waves, new Map(targets.map((t) => [t.entry.name, t.desired])), ports.clock.now());
  }
  // warnings from validation belong with the plan a reviewer reads (errors already stopped the load)
  for (const plan of report.clusters) plan.diagnostics.push(...loaded.diagnostics.filter((d) => d.cluster === plan.cluster));
  return report;
}
