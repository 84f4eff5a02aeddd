/**
 * `regops validate` on config repositories crafted to hang, exhaust memory or slip through (issue 10
 * items 5 and 8): each is refused with exit 1 and a message naming FILE:LINE(:COL), through the real
 * command line (runRegops) and the real local-folder and GitHub adapters (the GitHub stand-in).
 * Timing is not asserted here; `npm run bench` shows it (test/bench/input-limits.bench.ts).
 */
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { aliasBomb } from '../../support/hostile-yaml.ts';

let work: string;

async function validateCopy(change: (dir: string) => Promise<void>): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await mkdtemp(join(work, 'config-'));
  await cp('config', dir, { recursive: true });
  await change(dir);
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(['validate', '--config', dir]));
  return { code, stdout, stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regops-limits-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('regops validate refuses hostile input with FILE:LINE and exit 1', () => {
  it('an alias bomb (10^9 nodes from 400 bytes): yaml.alias-limit at the alias that crosses the limit', async () => {
    const result = await validateCopy((dir) => writeFile(join(dir, 'clusters/prod-eu-1/registry.yaml'), `spec:\n  x:\n${aliasBomb('    ')}`));
    expect(result.code).toBe(1);
    // the 8th alias on the bomb's fourth line (line 6 of the file, col 36 + 4 of indentation)
    expect(result.stdout).toMatch(/^clusters\/prod-eu-1\/registry\.yaml:6:40: error yaml\.alias-limit: alias \*c expands the file past 10000 nodes/m);
    expect(result.stdout).toMatch(/: invalid: 6 clusters, 1 error, /);
  });

  it('a file that is not UTF-8: source.not-utf8 at the first bad byte (it used to pass as U+FFFD)', async () => {
    const result = await validateCopy(async (dir) => {
      const registry = readFileSync(join(dir, 'base/registry.yaml'));
      // Latin-1 "é" (one byte 0xe9) in a comment on a new last line
      await writeFile(join(dir, 'base/registry.yaml'), Buffer.concat([registry, Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    });
    const lines = readFileSync('config/base/registry.yaml', 'utf8').split('\n').length;
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`regops: base/registry.yaml:${lines}:6: not UTF-8 text; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8) (source.not-utf8)\n`);
  });

  it('a symbolic link under clusters/: source.symlink naming the link (it used to be skipped silently)', async () => {
    const result = await validateCopy(async (dir) => {
      await rm(join(dir, 'clusters/prod-eu-1/registry.yaml'));
      await symlink('../prod-us-1/registry.yaml', join(dir, 'clusters/prod-eu-1/registry.yaml'));
    });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^regops: clusters\/prod-eu-1\/registry\.yaml: a symbolic link; regops reads only regular files .* \(source\.symlink\)\n$/);
  });

  it('a file over 1 MiB: source.file-too-large at the line where the limit is crossed', async () => {
    const result = await validateCopy((dir) => writeFile(join(dir, 'clusters/lab-bm-1/image.yaml'), `${'# padding\n'.repeat(110_000)}spec: {}\n`));
    expect(result.code).toBe(1);
    // 10 bytes a line: byte 1,048,576 is on line 104,858
    expect(result.stderr).toMatch(/^regops: clusters\/lab-bm-1\/image\.yaml:104858: 1\.05 MiB, more than the 1 MiB a config file may hold; .* \(source\.file-too-large\)\n$/);
  });

  describe('from GitHub (--github OWNER/REPO@SHA)', () => {
    let github: GitHubStandIn;
    beforeAll(async () => {
      github = await startGitHubStandIn();
    });
    afterAll(async () => {
      await github.stop();
    });

    it('a symbolic link (mode 120000) and a blob that is not UTF-8 are refused the same way', async () => {
      const files = Object.fromEntries(['fleet.yaml', 'base/registry.yaml', 'base/pruner.yaml'].map((p) => [p, readFileSync(join('config', p), 'utf8')]));
      const linked = github.addCommit('acme', 'linked', { ...files, 'clusters/prod-eu-1/registry.yaml': { symlink: '../../base/registry.yaml' } });
      const latin1 = github.addCommit('acme', 'latin1', { ...files, 'base/pruner.yaml': Buffer.from([0x23, 0x20, 0xff, 0x0a]) });
      process.env['GITHUB_API_URL'] = github.url;
      try {
        const first = await captureOutput(() => runRegops(['validate', '--github', `acme/linked@${linked}`]));
        expect(first).toMatchObject({ result: 1, stderr: expect.stringMatching(/^regops: clusters\/prod-eu-1\/registry\.yaml: a symbolic link; .* \(source\.symlink\)\n$/) });
        const second = await captureOutput(() => runRegops(['validate', '--github', `acme/latin1@${latin1}`]));
        expect(second).toMatchObject({ result: 1, stderr: expect.stringMatching(/^regops: base\/pruner\.yaml:1:3: not UTF-8 text; .* \(source\.not-utf8\)\n$/) });
      } finally {
        delete process.env['GITHUB_API_URL'];
      }
    });
  });
});
