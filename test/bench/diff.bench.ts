// Diff + plan over a generated 1,000-cluster fleet: ms per cluster for planCluster against live
// state (all in sync, and with drift on every cluster), plus the report renderers. Target (issue 2):
// render+validate+diff under 2 ms per cluster in total; core.bench.ts prints render and validate.
// Live objects are built as the operator stores them (test/fixtures/live-objects) with Git's fields
// applied, so every owned field is compared. Figures are printed, never asserted.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildBucketState } from '../../functions/core/bucket-state.ts';
import { buildPlanReport } from '../../functions/core/build-plan-report.ts';
import { applyMergePatch } from '../../functions/core/merge-patch.ts';
import type { DesiredCluster, JsonObject } from '../../functions/core/model.ts';
import { planCluster, type LiveCluster } from '../../functions/core/plan.ts';
import { formatRefKey } from '../../functions/core/resource-ref.ts';
import { renderFleet } from '../../functions/core/render.ts';
import { renderPlanMarkdown } from '../../functions/core/report/plan-markdown.ts';
import { renderPlanText } from '../../functions/core/report/plan-text.ts';
import { renderReportJson } from '../../functions/core/report/report-json.ts';
import { generateFleetSnapshot } from './generate-fleet.ts';

const CLUSTERS = Number(process.env['BENCH_CLUSTERS'] ?? 1000);
const RUNS = 7;

function loadFixture(name: string): JsonObject {
  return parse(readFileSync(new URL(`../fixtures/live-objects/${name}.yaml`, import.meta.url), 'utf8')) as JsonObject;
}
const operatorWritten: Record<string, JsonObject> = {
  Config: loadFixture('aws-config-bootstrapped'),
  ImagePruner: loadFixture('pruner-bootstrapped'),
  Image: loadFixture('image-config'),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The live state after regops applied Git (owned fields recorded), optionally with drift on the Config. */
function buildLive(desired: DesiredCluster, drift: boolean): LiveCluster {
  const objects: Record<string, JsonObject> = {};
  const plan = planCluster(desired, { objects: {}, secretDigests: digestsFor(desired) }, { commit: 'bench' });
  for (const object of desired.objects) {
    let base = operatorWritten[object.ref.kind] ?? { apiVersion: object.ref.apiVersion, kind: object.ref.kind, metadata: { name: object.ref.name, resourceVersion: '1' } };
    // Git's storage backend replaces the fixture's S3 one (a cluster that has always run on it)
    const gitStorage = (object.body['spec'] as JsonObject | undefined)?.['storage'];
    if (gitStorage !== undefined) base = applyMergePatch(base, { spec: { storage: null } }) as JsonObject;
    const created = plan.entries.find((e) => e.target.type === 'object' && formatRefKey(e.target.ref) === formatRefKey(object.ref))?.patch ?? {};
    let live = applyMergePatch(base, created) as JsonObject;
    if (drift && object.ref.kind === 'Config') live = applyMergePatch(live, { spec: { replicas: 7, readOnly: true } }) as JsonObject;
    objects[formatRefKey(object.ref)] = live;
  }
  for (const secret of desired.secrets) {
    const data = Object.fromEntries(Object.keys(secret.data).map((key) => [key, `sha256:${'ab'.repeat(32)}`]));
    objects[formatRefKey(secret.ref)] = { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret.ref.name, namespace: secret.ref.namespace ?? '', resourceVersion: '1' }, data };
  }
  const live: LiveCluster = { objects, secretDigests: digestsFor(desired) };
  if (desired.bucket !== undefined) {
    const bucket = buildBucketState(desired.bucket);
    live.bucket = { ...bucket, tags: { ...(bucket['tags'] as JsonObject), 'kubernetes.io/cluster/x': 'owned' } };
  }
  return live;
}

function digestsFor(desired: DesiredCluster): LiveCluster['secretDigests'] {
  return Object.fromEntries(desired.secrets.map((s) => [formatRefKey(s.ref), Object.fromEntries(Object.keys(s.data).map((key) => [key, `sha256:${'ab'.repeat(32)}`]))]));
}

const rendered = renderFleet(generateFleetSnapshot(CLUSTERS));
const desired = rendered.clusters;
const objects = desired.reduce((sum, c) => sum + c.objects.length + c.secrets.length + (c.bucket === undefined ? 0 : 1), 0);
console.log(`fleet: ${desired.length} clusters rendered, ${objects} owned objects/buckets (${(objects / desired.length).toFixed(1)} per cluster)`);

for (const [label, drift] of [['in sync', false], ['drifted Config', true]] as const) {
  const lives = desired.map((d) => buildLive(d, drift));
  const plans = desired.map((d, i) => planCluster(d, lives[i] as LiveCluster, { commit: 'bench' })); // warm-up
  const changed = plans.filter((p) => p.summary.create + p.summary.update + p.summary.prune > 0).length;
  const blocked = plans.filter((p) => p.diagnostics.some((d) => d.severity === 'error')).length;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    for (let i = 0; i < desired.length; i += 1) planCluster(desired[i] as DesiredCluster, lives[i] as LiveCluster, { commit: 'bench' });
    times.push(performance.now() - start);
  }
  const ms = median(times);
  console.log(`planCluster, ${label.padEnd(14)}: median ${ms.toFixed(1)} ms  ${(ms / desired.length).toFixed(3)} ms/cluster  (${changed} of ${desired.length} clusters with changes, ${blocked} blocked by errors)`);
  const report = buildPlanReport('bench', '2027-01-01T00:00:00.000Z', plans);
  for (const [name, render] of [['json', renderReportJson], ['text', renderPlanText], ['markdown', renderPlanMarkdown]] as const) {
    const start = performance.now();
    const out = render(report);
    const took = performance.now() - start;
    console.log(`  render plan ${name.padEnd(8)}: ${took.toFixed(1)} ms  ${(took / desired.length).toFixed(3)} ms/cluster  ${(out.length / 1024).toFixed(0)} KiB`);
  }
}
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS: ${rss.toFixed(0)} MB`);
