// GitHubConfigSource with the real @octokit/rest against the GitHub stand-in: one tree read plus the
// blobs regops needs (requests counted), refs resolved, truncated trees read folder by folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubConfigSource } from '../../../functions/adapters/github/github-config-source.ts';
import { startGitHubStandIn } from '../../support/github-stand-in.ts';
import type { GitHubStandIn } from '../../support/github-stand-in.ts';

const repoFiles = {
  'fleet.yaml': 'apiVersion: regops/v1\nkind: Fleet\n',
  'base/registry.yaml': 'spec:\n  replicas: 2\n',
  'base/pruner.yaml': 'spec:\n  schedule: "0 0 * * *"\n',
  'groups/prod/registry.yaml': 'spec:\n  replicas: 3\n',
  'clusters/prod-eu-1/storage.yaml': 'kind: RegistryStorage\n',
  'clusters/prod-eu-1/trusted-cas/registry.example.com..5000.pem': '-----BEGIN CERTIFICATE-----\n',
  'README.md': '# not read\n',
  'docs/howto.md': 'not read\n',
  '.github/workflows/ci.yaml': 'not read\n',
};
const configPaths = Object.keys(repoFiles).filter((p) => p === 'fleet.yaml' || /^(base|groups|clusters)\//.test(p)).sort();

describe('GitHubConfigSource', () => {
  let standIn: GitHubStandIn;
  let head: string;
  let older: string;

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    older = standIn.addCommit('acme', 'fleet', { ...repoFiles, 'base/registry.yaml': 'spec:\n  replicas: 1\n' });
    head = standIn.addCommit('acme', 'fleet', repoFiles);
  });
  afterAll(async () => {
    await standIn.stop();
  });

  const source = () => new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: standIn.url, token: 'ghs_test' });

  it('fetches only the changed blobs when the same source loads a later commit', async () => {
    const reused = source();
    await reused.load(older);
    const before = standIn.requests.length;
    const snapshot = await reused.load(head);
    const blobs = standIn.requests.slice(before).filter((r) => r.path.includes('/git/blobs/'));
    // older and head differ in base/registry.yaml only
    expect(blobs).toHaveLength(1);
    expect(snapshot.files.find((f) => f.path === 'base/registry.yaml')?.content).toBe('spec:\n  replicas: 2\n');
    expect(snapshot.files.map((f) => f.path)).toEqual(configPaths);
  });

  it('reads a commit with exactly one tree request and one blob request per config file', async () => {
    const before = standIn.requests.length;
    const snapshot = await source().load(head);
    const sent = standIn.requests.slice(before);
    expect(snapshot.commit).toBe(head);
    expect(snapshot.files.map((f) => f.path)).toEqual(configPaths);
    expect(snapshot.files.find((f) => f.path === 'groups/prod/registry.yaml')?.content).toBe('spec:\n  replicas: 3\n');
    expect(sent.filter((r) => r.path.includes('/git/trees/'))).toEqual([expect.objectContaining({ path: `/repos/acme/fleet/git/trees/${head}`, query: { recursive: '1' } })]);
    expect(sent.filter((r) => r.path.includes('/git/blobs/'))).toHaveLength(configPaths.length);
    expect(sent).toHaveLength(1 + configPaths.length);
    expect(sent.every((r) => r.method === 'GET' && r.headers['authorization'] === 'token ghs_test')).toBe(true);
  });

  it.each([
    { name: 'a branch', ref: 'main' },
    { name: 'HEAD (the default branch)', ref: undefined },
  ])('resolves $name to its commit with one request', async ({ ref }) => {
    const before = standIn.requests.length;
    const snapshot = await source().load(ref);
    expect(snapshot.commit).toBe(head);
    expect(standIn.requests.slice(before).filter((r) => r.path.includes('/commits/'))).toHaveLength(1);
  });

  it('reads an older commit as it was', async () => {
    const snapshot = await source().load(older);
    expect(snapshot.files.find((f) => f.path === 'base/registry.yaml')?.content).toBe('spec:\n  replicas: 1\n');
  });

  it('maps a missing repo or ref to source.not-found naming the subject', async () => {
    await expect(new GitHubConfigSource({ owner: 'acme', repo: 'nope', baseUrl: standIn.url }).load('main')).rejects.toMatchObject({
      code: 'source.not-found',
      message: expect.stringMatching(/^github acme\/nope@main: resolving the ref failed \(404\): Not Found/),
    });
    await expect(source().load('no-such-branch')).rejects.toMatchObject({ code: 'source.not-found' });
  });

  it('maps a rate limit answer to source.throttled with the wait', async () => {
    const limited = await startGitHubStandIn();
    try {
      const sha = limited.addCommit('acme', 'fleet', repoFiles);
      limited.route('GET', /\/git\/trees\//, () => ({ status: 429, body: { message: 'API rate limit exceeded' }, headers: { 'retry-after': '30' } }));
      await expect(new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: limited.url }).load(sha)).rejects.toMatchObject({
        code: 'source.throttled',
        context: { retryAfterMs: 30_000, status: 429 },
      });
    } finally {
      await limited.stop();
    }
  });

  it('maps a 403 with an exhausted rate limit to source.throttled until the reset, and a plain 403 to source.forbidden', async () => {
    const limited = await startGitHubStandIn();
    try {
      const sha = limited.addCommit('acme', 'fleet', repoFiles);
      const reset = Math.floor(Date.now() / 1000) + 600;
      limited.route('GET', /\/git\/trees\//, () => ({ status: 403, body: { message: 'API rate limit exceeded for installation' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }));
      const error = await new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: limited.url }).load(sha).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'source.throttled', context: { status: 403 } });
      expect((error as { context: { retryAfterMs: number } }).context.retryAfterMs).toBeGreaterThan(500_000);
    } finally {
      await limited.stop();
    }
    const denied = await startGitHubStandIn();
    try {
      const sha = denied.addCommit('acme', 'fleet', repoFiles);
      denied.route('GET', /\/git\/trees\//, () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }));
      await expect(new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: denied.url }).load(sha)).rejects.toMatchObject({
        code: 'source.forbidden',
        message: expect.stringContaining('reading the tree failed (403): Resource not accessible by integration'),
      });
    } finally {
      await denied.stop();
    }
  });

  it('falls back to per-folder reads when GitHub truncates the recursive tree', async () => {
    const small = await startGitHubStandIn({ truncateRecursiveTreesAbove: 4 });
    try {
      const sha = small.addCommit('acme', 'fleet', repoFiles);
      const snapshot = await new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: small.url }).load(sha);
      expect(snapshot.files.map((f) => f.path)).toEqual(configPaths);
      const trees = small.requests.filter((r) => r.path.includes('/git/trees/'));
      // root (recursive, truncated), root level, then base/, groups/, clusters/: never docs/ or .github/
      expect(trees.map((r) => r.query['recursive'] ?? 'level')).toEqual(['1', 'level', '1', '1', '1']);
      expect(small.requests.filter((r) => r.path.includes('/git/blobs/'))).toHaveLength(configPaths.length);
    } finally {
      await small.stop();
    }
  });

  it('refuses a repository without fleet.yaml', async () => {
    const sha = standIn.addCommit('acme', 'other', { 'README.md': 'x' });
    await expect(new GitHubConfigSource({ owner: 'acme', repo: 'other', baseUrl: standIn.url }).load(sha)).rejects.toMatchObject({ code: 'source.not-found' });
  });

  describe('input limits (issue 10 items 5 and 8)', () => {
    const load = (files: Parameters<GitHubStandIn['addCommit']>[2], options: { repositoryBytes?: number } = {}) => {
      const sha = standIn.addCommit('acme', 'limits', files);
      return new GitHubConfigSource({ owner: 'acme', repo: 'limits', baseUrl: standIn.url, ...options }).load(sha);
    };

    it('refuses a symbolic link (mode 120000) under a config folder, naming it, where it used to be skipped', async () => {
      await expect(load({ ...repoFiles, 'clusters/prod-eu-1/registry.yaml': { symlink: '../../base/registry.yaml' } })).rejects.toMatchObject({
        code: 'source.symlink',
        context: { file: 'clusters/prod-eu-1/registry.yaml' },
        message: expect.stringMatching(/^clusters\/prod-eu-1\/registry\.yaml: a symbolic link;/),
      });
      // a link outside the folders regops reads is none of its business
      await expect(load({ ...repoFiles, 'docs/latest.md': { symlink: 'howto.md' } })).resolves.toMatchObject({ files: { length: configPaths.length } });
    });

    it('refuses a blob that is not UTF-8 at FILE:LINE:COL', async () => {
      const latin1 = Buffer.concat([Buffer.from('spec:\n  replicas: 2 # r'), Buffer.from([0xe9]), Buffer.from('plicas\n')]);
      await expect(load({ ...repoFiles, 'base/registry.yaml': latin1 })).rejects.toMatchObject({
        code: 'source.not-utf8',
        context: { file: 'base/registry.yaml', line: 2, col: 18 },
      });
    });

    it('refuses a file over 1 MiB from the tree listing, before fetching any blob', async () => {
      const before = standIn.requests.length;
      await expect(load({ ...repoFiles, 'clusters/prod-eu-1/image.yaml': `# ${'x'.repeat(1024 * 1024)}\n` })).rejects.toMatchObject({
        code: 'source.file-too-large',
        context: { file: 'clusters/prod-eu-1/image.yaml', bytes: 1024 * 1024 + 3 },
      });
      expect(standIn.requests.slice(before).filter((r) => r.path.includes('/git/blobs/'))).toEqual([]);
    });

    it('refuses a repository over its byte limit, naming the file that crossed it', async () => {
      const total = configPaths.reduce((sum, path) => sum + Buffer.byteLength(repoFiles[path as keyof typeof repoFiles]), 0);
      await expect(load(repoFiles, { repositoryBytes: total - 1 })).rejects.toMatchObject({ code: 'source.repository-too-large', context: { file: configPaths[configPaths.length - 1], bytes: total } });
      await expect(load(repoFiles, { repositoryBytes: total })).resolves.toMatchObject({ files: { length: configPaths.length } });
    });
  });
});
