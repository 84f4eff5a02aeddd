import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { knownDifferences, notEmulated } from './known-differences.ts';
import type { Condition, Observation, ScenarioResult } from './run-scenario.ts';

// `npm run fidelity:doc`: docs/fidelity.md from the differential scenario's results
// (test/fidelity/differential/results/{sandbox,testbed}.json). Every field that differs between the
// two targets becomes a row, explained by known-differences.ts or marked unexplained.

const resultsDir = join(import.meta.dirname, 'results');

// Why the last testbed attempt left no results (kept by hand until a run succeeds).
const testbedNotRun =
  'On 2026-12-04 (01:47 and 01:53 UTC) startTestbed failed before the first step: the bare-metal cluster\'s ClusterOperator was not Available within 240 s, and with two clusters the AWS operator\'s bucket never reached moto within 120 s (its Config showed StorageExists False RequestError); logs were kept in the testbed work folders.';
const docPath = join(import.meta.dirname, '..', '..', '..', 'docs', 'fidelity.md');

async function readResult(target: string): Promise<ScenarioResult | undefined> {
  try {
    return JSON.parse(await readFile(join(resultsDir, `${target}.json`), 'utf8')) as ScenarioResult;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

function describeCondition(condition: Condition): string {
  return `${condition.status}/${condition.reason}${condition.message === '' ? '' : `: ${condition.message}`}`;
}

function flattenValue(prefix: string, value: unknown, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, '{}');
    for (const [key, item] of entries) flattenValue(`${prefix}.${key}`, item, out);
    return;
  }
  out.set(prefix, JSON.stringify(value));
}

/** One observation as `path → text`, conditions keyed by type (their order as its own row). */
export function flattenObservation(observation: Observation): Map<string, string> {
  const out = new Map<string, string>();
  out.set('config.conditions(order)', observation.config.conditions.map((condition) => condition.type).join(', '));
  for (const condition of observation.config.conditions) out.set(`config.conditions.${condition.type}`, describeCondition(condition));
  for (const condition of observation.clusterOperator) out.set(`clusterOperator.${condition.type}`, describeCondition(condition));
  flattenValue('config.spec', observation.config.spec, out);
  flattenValue('config.status', observation.config.status, out);
  flattenValue('image', observation.image, out);
  for (const [kind, names] of Object.entries(observation.objects)) out.set(`objects.${kind}`, Array.isArray(names) ? names.join(', ') || '(none)' : names);
  out.set('buckets', observation.buckets.join(', ') || '(none)');
  return out;
}

function explain(step: string, path: string, testbedValue: string | undefined): string | undefined {
  return knownDifferences.find((known) => path.startsWith(known.path) && (known.steps === undefined || known.steps.includes(step)) && (known.testbedAbsent !== true || testbedValue === undefined))?.reason;
}

function cell(text: string | undefined): string {
  const value = text === undefined ? '(absent)' : text;
  const short = value.length > 160 ? `${value.slice(0, 157)}…` : value;
  return short.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export interface DifferenceRow {
  step: string;
  path: string;
  sandbox: string | undefined;
  testbed: string | undefined;
  reason: string | undefined;
}

export function compareResults(sandbox: ScenarioResult, testbed: ScenarioResult): DifferenceRow[] {
  const rows: DifferenceRow[] = [];
  for (const step of sandbox.steps) {
    const other = testbed.steps.find((item) => item.step === step.step);
    if (other === undefined) {
      rows.push({ step: step.step, path: '(step)', sandbox: 'ran', testbed: undefined, reason: undefined });
      continue;
    }
    const left = flattenObservation(step.observation);
    const right = flattenObservation(other.observation);
    for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
      if (left.get(path) !== right.get(path)) rows.push({ step: step.step, path, sandbox: left.get(path), testbed: right.get(path), reason: explain(step.step, path, right.get(path)) });
    }
  }
  return rows;
}

function summary(observation: Observation): string {
  const pick = ['Available', 'Progressing', 'Degraded', 'Removed', 'StorageExists'];
  return observation.config.conditions
    .filter((condition) => pick.includes(condition.type))
    .map((condition) => `${condition.type} ${condition.status}/${condition.reason}`)
    .join('; ');
}

