/**
 * Step `Check window` before each wave of the rollout workflow: whether fleet.yaml's change windows
 * (core/change-windows.ts) let the wave start now. When they do not, the answer carries the next
 * opening; the state machine's Wait (TimestampPath) holds until then and asks again, since a deny
 * window may have opened meanwhile (config/README.md "Change windows"). The CLI stops instead
 * (engine/hold-outside-windows.ts); the rule is the same.
 */
import { evaluateWindows } from '../../core/change-windows.ts';
import { WorkflowError } from '../errors.ts';
import type { WaveHold, WavePlan } from '../../core/model.ts';
import { loadRun, readJson, runKeys, type StepPorts } from './run-store.ts';

export interface WaveWindowInput {
  /** Routes the plan-waves function to this step (handlers/plan-waves.ts). */
  gate: 'window';
  commit: string;
  wave: string;
  /** The execution's start and its time limit: a wave that cannot open before it ends halts now. */
  startedAt: string;
  executionTimeoutSeconds: number;
}

/** What Check window keeps of a wave it halted: the hold, and the execution it belongs to (a later run of the commit has its own). */
export interface StoredWindowHold {
  startedAt: string;
  hold: WaveHold;
}

export interface WaveWindowOutput {
  open: boolean;
  checkedAt: string;
  reason?: string;
  /** When to ask again (the Wait state's TimestampPath); present only when held. */
  nextOpen?: string;
}

/** Whether the wave may start now; when held, until when (or a WorkflowError when it never can in this run). */
export async function checkWaveWindowStep(ports: Pick<StepPorts, 'reports' | 'renderedRuns' | 'clock'>, input: WaveWindowInput): Promise<WaveWindowOutput> {
  const now = ports.clock.now();
  const checkedAt = now.toISOString();
  const context = { commit: input.commit, wave: input.wave };
  // the wave's clusters as Plan waves stored them for this run (windows may name groups or clusters)
  const plan = await readJson<WavePlan & { fromWave?: string }>(ports.reports, runKeys.wavePlan('rollout', input.commit));
  const index = plan?.waves.findIndex((w) => w.name === input.wave) ?? -1;
  const wave = plan?.waves[index];
  if (plan === undefined || wave === undefined) throw new WorkflowError('run.no-wave-plan', `wave ${input.wave}: not in the wave plan at ${runKeys.wavePlan('rollout', input.commit)}; the run must start with Plan waves`, context);
  // a resumed rollout's earlier waves run no cluster: nothing to hold
  const first = plan.fromWave === undefined ? 0 : plan.waves.findIndex((w) => w.name === plan.fromWave);
  if (index < first || wave.clusters.length === 0) return { open: true, checkedAt };
  const run = await loadRun(ports, input.commit);
  const windows = run.windows ?? [];
  if (windows.length === 0) return { open: true, checkedAt };
  const groups = [...new Set(wave.clusters.flatMap((c) => run.fleet.get(c)?.desired.groups ?? []))];
  const verdict = evaluateWindows(windows, { wave: input.wave, groups, clusters: wave.clusters }, now);
  if (verdict.open) return { open: true, checkedAt };
  const reason = verdict.reason ?? 'closed';
  // a wave this execution cannot start halts the rollout: the report says which window and when, as the CLI's
  const halt = async (): Promise<void> => {
    const hold: WaveHold = { kind: 'window', reason, ...(verdict.nextOpen === undefined ? {} : { nextOpen: verdict.nextOpen }) };
    await ports.reports.put(runKeys.windowHold(input.commit, input.wave), JSON.stringify({ startedAt: input.startedAt, hold } satisfies StoredWindowHold), 'application/json');
  };
  if (verdict.nextOpen === undefined) {
    await halt();
    throw new WorkflowError('rollout.window-never-opens', `wave ${input.wave}: held by a change window (${reason}) and no allow window ever opens; fix spec.windows in fleet.yaml`, context);
  }
  const deadline = new Date(Date.parse(input.startedAt) + input.executionTimeoutSeconds * 1000);
  if (Date.parse(verdict.nextOpen) >= deadline.getTime()) {
    await halt();
    throw new WorkflowError('rollout.window-after-timeout', `wave ${input.wave}: held by a change window (${reason}) until ${verdict.nextOpen}, after this execution's limit (${deadline.toISOString()}); start the rollout again after that time with {"commit": "${input.commit}", "fromWave": "${input.wave}"}`, context);
  }
  return { open: false, checkedAt, reason, nextOpen: verdict.nextOpen };
}
