// The core pipeline as separately timed stages, for test/bench/core.bench.ts (core-B adds diff/plan
// stages next to these). Each stage takes the previous stage's output.
import type { ConfigSnapshot, DesiredCluster, Diagnostic } from '../../functions/core/model.ts';
import { runRegistryRules } from '../../functions/core/registry-rules.ts';
import { renderFleet, type RenderedFleet } from '../../functions/core/render.ts';
import { checkClusterSchemas, validateRepository, type ValidationResult } from '../../functions/core/validate.ts';

/** A fresh copy, so the per-snapshot parse cache does not carry over between timed runs. */
export function copySnapshot(snapshot: ConfigSnapshot): ConfigSnapshot {
  return { commit: snapshot.commit, files: snapshot.files.map((f) => ({ ...f })) };
}

/** Stage 1: parse fleet.yaml and every layer file, render every cluster. */
export function runRenderStage(snapshot: ConfigSnapshot): RenderedFleet {
  return renderFleet(copySnapshot(snapshot));
}

/** Stage 2: CRD schemas and registry rules on rendered clusters. */
export function runCheckStage(clusters: readonly DesiredCluster[]): Diagnostic[] {
  return clusters.flatMap((c) => [...checkClusterSchemas(c), ...runRegistryRules(c)]);
}

/** Render + validate as `regops validate` runs it (YAML, fleet, render, schemas, rules, CAs, secret scan). */
export function runValidateStage(snapshot: ConfigSnapshot, now: Date): ValidationResult {
  return validateRepository(copySnapshot(snapshot), { now });
}
