import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../functions/sandbox/json-patch.ts';
import type { JsonMap, JsonValue } from '../../functions/sandbox/json-value.ts';

// The sandbox's JSON patch against kubectl's (`kubectl patch --local --type json`, evanphx/json-patch
// as in the apiserver): same result, or both refuse.
const pinned = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const kubectlBinary = existsSync(pinned) ? pinned : 'kubectl';
let dir: string;

function kubectlJsonPatch(document: JsonMap, patch: unknown[]): Promise<JsonValue | 'error'> {
  return new Promise((resolve, reject) => {
    const file = join(dir, 'thing.json');
    writeFile(file, JSON.stringify(document)).then(() => {
      execFile(kubectlBinary, ['patch', '--local', '-f', file, '--type', 'json', '-p', JSON.stringify(patch), '-o', 'json', '--kubeconfig', '/dev/null'], { env: { ...process.env, HOME: dir } }, (error, stdout) => {
        resolve(error === null ? (JSON.parse(stdout) as JsonValue) : 'error');
      });
    }, reject);
  });
}

function sandboxJsonPatch(document: JsonMap, patch: unknown[]): JsonValue | 'error' {
  try {
    return applyJsonPatch(document, patch);
  } catch {
    return 'error';
  }
}

const key = fc.constantFrom('a', 'b', 'c');
const leaf = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'));
const value = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
})).value;
const path = fc.array(fc.oneof(key, fc.constantFrom('0', '1', '-')), { minLength: 1, maxLength: 3 }).map((segments) => `/spec/${segments.join('/')}`);
const operation = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path, value }),
  fc.record({ op: fc.constant('remove'), path }),
  fc.record({ op: fc.constantFrom('move', 'copy'), from: path, path }),
);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'regops-json-patch-oracle-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JSON patch agrees with kubectl patch --local --type json', () => {
  it('on random documents and operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 3 }), fc.array(operation, { minLength: 1, maxLength: 3 }), async (spec, patch) => {
        const document: JsonMap = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, spec };
        expect(sandboxJsonPatch(document, patch)).toEqual(await kubectlJsonPatch(document, patch));
      }),
      { numRuns: 80 },
    );
  });
});
