/** The plan workflow's stored results, for its publish step. */
import type { ClusterPlan, Diagnostic } from '../../core/model.ts';
import type { ReportStore } from '../ports.ts';
import { readJson, runKeys } from './run-store.ts';

/** The cluster plans the plan workflow stored, in name order, and the validation diagnostics. */
export async function collectPlans(reports: ReportStore, commit: string): Promise<{ plans: ClusterPlan[]; diagnostics: Diagnostic[] }> {
  const keys = await reports.list(runKeys.clusterPrefix('plan', commit));
  const plans = (await Promise.all(keys.map((key) => readJson<ClusterPlan>(reports, key)))).filter((p): p is ClusterPlan => p !== undefined);
  const diagnostics = (await readJson<Diagnostic[]>(reports, runKeys.diagnostics('plan', commit))) ?? [];
  return { plans: plans.sort((a, b) => a.cluster.localeCompare(b.cluster)), diagnostics };
}
