// The config repository read from a working folder: which files, in which order, and the content id.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalConfigSource } from '../../../../functions/adapters/local-fs/local-config-source.ts';

const made: string[] = [];
function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'regops-config-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const repo = {
  'fleet.yaml': 'kind: Fleet\n',
  'base/registry.yaml': 'spec: {}\n',
  'groups/prod/registry.yaml': 'spec: {replicas: 3}\n',
  'clusters/lab-1/trusted-cas/registry.example.com..5000.pem': 'PEM\n',
  'clusters/lab-1/storage.yaml': 'kind: RegistryStorage\n',
  'README.md': 'not read\n',
  'scripts/x.sh': 'not read\n',
};

describe('LocalConfigSource', () => {
  it('reads fleet.yaml and everything under base/, groups/ and clusters/, sorted, with / paths', async () => {
    const snapshot = await new LocalConfigSource(makeRepo(repo)).load();
    expect(snapshot.files.map((f) => f.path)).toEqual([
      'base/registry.yaml',
      'clusters/lab-1/storage.yaml',
      'clusters/lab-1/trusted-cas/registry.example.com..5000.pem',
      'fleet.yaml',
      'groups/prod/registry.yaml',
    ]);
    expect(snapshot.files.find((f) => f.path === 'groups/prod/registry.yaml')?.content).toBe('spec: {replicas: 3}\n');
  });

  it('names the snapshot by a digest of its content: same content same id, other content other id', async () => {
    const a = await new LocalConfigSource(makeRepo(repo)).load();
    const b = await new LocalConfigSource(makeRepo({ ...repo, 'README.md': 'changed, but not read\n' })).load();
    const c = await new LocalConfigSource(makeRepo({ ...repo, 'base/registry.yaml': 'spec: {replicas: 1}\n' })).load();
    expect(a.commit).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.commit).toBe(a.commit);
    expect(c.commit).not.toBe(a.commit);
  });

  it('works without optional folders and refuses a folder without fleet.yaml', async () => {
    const only = await new LocalConfigSource(makeRepo({ 'fleet.yaml': 'kind: Fleet\n' })).load();
    expect(only.files.map((f) => f.path)).toEqual(['fleet.yaml']);
    await expect(new LocalConfigSource(makeRepo({ 'base/registry.yaml': '' })).load()).rejects.toMatchObject({ code: 'source.not-found' });
  });
});
