/**
 * The waves of fleet.yaml as the stack needs them at synth time: names, limits and how many
 * clusters each selects (to choose inline vs Distributed Map). Read with core's own fleet parser
 * and wave planner, so synth sees the same defaults, the same first-match wave assignment and the
 * same FILE:LINE:COL errors as `regops validate`. Cluster lists are resolved per run by plan-waves
 * from the commit being rolled out; this only shapes the state machine.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../functions/core/errors.ts';
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, parseFleet } from '../functions/core/fleet.ts';
import { formatDiagnostic } from '../functions/core/validate.ts';
import { planWaves } from '../functions/core/waves.ts';
import { parseYamlSource } from '../functions/core/yaml-source.ts';
import type { WaveSpec } from './constructs/state-machines.ts';

/** Reads the waves of a fleet.yaml file (docs/interfaces.md §1); ConfigError when it is invalid or has none. */
export function readFleetWaves(fleetFile: string): WaveSpec[] {
  let text: string;
  try {
    text = readFileSync(fleetFile, 'utf8');
  } catch (thrown) {
    throw new ConfigError('fleet.not-found', `${fleetFile}: cannot read the fleet file the state machines are shaped from; set -c regops:fleetFile=<path from the repository root>`, { file: fleetFile }, { cause: thrown });
  }
  const { fleet, diagnostics } = parseFleet(parseYamlSource(fleetFile, text));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first !== undefined) {
    throw new ConfigError('fleet.invalid', `${fleetFile}: not a valid fleet; fix it and synth again:\n${errors.map(formatDiagnostic).join('\n')}`, { file: first.file, line: first.line, col: first.col });
  }
  if (fleet.waves.length === 0) {
    throw new ConfigError('fleet.no-waves', `${fleetFile}: spec.waves is empty; the rollout state machine needs at least one wave (add one, e.g. {name: all, selector: {}})`, { file: fleetFile });
  }
  const approvalTimeouts = new Map(fleet.waves.map((w) => [w.name, w.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS]));
  return planWaves(fleet, fleet.clusters.map((c) => c.name)).waves.map((wave) => ({
    name: wave.name,
    maxConcurrency: wave.maxConcurrency,
    maxFailures: wave.maxFailures,
    expectedClusters: wave.clusters.length,
    // a gated wave waits for its approval in the state machine (state-machines.ts approvalGate)
    ...(wave.approval === 'required' ? { approvalTimeoutSeconds: approvalTimeouts.get(wave.name) ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS } : {}),
  }));
}
