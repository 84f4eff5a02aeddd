/** `regops rollout`: waves from fleet.yaml with health gates; `regops apply`: the selection at once, no waves. Exit 0 done, 1 failed. */
import { rolloutFleet } from '../engine/rollout-fleet.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { emitReport, noteEmptySelection } from './output.ts';
import type { CliCommand } from './cli-command.ts';
import { clusterOptions, readDuration, readOutputFormat, readPositiveInteger, readSelection, reportOptions, selectionOptions, sourceOptions, type CommandLine, pickOptions } from './parse-command-line.ts';
import { createProgress } from './progress.ts';
import { readHealthGate } from './read-health-gate.ts';
import { UsageError } from './usage-error.ts';
import { readConfigRef, wireEngine, wireGitHubPublisher } from './wiring.ts';
import { reportFailedRollback } from './report-failed-rollback.ts';

async function runRolloutOrApply(line: CommandLine, mode: 'rollout' | 'apply' = 'rollout'): Promise<ExitCode> {
  const format = readOutputFormat(line);
  const selection = readSelection(line);
  if (line.values['live-dir'] !== undefined) throw new UsageError(`${mode}: --live-dir is saved state, read only (plan and drift); use --kubeconfig to change clusters`);
  if (mode === 'apply' && selection.names.length === 0 && (selection.requirements ?? []).length === 0) {
    throw new UsageError('apply: name the clusters with --cluster NAME or --selector key=value (use rollout for the whole fleet in waves)');
  }
  const healthGate = readHealthGate(line);
  const bake = readDuration(line, 'bake');
  const concurrency = readPositiveInteger(line, 'concurrency');
  const ref = readConfigRef(line);
  const fromWave = line.values['from-wave'];
  const approve = line.values.approve ?? [];
  if (approve.length > 0 && mode === 'apply') throw new UsageError('apply: --approve is for waves (regops rollout)');
  const progress = createProgress();
  const ports = wireEngine(line, { clusters: true, progress });
  const report = await rolloutFleet(ports, {
    selection,
    ...(ref === undefined ? {} : { ref }),
    ...(fromWave === undefined ? {} : { fromWave }),
    ...(bake === undefined ? {} : { bakeSeconds: bake }),
    ...(mode === 'apply' ? { applyConcurrency: concurrency ?? 5 } : {}),
    ...(approve.length === 0 ? {} : { approvals: { waves: approve, by: readApprover(line) } }),
    ...healthGate,
  }).finally(() => progress.done());
  noteEmptySelection(report.waves.reduce((n, w) => n + w.clusters.length, 0), selection);
  await emitReport(report, format, line.values['report-dir']);
  await reportFailedRollback(report, () => wireGitHubPublisher(line));
  return report.status === 'succeeded' ? exitCodes.ok : exitCodes.error;
}

// --live-dir stays declared so runRolloutOrApply can say why it is refused (saved state is read only)
const changeOptions = { ...sourceOptions, ...clusterOptions, ...selectionOptions, ...reportOptions, ...pickOptions('timeout') };

/** rollout: the waves of fleet.yaml, each with its own concurrency. */
export const rolloutCommand: CliCommand = {
  options: { ...changeOptions, ...pickOptions('from-wave', 'bake', 'approve', 'approver') },
  run: (line) => runRolloutOrApply(line, 'rollout'),
};

/** Who approves: --approver NAME, else the login name (recorded in the report with the time). */
function readApprover(line: CommandLine): string {
  const name = line.values.approver ?? process.env['USER'] ?? process.env['LOGNAME'];
  if (name === undefined || name.trim() === '') throw new UsageError('rollout: --approve needs to know who approves: pass --approver NAME');
  return name.trim();
}

/** apply: the selected clusters at once, no waves, so no wave or bake options. */
export const applyCommand: CliCommand = { options: { ...changeOptions, ...pickOptions('concurrency') }, run: (line) => runRolloutOrApply(line, 'apply') };
