/** `regops plan`: per-cluster diff against live (or --live-dir); exit 0 no changes, 2 changes, 1 error. */
import { planFleet } from '../engine/plan-fleet.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { emitReport, noteEmptySelection } from './output.ts';
import type { CliCommand } from './cli-command.ts';
import { clusterOptions, readOutputFormat, readPositiveInteger, readSelection, reportOptions, selectionOptions, sourceOptions, type CommandLine, pickOptions } from './parse-command-line.ts';
import { createProgress } from './progress.ts';
import { readConfigRef, wireEngine } from './wiring.ts';

export async function runPlan(line: CommandLine): Promise<ExitCode> {
  const format = readOutputFormat(line);
  const selection = readSelection(line);
  const concurrency = readPositiveInteger(line, 'concurrency');
  const ref = readConfigRef(line);
  const progress = createProgress();
  const ports = wireEngine(line, { clusters: true, progress });
  const report = await planFleet(ports, {
    selection,
    ...(ref === undefined ? {} : { ref }),
    ...(concurrency === undefined ? {} : { concurrency }),
  }).finally(() => progress.done());
  noteEmptySelection(report.clusters.length, selection);
  await emitReport(report, format, line.values['report-dir']);
  if (report.summary.errors > 0) return exitCodes.error;
  return report.summary.clustersWithChanges > 0 ? exitCodes.changes : exitCodes.ok;
}

export const planCommand: CliCommand = { options: { ...sourceOptions, ...clusterOptions, ...selectionOptions, ...reportOptions, ...pickOptions('concurrency') }, run: runPlan };
