/**
 * Step `Scan cluster` of the drift workflow (handlers/drift-scan.ts): one child execution of the
 * workflow's Distributed Map scans one cluster of the run's snapshot (the same scan as `regops
 * drift`: resolveDriftTargets, then scanDrift; corrected where policy is enforce, inside its change
 * windows) and stores its result in the run store at once, so a scan that stops half-way keeps what
 * it did; Publish drift assembles the report from these (assemble-drift-report.ts). The fleet lease
 * is held by the workflow (Load branch head took it, workflow-lease.ts), not by each child.
 */
import type { DriftState } from '../../core/model.ts';
import type { ClusterPorts } from '../engine-ports.ts';
import { WorkflowError } from '../errors.ts';
import { resolveDriftTargets } from '../scan-released-drift.ts';
import { scanDrift } from '../scan-drift.ts';
import type { DriftItem } from './plan-waves-step.ts';
import { loadRun, runKeys, type StepPorts } from './run-store.ts';

/** The Map item (the cluster and its wave) with the commit and this scan's name in the run store. */
export interface DriftScanStepInput extends DriftItem {
  commit: string;
  scan: string;
}

export interface DriftScanStepOutput {
  cluster: string;
  state: DriftState;
}

/** Scans `input.target` and stores its ClusterDrift under runKeys.driftResult; never throws for what the cluster answers. */
export async function driftScanStep(ports: StepPorts & ClusterPorts, input: DriftScanStepInput, options: { healthGateMs?: number } = {}): Promise<DriftScanStepOutput> {
  const { cluster, wave } = input;
  const run = await loadRun(ports, input.commit);
  const found = run.fleet.get(cluster);
  if (found === undefined) throw new WorkflowError('run.unknown-cluster', `cluster ${cluster}: not in fleet.yaml at ${input.commit}`, { cluster, commit: input.commit });
  const targets = await resolveDriftTargets(ports, input.commit, [{ ...found, ...(wave === null ? {} : { wave }) }], run.windows);
  // a correction (policy enforce) waits for its health gate inside this one invocation (15 minutes
  // at most, one cluster), so the gate gets less time than a rollout's polled gate
  const report = await scanDrift(ports, { commit: input.commit, clusters: targets, concurrency: 1, reconcile: { healthGate: { timeoutMs: options.healthGateMs ?? 300_000, pollMs: 5_000 } } });
  const result = report.clusters[0];
  if (result === undefined) throw new WorkflowError('run.no-result', `cluster ${cluster}: the scan returned no result`, { cluster, commit: input.commit });
  await ports.reports.put(runKeys.driftResult(input.commit, input.scan, cluster), JSON.stringify(result), 'application/json');
  return { cluster, state: result.state };
}
