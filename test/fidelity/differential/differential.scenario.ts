import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDifferentialTarget, type DifferentialTarget } from './differential-target.ts';
import { runDifferentialScenario, type ScenarioResult } from './run-scenario.ts';

// `npm run test:differential` (REGOPS_TEST_TARGET=sandbox|testbed): runs the issue #11 scenario on one
// target and writes results/<target>.json; `npm run fidelity:doc` compares the two into docs/fidelity.md.

const resultsDir = join(import.meta.dirname, 'results');
let target: DifferentialTarget | undefined;

beforeAll(async () => {
  target = await startDifferentialTarget();
}, 600_000);

afterAll(async () => {
  await target?.stop();
});

function conditionOf(result: ScenarioResult, step: string, type: string): string {
  const condition = result.steps.find((item) => item.step === step)?.observation.config.conditions.find((item) => item.type === type);
  return condition === undefined ? 'absent' : `${condition.status}/${condition.reason}`;
}

describe(`the differential scenario on the ${process.env['REGOPS_TEST_TARGET'] ?? 'sandbox'}`, () => {
  it('runs every step to a settled registry and records what the operator did', async () => {
    if (target === undefined) throw new Error('differential: the target did not start');
    await mkdir(resultsDir, { recursive: true });
    const kind = target.kind;
    const save = (partial: ScenarioResult) => writeFile(join(resultsDir, `${kind}.json`), `${JSON.stringify(partial, null, 2)}\n`);
    const result = await runDifferentialScenario(target, save);
    expect(result.steps).toHaveLength(25);
    // facts both targets must show (docs/registry-operator-facts.md §6.1, §3.1, §3.6): they anchor the comparison
    expect(conditionOf(result, 'bootstrap-aws', 'Available')).toBe('True/Ready');
    expect(conditionOf(result, 'bootstrap-vsphere', 'Removed')).toBe('True/Removed');
    expect(conditionOf(result, 'storage-change-refused', 'Progressing')).toBe('True/Error');
    const removed = result.steps.find((item) => item.step === 'managed-to-removed')?.observation;
    expect(removed?.buckets).not.toContain('<infra>-image-registry-us-east-1');
    expect(result.steps.find((item) => item.step === 'removed-to-managed-aws')?.observation.buckets).toContain('<infra>-image-registry-us-east-1');
    expect(conditionOf(result, 'canary-node-selector', 'Progressing')).toBe('True/DeploymentNotCompleted');
  }, 1_800_000);
});
