// The config repository read from a working folder: which files, in which order, and the content id.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalConfigSource } from '../../../../functions/adapters/local-fs/local-config-source.ts';
import { INPUT_LIMITS } from '../../../../functions/core/input-limits.ts';
import { SourceError } from '../../../../functions/adapters/errors.ts';

const made: string[] = [];
function makeRepo(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'regops-config-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
/** The SourceError a load rejects with (fails the test when it resolves or throws something else). */
async function loadError(source: LocalConfigSource): Promise<SourceError> {
  const error: unknown = await source.load().then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof SourceError)) throw new Error('expected load() to reject with a SourceError', { cause: error });
  return error;
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

  it('refuses a file that is not UTF-8 at the line and column of the first bad byte', async () => {
    // "café" in Latin-1: the é is the single byte 0xe9, which UTF-8 never starts a character with
    const latin1 = Buffer.concat([Buffer.from('spec:\n  routes:\n    - name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const error = await loadError(new LocalConfigSource(makeRepo({ ...repo, 'base/registry.yaml': latin1 })));
    expect(error).toMatchObject({ code: 'source.not-utf8', context: { file: 'base/registry.yaml', line: 3, col: 16 } });
    expect(error.message).toMatch(/^base\/registry\.yaml:3:16: not UTF-8 text;/);
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a cut-off sequence', [0xe2, 0x82]],
  ])('refuses %s after valid multi-byte text, counting the column in characters', async (_name, bad) => {
    const bytes = Buffer.concat([Buffer.from('a: "€€'), Buffer.from(bad), Buffer.from('"\n')]);
    const error = await loadError(new LocalConfigSource(makeRepo({ ...repo, 'base/image.yaml': bytes })));
    expect(error).toMatchObject({ code: 'source.not-utf8', context: { file: 'base/image.yaml', line: 1, col: 7 } });
  });

  it('refuses a symbolic link where regops reads files, naming the link (not skipping it)', async () => {
    const dir = makeRepo(repo);
    symlinkSync('../base/registry.yaml', join(dir, 'clusters/lab-1/registry.yaml'));
    const error = await loadError(new LocalConfigSource(dir));
    expect(error).toMatchObject({ code: 'source.symlink', context: { file: 'clusters/lab-1/registry.yaml' } });
    expect(error.message).toMatch(/^clusters\/lab-1\/registry\.yaml: a symbolic link;/);
  });

  it('refuses a linked folder and a linked fleet.yaml', async () => {
    const folder = makeRepo(repo);
    symlinkSync(join(folder, 'groups/prod'), join(folder, 'groups/prod-copy'));
    await expect(new LocalConfigSource(folder).load()).rejects.toMatchObject({ code: 'source.symlink', context: { file: 'groups/prod-copy' } });
    const fleet = makeRepo({ 'real-fleet.yaml': 'kind: Fleet\n' });
    symlinkSync('real-fleet.yaml', join(fleet, 'fleet.yaml'));
    await expect(new LocalConfigSource(fleet).load()).rejects.toMatchObject({ code: 'source.symlink', context: { file: 'fleet.yaml' } });
  });

  it('refuses a named pipe instead of hanging on it', async () => {
    const dir = makeRepo(repo);
    execFileSync('mkfifo', [join(dir, 'base/pruner.yaml')]);
    await expect(new LocalConfigSource(dir).load()).rejects.toMatchObject({ code: 'source.not-regular-file', context: { file: 'base/pruner.yaml' } });
  });

  it('refuses a file over 1 MiB at the line where the limit is crossed', async () => {
    // 100,000 lines of 11 bytes: byte 1,048,576 is on line 95,326 (1,048,576 / 11 = 95,325.1)
    const lines = Array.from({ length: 100_000 }, (_, i) => `k${String(i).padStart(6, '0')}: 1`).join('\n');
    const error = await loadError(new LocalConfigSource(makeRepo({ ...repo, 'base/registry.yaml': `${lines}\n` })));
    expect(error).toMatchObject({ code: 'source.file-too-large', context: { file: 'base/registry.yaml', line: 95_326, limit: INPUT_LIMITS.fileBytes } });
    expect(error.message).toMatch(/^base\/registry\.yaml:95326: 1\.05 MiB, more than the 1 MiB a config file may hold;/);
  });

  it('refuses a repository over its byte limit, naming the file (in path order) that crossed it', async () => {
    const dir = makeRepo(repo);
    // the files in path order hold 9, 22, 4, 12 and 20 bytes: the 4th (fleet.yaml) passes 45, all make 67
    await expect(new LocalConfigSource(dir, { repositoryBytes: 45 }).load()).rejects.toMatchObject({ code: 'source.repository-too-large', context: { file: 'fleet.yaml', line: 1, bytes: 47 } });
    await expect(new LocalConfigSource(dir, { repositoryBytes: 67 }).load()).resolves.toMatchObject({ files: { length: 5 } });
  });
});
