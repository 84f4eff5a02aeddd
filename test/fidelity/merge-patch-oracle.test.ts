import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonMap, JsonValue } from '../../functions/sandbox/json-value.ts';
import { applyMergePatch } from '../../functions/sandbox/merge-patch.ts';

// The sandbox's merge patch against kubectl's own (`kubectl patch --local`, evanphx/json-patch, the
// same code the apiserver runs): random documents and patches must give identical results (docs/toolchain-facts.md).
const pinned = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const kubectlBinary = existsSync(pinned) ? pinned : 'kubectl';
let dir: string;

function kubectlMergePatch(document: JsonMap, patch: JsonMap): Promise<JsonValue> {
  return new Promise((resolve, reject) => {
    const file = join(dir, 'thing.json');
    writeFile(file, JSON.stringify(document)).then(() => {
      execFile(kubectlBinary, ['patch', '--local', '-f', file, '--type', 'merge', '-p', JSON.stringify(patch), '-o', 'json', '--kubeconfig', '/dev/null'], { env: { ...process.env, HOME: dir } }, (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`kubectl patch --local failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as JsonValue);
      });
    }, reject);
  });
}

const key = fc.constantFrom('a', 'b', 'c', 'd');
const leaf = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('x', 'y', ''), fc.boolean());
const withNulls = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;
const spec = fc.dictionary(key, withNulls, { maxKeys: 4 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'regops-merge-oracle-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('merge patch agrees with kubectl patch --local', () => {
  it('on random documents and patches', async () => {
    await fc.assert(
      fc.asyncProperty(spec, spec, async (liveSpec, patchSpec) => {
        const document: JsonMap = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, spec: liveSpec };
        const patch: JsonMap = { spec: patchSpec };
        expect(applyMergePatch(document, patch)).toEqual(await kubectlMergePatch(document, patch));
      }),
      { numRuns: 40 },
    );
  });
});
