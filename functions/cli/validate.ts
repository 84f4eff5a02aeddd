/** `regops validate`: YAML, CRD schemas and registry rules; FILE:LINE:COL per finding; exit 0 valid, 1 not. */
import { API_VERSION } from '../core/model.ts';
import { validateFleet } from '../engine/load-fleet.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { formatDiagnostics } from './format-diagnostics.ts';
import type { CliCommand } from './cli-command.ts';
import { outputOption, readOutputFormat, sourceOptions, type CommandLine } from './parse-command-line.ts';
import { readConfigRef, wireEngine } from './wiring.ts';

export async function runValidate(line: CommandLine): Promise<ExitCode> {
  const format = readOutputFormat(line);
  const result = await validateFleet(wireEngine(line, { clusters: false }), readConfigRef(line));
  if (format === 'json') {
    const summary = { clusters: result.clusters.length, errors: result.errors, warnings: result.warnings };
    process.stdout.write(`${JSON.stringify({ apiVersion: API_VERSION, kind: 'ValidationReport', commit: result.commit, diagnostics: result.diagnostics, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(formatDiagnostics(result.diagnostics));
    const verdict = result.errors > 0 ? 'invalid' : 'valid';
    const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
    process.stdout.write(`config ${result.commit}: ${verdict}: ${count(result.clusters.length, 'cluster')}, ${count(result.errors, 'error')}, ${count(result.warnings, 'warning')}\n`);
  }
  return result.errors > 0 ? exitCodes.error : exitCodes.ok;
}

/** validate reads the config only: no cluster, AWS or report options. */
export const validateCommand: CliCommand = { options: { ...sourceOptions, ...outputOption }, run: runValidate };
