/**
 * Step `Did wave change` of the rollout workflow (handlers/publish-report.ts): what the wave's
 * Distributed Map left in S3 (its ResultWriter's manifest.json and the SUCCEEDED / FAILED files it
 * lists, as Step Functions writes them: one entry per child execution, its Output a JSON string)
 * counted by outcome, so the rollout bakes only after a wave that changed something, as
 * `regops rollout` does (engine/rollout.ts). The state keeps only this summary, never the outcomes.
 */
import { WorkflowError } from '../errors.ts';
import { readJson, type StepPorts } from './run-store.ts';

export interface WaveResultsInput {
  kind: 'wave';
  commit: string;
  wave: string;
  /** The Map's ResultWriterDetails: the reports bucket and the key of its manifest.json. */
  results: { Bucket: string; Key: string };
}

export interface WaveSummary {
  /** True when at least one cluster's outcome is `succeeded` (it was written to). */
  changed: boolean;
  /** Child executions that succeeded, by the outcome they answered (`succeeded`, `unchanged`, …). */
  outcomes: Record<string, number>;
  /** Child executions that failed (only as many as the wave's maxFailures tolerates get here). */
  failed: number;
}

interface ResultManifest {
  ResultFiles?: { SUCCEEDED?: Array<{ Key: string }>; FAILED?: Array<{ Key: string }> };
}

/** Counts the wave's outcomes from its Map's result files. */
export async function summarizeWave(ports: Pick<StepPorts, 'reports'>, input: WaveResultsInput): Promise<WaveSummary> {
  const context = { commit: input.commit, wave: input.wave, key: input.results.Key };
  const manifest = await readJson<ResultManifest>(ports.reports, input.results.Key);
  if (manifest === undefined) throw new WorkflowError('run.no-results', `wave ${input.wave}: no Map results at ${input.results.Key} in the reports bucket; start the rollout again from this wave`, context);
  const read = async (key: string): Promise<Array<{ Output?: string }>> => {
    const entries = await readJson<Array<{ Output?: string }>>(ports.reports, key);
    if (entries === undefined) throw new WorkflowError('run.no-results', `wave ${input.wave}: the Map results file ${key} listed in ${input.results.Key} is missing; start the rollout again from this wave`, { ...context, key });
    return entries;
  };
  const outcomes: Record<string, number> = {};
  for (const file of manifest.ResultFiles?.SUCCEEDED ?? []) {
    for (const entry of await read(file.Key)) {
      const outcome = JSON.parse(entry.Output ?? 'null') as unknown;
      const name = typeof outcome === 'string' ? outcome : 'unknown';
      outcomes[name] = (outcomes[name] ?? 0) + 1;
    }
  }
  let failed = 0;
  for (const file of manifest.ResultFiles?.FAILED ?? []) failed += (await read(file.Key)).length;
  return { changed: (outcomes['succeeded'] ?? 0) > 0, outcomes, failed };
}