export function renderFidelity(sandbox: ScenarioResult, testbed: ScenarioResult | undefined): string {
  const lines: string[] = [
    '# Sandbox fidelity: the simulated operator judged by the real one',
    '',
    '<!-- generated by `npm run fidelity:doc` (test/fidelity/differential/generate-fidelity.ts); do not edit -->',
    '',
    'The differential scenario of issue #11 (test/fidelity/differential/run-scenario.ts) runs the same',
    'steps on the sandbox (functions/sandbox) and on the testbed (functions/testbed: the real',
    'cluster-image-registry-operator on kube-apiserver + KWOK + moto). Each step ends when the Config',
    'has observed its generation and its conditions stopped changing; then the Config conditions (type,',
    'status, reason, message), spec and status, the ClusterOperator, images.config status, the objects in',
    'openshift-image-registry and the S3 buckets are recorded, normalised (infrastructure names,',
    'random suffixes, hashes masked) and compared field by field. Where Route objects are served (the',
    'testbed, which has no router) the scenario admits the operator\'s routes as a router would, so the',
    'real operator lists their hosts in images.config status.',
    '',
    `- sandbox run: ${sandbox.startedAt} (\`REGOPS_TEST_TARGET=sandbox npm run test:differential\`)`,
    testbed === undefined
      ? `- testbed run: **not available** — results/testbed.json is missing. ${testbedNotRun} Run \`REGOPS_TEST_TARGET=testbed npm run test:differential\`, then \`npm run fidelity:doc\`.`
      : `- testbed run: ${testbed.startedAt} (\`REGOPS_TEST_TARGET=testbed npm run test:differential\`)`,
    '',
  ];
  if (testbed !== undefined) {
    const rows = compareResults(sandbox, testbed);
    const unexplained = rows.filter((row) => row.reason === undefined);
    lines.push('## Differences', '', `${rows.length} differing fields, ${unexplained.length} unexplained.`, '');
    lines.push('| step | field | sandbox | testbed | why |', '|---|---|---|---|---|');
    for (const row of rows) lines.push(`| ${row.step} | \`${row.path}\` | ${cell(row.sandbox)} | ${cell(row.testbed)} | ${row.reason === undefined ? '**unexplained**' : cell(row.reason)} |`);
    lines.push('');
  }
  lines.push('## The scenario on the sandbox', '', '| step | cluster | what | settled after | Config conditions |', '|---|---|---|---|---|');
  for (const step of sandbox.steps) lines.push(`| ${step.step} | ${step.cluster} | ${cell(step.description)} | ${step.settledMs} ms | ${cell(summary(step.observation))} |`);
  lines.push('', '## Fixed in the sandbox (issue #11)', '');
  lines.push(
    '- Storage per platform, read from infrastructures.config status (pkg/storage/storage.go GetPlatformStorage): OpenStack Swift or the operator\'s RWO claim, oVirt, Libvirt/unknown emptyDir; a seeded healthy OpenStack/Swift cluster stays healthy.',
    '- A Managed S3 bucket is emptied and deleted on Managed → Removed and on Config deletion; spec bucket and status.storage cleared (pkg/storage/s3/s3.go RemoveStorage).',
    '- PVCs are objects; `pvc: {}` gets the operator\'s ReadWriteMany claim (pkg/storage/pvc/pvc.go createPVC), named claims are checked by their access modes.',
    '- Conditions are updated in place and stale ones kept (pkg/operator/status.go updateCondition); S3, PVC, Swift and pruner texts are the operator\'s; StorageExists is the steady HeadBucket result unless the storage changed.',
    '- Nodes and a simulated scheduler: a nodeSelector no node matches keeps Progressing True and turns Degraded ProgressDeadlineExceeded after the Deployment deadline (issue #13 item 1); replicas 0 is Available False.',
    '- `watch=True` (and every strconv.ParseBool spelling) starts a watch; CRD CEL rules run on @marcbachmann/cel-js (transition rules on updates) and unchanged invalid values are ratcheted.',
    '- A missing named S3 bucket is created with the keys in use even when storage is Unmanaged (CreateStorage); the missing additionalTrustedCA message is ApplyMutator\'s full text.',
    '- From the first testbed comparison (2026-12-04 02:44: 183 differing fields, 8 unexplained, 4 condition types not modelled): every storage driver error is wrapped "unable to sync storage configuration: …" (generator.go Apply); Managed → Removed leaves spec.storage.s3.bucket absent (omitempty) and status.storageManaged as Apply last set it; no Image internalRegistryHostname while Removed; ConfigObservationDegraded and AzureStackCloudControllerDegraded written on every platform; node-ca conditions (with NodeCADaemonControllerDegraded) only once the registry was first applied (nodecadaemon.go syncs on Service/DaemonSet events).',
    '- From the steps added after it: a changed S3 config is StorageExists Unknown "S3 Configuration Changed" while getS3Service fails (credentials, then the trustedCA bundle); verifyResource\'s texts ("unable to complete resource: duplication of names …"); routes stay listed in images.config while a refused spec keeps Apply from running.',
    '',
    'Tests: test/unit/sandbox/operator-fidelity.test.ts, test/unit/sandbox/simulated-operator.test.ts, test/unit/sandbox/schema-validator.test.ts, test/integration/sandbox/api-wire.test.ts.',
    '',
    '## Known differences, kept',
    '',
    '| field | steps | why |',
    '|---|---|---|',
  );
  for (const known of knownDifferences) lines.push(`| \`${known.path}\`${known.testbedAbsent === true ? ' (absent on the testbed)' : ''} | ${known.steps?.join(', ') ?? 'all'} | ${cell(known.reason)} |`);
  lines.push('', '## Not emulated', '');
  for (const item of notEmulated) lines.push(`- **${item.what}**: ${item.reason}.`);
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sandbox = await readResult('sandbox');
  if (sandbox === undefined) throw new Error(`fidelity: ${join(resultsDir, 'sandbox.json')} is missing: run \`npm run test:differential\` first`);
  await writeFile(docPath, renderFidelity(sandbox, await readResult('testbed')));
  process.stdout.write(`wrote ${docPath}\n`);
}

if (process.argv[1] === import.meta.filename) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
