// The GitHub stand-in, driven by the real @octokit/rest: GitHub's REST shapes, git's own object ids
// (checked against the git binary), request recording and extra routes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn } from '../../support/github-stand-in.ts';
import type { GitHubStandIn } from '../../support/github-stand-in.ts';

const files = {
  'fleet.yaml': 'apiVersion: regops/v1\nkind: Fleet\n',
  'base/registry.yaml': 'spec:\n  replicas: 2\n',
  'clusters/prod-eu-1/registry.yaml': 'spec:\n  replicas: 3\n',
  'clusters/prod-eu-1/trusted-cas/registry.example.com..5000.pem': '-----BEGIN CERTIFICATE-----\n',
  'README.md': '# fleet\n',
};

/** The tree SHA the real git computes for the same files. */
function gitTreeSha(content: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'regops-git-'));
  try {
    for (const [path, text] of Object.entries(content)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    return git('write-tree');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// octokit logs each 404 it receives; the 404s here are the point of a test
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('GitHub stand-in with @octokit/rest', () => {
  let standIn: GitHubStandIn;
  let octokit: Octokit;
  let first: string;
  let second: string;

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    octokit = new Octokit({ baseUrl: standIn.url, auth: 'test-token', log: quiet });
    first = standIn.addCommit('acme', 'fleet', files);
    second = standIn.addCommit('acme', 'fleet', { ...files, 'base/registry.yaml': 'spec:\n  replicas: 4\n' });
  });
  afterAll(async () => {
    await standIn.stop();
  });

  it('resolves a branch ref to the newest commit, whose parent is the previous one', async () => {
    const ref = await octokit.rest.git.getRef({ owner: 'acme', repo: 'fleet', ref: 'heads/main' });
    expect(ref.data.object.sha).toBe(second);
    const commit = await octokit.rest.git.getCommit({ owner: 'acme', repo: 'fleet', commit_sha: second });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([first]);
    const viaRepos = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'fleet', ref: 'main' });
    expect(viaRepos.data.sha).toBe(second);
    expect(viaRepos.data.commit.tree.sha).toBe(commit.data.tree.sha);
  });

  it('hashes trees exactly as git does', async () => {
    const commit = await octokit.rest.git.getCommit({ owner: 'acme', repo: 'fleet', commit_sha: first });
    expect(commit.data.tree.sha).toBe(gitTreeSha(files));
  });

  it('lists a recursive tree with blobs and subtrees and serves blobs as base64', async () => {
    const tree = await octokit.rest.git.getTree({ owner: 'acme', repo: 'fleet', tree_sha: first, recursive: '1' });
    expect(tree.data.truncated).toBe(false);
    const blobs = tree.data.tree.filter((e) => e.type === 'blob').map((e) => e.path);
    expect(blobs.sort()).toEqual(Object.keys(files).sort());
    expect(tree.data.tree.filter((e) => e.type === 'tree').map((e) => e.path)).toEqual(
      expect.arrayContaining(['base', 'clusters', 'clusters/prod-eu-1', 'clusters/prod-eu-1/trusted-cas']),
    );
    const entry = tree.data.tree.find((e) => e.path === 'clusters/prod-eu-1/registry.yaml');
    const blob = await octokit.rest.git.getBlob({ owner: 'acme', repo: 'fleet', file_sha: entry?.sha ?? '' });
    expect(blob.data.encoding).toBe('base64');
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(files['clusters/prod-eu-1/registry.yaml']);
  });

  it('lists only the top level without recursive', async () => {
    const tree = await octokit.rest.git.getTree({ owner: 'acme', repo: 'fleet', tree_sha: first });
    expect(tree.data.tree.map((e) => e.path)).toEqual(['README.md', 'base', 'clusters', 'fleet.yaml']);
  });

  it('answers 404 in GitHub shape for unknown repos, refs and objects', async () => {
    const cases = [
      () => octokit.rest.git.getRef({ owner: 'acme', repo: 'nope', ref: 'heads/main' }),
      () => octokit.rest.git.getRef({ owner: 'acme', repo: 'fleet', ref: 'heads/nope' }),
      () => octokit.rest.git.getBlob({ owner: 'acme', repo: 'fleet', file_sha: '0'.repeat(40) }),
    ];
    for (const call of cases) await expect(call()).rejects.toMatchObject({ status: 404, message: expect.stringContaining('Not Found') });
  });

  it('records every request with method, path, query and body', async () => {
    const before = standIn.requests.length;
    await octokit.rest.git.getTree({ owner: 'acme', repo: 'fleet', tree_sha: second, recursive: '1' });
    expect(standIn.requests.slice(before)).toEqual([
      expect.objectContaining({ method: 'GET', path: `/repos/acme/fleet/git/trees/${second}`, query: { recursive: '1' }, body: undefined }),
    ]);
  });

  it('lets other helpers add routes that see the JSON body', async () => {
    standIn.route('POST', /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/, (req) => ({
      status: 201,
      body: { id: 7, name: (req.body as { name: string }).name, repo: req.match[2] },
    }));
    const run = await octokit.rest.checks.create({ owner: 'acme', repo: 'fleet', name: 'regops plan', head_sha: second });
    expect(run.status).toBe(201);
    expect(run.data).toMatchObject({ id: 7, name: 'regops plan', repo: 'fleet' });
    expect(standIn.requests.at(-1)).toMatchObject({ method: 'POST', path: '/repos/acme/fleet/check-runs', body: { name: 'regops plan', head_sha: second } });
  });

  it('cuts recursive trees short with truncated: true when asked to', async () => {
    const small = await startGitHubStandIn({ truncateRecursiveTreesAbove: 3 });
    try {
      const sha = small.addCommit('acme', 'fleet', files);
      const client = new Octokit({ baseUrl: small.url });
      const tree = await client.rest.git.getTree({ owner: 'acme', repo: 'fleet', tree_sha: sha, recursive: '1' });
      expect(tree.data.truncated).toBe(true);
      expect(tree.data.tree).toHaveLength(3);
    } finally {
      await small.stop();
    }
  });
});
