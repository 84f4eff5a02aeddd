import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKubectl, quoteShellArgument, runKubectl } from '../../../functions/cli/demo-kubectl.ts';

describe('quoteShellArgument', () => {
  it.each([
    ['configs.imageregistry.operator.openshift.io/cluster', 'configs.imageregistry.operator.openshift.io/cluster'],
    ['--context', '--context'],
    ['{"spec":{"replicas":1}}', `'{"spec":{"replicas":1}}'`],
    ['it\'s', `'it'\\''s'`],
    ['/tmp/a b/kubeconfig', `'/tmp/a b/kubeconfig'`],
  ])('%s → %s', (arg, quoted) => {
    expect(quoteShellArgument(arg)).toBe(quoted);
  });
});

describe('findKubectl and runKubectl (a stand-in kubectl script, no cluster)', () => {
  async function fakeKubectl(body: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'regops-kubectl-'));
    const file = join(dir, 'kubectl');
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
    return dir;
  }

  it('finds an executable kubectl on PATH and nothing on an empty PATH', async () => {
    const dir = await fakeKubectl('exit 0');
    expect(await findKubectl(['/nonexistent', dir].join(delimiter))).toBe(join(dir, 'kubectl'));
    expect(await findKubectl('')).toBeUndefined();
  });

  it('prints the command as run and its output', async () => {
    const dir = await fakeKubectl('echo "args: $*"');
    const said: string[] = [];
    await runKubectl(join(dir, 'kubectl'), ['--context', 'prod-eu-1', 'patch', 'x', '-p', '{"spec":{"replicas":1}}'], (t) => said.push(t));
    expect(said).toEqual([`$ kubectl --context prod-eu-1 patch x -p '{"spec":{"replicas":1}}'`, 'args: --context prod-eu-1 patch x -p {"spec":{"replicas":1}}']);
  });

  it('throws with kubectl\'s own error text when it fails', async () => {
    const dir = await fakeKubectl('echo "error: context \\"nope\\" does not exist" >&2; exit 1');
    await expect(runKubectl(join(dir, 'kubectl'), ['--context', 'nope', 'get', 'co'], () => undefined)).rejects.toThrow(/kubectl --context nope get co failed: error: context "nope" does not exist/);
  });
});
