/**
 * `regops validate`: everything that can be checked from Git alone. YAML syntax, fleet.yaml, each
 * layer file and the rendered objects against the real CRD schemas (partial: `required` waits for plan time), registry
 * rules, trusted CAs and the secret scan. Each diagnostic names the Git line that set the value.
 */
import type { ConfigSnapshot, DesiredCluster, Diagnostic, Fleet } from './model.ts';
import { checkCaBundle } from './ca-bundle.ts';
import { checkLayerSchemas } from './check-layer-schemas.ts';
import { indexRepository } from './config-repository.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { runRegistryRules } from './registry-rules.ts';
import { renderFleet } from './render.ts';
import { validateObjectSchema } from './schema-validate.ts';
import { scanForSecrets } from './secret-scan.ts';

export interface ValidateOptions {
  /** The moment CA expiry is judged against (core reads no clock). */
  now: Date;
}

export interface ValidationResult {
  /** Sorted by file, line, col, code. */
  diagnostics: Diagnostic[];
  /** Rendered desired state, name order (also when there are errors: plan refuses those). */
  clusters: DesiredCluster[];
  /** Undefined when fleet.yaml is missing. */
  fleet?: Fleet;
}

/** Schema findings for every object of a rendered cluster, at the Git line of each field. */
export function checkClusterSchemas(cluster: DesiredCluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const object of cluster.objects) {
    const issues = validateObjectSchema(object.body, { partial: true });
    for (const issue of issues) {
      const at = findPosition(object.positions, issue.path) ?? Object.values(object.positions)[0] ?? { file: '', line: 1, col: 1 };
      out.push(createDiagnostic(issue.code, 'error', at, `${object.ref.kind} ${issue.message}`, issue.hint, { cluster: cluster.cluster, path: issue.path }));
    }
  }
  return out;
}

/** Two clusters writing one bucket would mix their registries' blobs and manifests. */
export function checkSharedBuckets(clusters: readonly DesiredCluster[]): Diagnostic[] {
  const byBucket = new Map<string, DesiredCluster[]>();
  for (const cluster of clusters) {
    if (cluster.bucket === undefined) continue;
    const key = `${cluster.bucket.endpoint ?? 'aws'} ${cluster.bucket.name}`;
    byBucket.set(key, [...(byBucket.get(key) ?? []), cluster]);
  }
  const out: Diagnostic[] = [];
  for (const sharing of byBucket.values()) {
    if (sharing.length < 2) continue;
    const names = sharing.map((c) => c.cluster).join(', ');
    for (const cluster of sharing) {
      const bucket = cluster.bucket;
      if (bucket === undefined) continue;
      out.push(createDiagnostic('storage.bucket-shared', 'error', bucket.origin, `bucket ${bucket.name} is rendered for clusters ${names}: each registry needs its own bucket`,
        'give each cluster its own bucket, e.g. bucket: acme-registry-${cluster} in a shared storage.yaml', { cluster: cluster.cluster, path: 'spec.s3.bucket' }));
    }
  }
  return out;
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * One finding per cause: a shared layer (base/, a group) gives the same finding for every cluster, and
 * a registry rule restating a schema bound at the same field wins over the generic schema finding.
 */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const ruled = new Set(diagnostics.filter((d) => !d.code.startsWith('schema.') && d.path !== undefined).map((d) => `${d.file}:${d.line}:${d.col}:${d.path ?? ''}`));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code.startsWith('schema.') && ruled.has(`${d.file}:${d.line}:${d.col}:${d.path ?? ''}`)) continue;
    const key = `${d.code}\u0000${d.file}\u0000${d.line}\u0000${d.col}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Validates the config repository at one commit. Errors make `regops validate` exit 1; warnings do not. */
export function validateRepository(snapshot: ConfigSnapshot, options: ValidateOptions): ValidationResult {
  const repo = indexRepository(snapshot);
  const diagnostics: Diagnostic[] = [];
  for (const file of snapshot.files) {
    if (!file.path.startsWith(repo.root)) continue;
    if (/\.ya?ml$/.test(file.path)) diagnostics.push(...repo.parse(file.path).diagnostics.filter((d) => d.file === file.path));
    if (/\/trusted-cas\/[^/]+\.pem$/.test(file.path)) diagnostics.push(...checkCaBundle(file, options.now));
    diagnostics.push(...scanForSecrets(file));
  }
  // each layer file on its own, so a value every cluster overrides today is still caught
  diagnostics.push(...checkLayerSchemas(repo));
  const hasFleet = repo.files.has(`${repo.root}fleet.yaml`);
  const rendered = renderFleet(snapshot);
  // fleet.yaml syntax errors are already in from the parse above
  diagnostics.push(...rendered.diagnostics.filter((d) => d.code !== 'yaml.syntax' && d.code !== 'yaml.key'));
  for (const cluster of rendered.clusters) {
    diagnostics.push(...checkClusterSchemas(cluster), ...runRegistryRules(cluster));
  }
  diagnostics.push(...checkSharedBuckets(rendered.clusters));
  const result: ValidationResult = { diagnostics: dedupe(diagnostics).sort(compareDiagnostics), clusters: rendered.clusters };
  if (hasFleet) result.fleet = rendered.fleet;
  return result;
}

/** `config/clusters/x/registry.yaml:12:5: error registry.replicas-shared-storage: … (hint: …)` */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message} (hint: ${d.hint})`;
}
