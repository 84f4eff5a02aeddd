/**
 * `regops import --out DIR`: a config repository built from the live fleet (kubeconfig contexts or
 * --live-dir dumps): owned fields only, layered base/groups/clusters, CAs, storage credentials as
 * references. Exit 0 written, 1 error (nothing written).
 */
import { readFile } from 'node:fs/promises';
import { importFleet, type ImportSource } from '../engine/import-fleet.ts';
import { writeNewRepository } from '../adapters/local-fs/write-new-repository.ts';
import { listKubeconfigClusters, listLiveDirClusters } from '../adapters/local-fs/list-import-clusters.ts';
import type { CliCommand } from './cli-command.ts';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import { readPositiveInteger, type CommandLine, pickOptions } from './parse-command-line.ts';
import { createProgress } from './progress.ts';
import { UsageError } from './usage-error.ts';
import { readKubeconfigFiles, wireClusterPorts } from './wiring.ts';

async function readSource(line: CommandLine): Promise<ImportSource> {
  const fleet = line.values.fleet;
  if (fleet !== undefined) return { fleetFile: { path: fleet, text: await readFile(fleet, 'utf8').catch(() => { throw new UsageError(`--fleet ${fleet}: no such file`); }) } };
  const liveDir = line.values['live-dir'];
  return { clusters: liveDir !== undefined ? await listLiveDirClusters(liveDir) : await listKubeconfigClusters(readKubeconfigFiles(line)) };
}

export async function runImport(line: CommandLine): Promise<ExitCode> {
  const out = line.values.out;
  if (out === undefined) throw new UsageError('import: --out DIR is required (a new folder for the repository)');
  const concurrency = readPositiveInteger(line, 'concurrency');
  const source = await readSource(line);
  const progress = createProgress();
  const ports = wireClusterPorts(line, progress);
  const repository = await importFleet(ports, {
    source,
    names: line.values.cluster ?? [],
    inspectBuckets: line.values.buckets === true,
    ...(concurrency === undefined ? {} : { concurrency }),
  }).finally(() => progress.done());
  await writeNewRepository(out, repository.files);
  for (const note of repository.notes) process.stderr.write(`${note.cluster}: ${note.message}\n`);
  const files = Object.keys(repository.files);
  process.stdout.write(`Imported into ${out}: ${files.length} files.\n${files.map((f) => `  ${f}`).join('\n')}\nNext: regops validate --config ${out}; regops plan --config ${out} (no changes expected).\n`);
  return exitCodes.ok;
}

export const importCommand: CliCommand = {
  options: pickOptions('out', 'fleet', 'kubeconfig', 'live-dir', 'cluster', 'concurrency', 'buckets'),
  run: runImport,
};
