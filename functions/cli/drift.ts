/** `regops drift`: read-only scan (enforce corrects where the policy says so); exit 0 in sync, 2 drift found, 1 error (unreachable, plan errors, a failed correction). */
import { scanFleetDrift } from '../engine/scan-fleet-drift.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { emitReport, noteEmptySelection } from './output.ts';
import type { CliCommand } from './cli-command.ts';
import { clusterOptions, readOutputFormat, readPositiveInteger, readSelection, reportOptions, selectionOptions, sourceOptions, type CommandLine, pickOptions } from './parse-command-line.ts';
import { createProgress } from './progress.ts';
import { readHealthGate } from './read-health-gate.ts';
import { readConfigRef, wireEngine } from './wiring.ts';

export async function runDrift(line: CommandLine): Promise<ExitCode> {
  const format = readOutputFormat(line);
  const selection = readSelection(line);
  const concurrency = readPositiveInteger(line, 'concurrency');
  const healthGate = readHealthGate(line);
  const ref = readConfigRef(line);
  const progress = createProgress();
  const ports = wireEngine(line, { clusters: true, progress });
  const report = await scanFleetDrift(ports, {
    selection,
    ...(ref === undefined ? {} : { ref }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(line.values['no-enforce'] === true || line.values['live-dir'] !== undefined ? { enforce: false } : {}),
    ...healthGate,
  }).finally(() => progress.done());
  noteEmptySelection(report.clusters.length, selection);
  await emitReport(report, format, line.values['report-dir']);
  const s = report.summary;
  // a cluster whose plan has errors is an error, never in sync (issue #10 item 10), like an unreachable one
  if (s.unreachable + (s.error ?? 0) > 0 || report.clusters.some((c) => c.corrected?.outcome === 'failed')) return exitCodes.error;
  return s.drifted + s.degraded + s.unmanaged > 0 ? exitCodes.changes : exitCodes.ok;
}

export const driftCommand: CliCommand = {
  options: { ...sourceOptions, ...clusterOptions, ...selectionOptions, ...reportOptions, ...pickOptions('concurrency', 'timeout', 'no-enforce') },
  run: runDrift,
};
