/**
 * A local stand-in for the GitHub REST API (docs/interfaces.md §3): git refs, commits, trees (recursive)
 * and blobs in GitHub's response shapes, over plain node:http, so @octokit/rest runs unmodified
 * against it with `baseUrl: standIn.url`. Every request is recorded; `route()` lets other test
 * helpers add endpoints (check-runs, statuses, comments...). Routes added with `route()` are tried
 * before the built-in ones, so a test can also override a built-in answer (e.g. to return a 500).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitObjectStore } from './github/git-objects.ts';
import type { GitFileContent, StoredCommit } from './github/git-objects.ts';

export interface RecordedRequest {
  method: string;
  /** URL path without the query string, e.g. `/repos/acme/fleet/git/trees/<sha>`. */
  path: string;
  /** Parsed JSON body, the raw text when not JSON, undefined when empty. */
  body: unknown;
  /** Query string parameters, e.g. `{recursive: '1'}`. */
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  path: string;
  match: RegExpMatchArray;
  body: unknown;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface RouteResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: RouteRequest) => RouteResponse | Promise<RouteResponse>;

export interface GitHubStandInOptions {
  /**
   * Recursive tree reads listing more entries than this come back cut short with
   * `truncated: true`, as GitHub does above its limits (100,000 entries / 7 MB).
   */
  truncateRecursiveTreesAbove?: number;
}

export interface GitHubStandIn {
  /** Base URL for @octokit/rest `baseUrl`. */
  url: string;
  requests: RecordedRequest[];
  /**
   * Commits `files` (the complete tree of the new commit, `/`-separated paths) on `branch`
   * (default `main`) with the branch's current head as parent. Returns the commit SHA.
   */
  addCommit(owner: string, repo: string, files: Record<string, GitFileContent>, branch?: string): string;
  route(method: string, pattern: RegExp, handler: RouteHandler): void;
  stop(): Promise<void>;
}

interface RepoState {
  defaultBranch: string;
  branches: Map<string, string>;
  tags: Map<string, string>;
}

const notFound: RouteResponse = {
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const store = new GitObjectStore();
  const repos = new Map<string, RepoState>();
  const requests: RecordedRequest[] = [];
  const customRoutes: Array<{ method: string; pattern: RegExp; handler: RouteHandler }> = [];
  let url = '';
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const repoKey = (owner: string, repo: string): string => `${owner.toLowerCase()}/${repo.toLowerCase()}`;
  const apiUrl = (owner: string, repo: string, rest: string): string => `${url}/repos/${owner}/${repo}${rest}`;

  /** A branch, tag, `heads/x`, `tags/x` or a (full) commit SHA → commit SHA. */
  function resolveCommitish(state: RepoState, ref: string): string | undefined {
    const name = ref.replace(/^refs\//, '');
    // like GitHub, HEAD names the default branch
    if (name === 'HEAD') return state.branches.get(state.defaultBranch);
    if (name.startsWith('heads/')) return state.branches.get(name.slice(6));
    if (name.startsWith('tags/')) return state.tags.get(name.slice(5));
    const direct = state.branches.get(name) ?? state.tags.get(name);
    if (direct !== undefined) return direct;
    return store.get(name)?.type === 'commit' ? name : undefined;
  }

  function commitJson(owner: string, repo: string, commit: StoredCommit): Record<string, unknown> {
    const person = { name: 'regops-test', email: 'regops-test@example.com', date: commit.date };
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 12)}`,
      url: apiUrl(owner, repo, `/git/commits/${commit.sha}`),
      html_url: `https://github.com/${owner}/${repo}/commit/${commit.sha}`,
      author: person,
      committer: person,
      message: commit.message,
      tree: { sha: commit.tree, url: apiUrl(owner, repo, `/git/trees/${commit.tree}`) },
      parents: commit.parents.map((sha) => ({ sha, url: apiUrl(owner, repo, `/git/commits/${sha}`) })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    };
  }

  function refJson(owner: string, repo: string, ref: string, sha: string): Record<string, unknown> {
    return {
      ref,
      node_id: `REF_${sha.slice(0, 12)}`,
      url: apiUrl(owner, repo, `/git/${ref}`),
      object: { sha, type: 'commit', url: apiUrl(owner, repo, `/git/commits/${sha}`) },
    };
  }

  function treeEntriesJson(owner: string, repo: string, treeSha: string, recursive: boolean, prefix = ''): Array<Record<string, unknown>> {
    const tree = store.get(treeSha);
    if (tree?.type !== 'tree') return [];
    const out: Array<Record<string, unknown>> = [];
    for (const entry of tree.entries) {
      const path = `${prefix}${entry.name}`;
      if (entry.type === 'blob') {
        const blob = store.get(entry.sha);
        const size = blob?.type === 'blob' ? blob.content.length : 0;
        out.push({ path, mode: entry.mode, type: 'blob', sha: entry.sha, size, url: apiUrl(owner, repo, `/git/blobs/${entry.sha}`) });
      } else {
        out.push({ path, mode: entry.mode, type: 'tree', sha: entry.sha, url: apiUrl(owner, repo, `/git/trees/${entry.sha}`) });
        if (recursive) out.push(...treeEntriesJson(owner, repo, entry.sha, true, `${path}/`));
      }
    }
    return out;
  }

  const builtInRoutes: Array<{ method: string; pattern: RegExp; handler: (m: RegExpMatchArray, q: Record<string, string>, state: RepoState) => RouteResponse }> = [
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
      handler: (m, _q, state) => ({
        status: 200,
        body: { name: m[2], full_name: `${m[1]}/${m[2]}`, private: true, default_branch: state.defaultBranch, owner: { login: m[1] } },
      }),
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/ref\/(.+)$/,
      handler: (m, _q, state) => {
        const ref = decodeURIComponent(m[3] ?? '');
        if (!/^(heads|tags)\//.test(ref)) return notFound;
        const sha = resolveCommitish(state, ref);
        return sha === undefined ? notFound : { status: 200, body: refJson(m[1] ?? '', m[2] ?? '', `refs/${ref}`, sha) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/matching-refs\/(.+)$/,
      handler: (m, _q, state) => {
        const prefix = `refs/${decodeURIComponent(m[3] ?? '')}`;
        const all = [
          ...[...state.branches].map(([n, sha]) => [`refs/heads/${n}`, sha] as const),
          ...[...state.tags].map(([n, sha]) => [`refs/tags/${n}`, sha] as const),
        ];
        return { status: 200, body: all.filter(([r]) => r.startsWith(prefix)).map(([r, sha]) => refJson(m[1] ?? '', m[2] ?? '', r, sha)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/,
      handler: (m, _q, state) => {
        const name = decodeURIComponent(m[3] ?? '');
        const sha = state.branches.get(name);
        const commit = sha === undefined ? undefined : store.get(sha);
        if (commit?.type !== 'commit') return notFound;
        return { status: 200, body: { name, commit: { sha: commit.sha, commit: commitJson(m[1] ?? '', m[2] ?? '', commit) }, protected: false } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)$/,
      handler: (m, _q, state) => {
        const sha = resolveCommitish(state, decodeURIComponent(m[3] ?? ''));
        const commit = sha === undefined ? undefined : store.get(sha);
        if (commit?.type !== 'commit') return notFound;
        const owner = m[1] ?? '';
        const repo = m[2] ?? '';
        return {
          status: 200,
          body: {
            sha: commit.sha,
            node_id: `C_${commit.sha.slice(0, 12)}`,
            url: apiUrl(owner, repo, `/commits/${commit.sha}`),
            commit: commitJson(owner, repo, commit),
            parents: commit.parents.map((p) => ({ sha: p, url: apiUrl(owner, repo, `/commits/${p}`) })),
            files: [],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([0-9a-f]{40})$/,
      handler: (m) => {
        const commit = store.get(m[3] ?? '');
        return commit?.type === 'commit' ? { status: 200, body: commitJson(m[1] ?? '', m[2] ?? '', commit) } : notFound;
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/(.+)$/,
      handler: (m, q, state) => {
        const owner = m[1] ?? '';
        const repo = m[2] ?? '';
        // like GitHub, tree_sha may also name a commit or a branch: its root tree is listed
        let sha = decodeURIComponent(m[3] ?? '');
        const commitSha = store.get(sha)?.type === 'commit' ? sha : resolveCommitish(state, sha);
        const commit = commitSha === undefined ? undefined : store.get(commitSha);
        if (commit?.type === 'commit') sha = commit.tree;
        if (store.get(sha)?.type !== 'tree') return notFound;
        // GitHub treats any value of `recursive` as true
        const recursive = q['recursive'] !== undefined;
        let tree = treeEntriesJson(owner, repo, sha, recursive);
        let truncated = false;
        const limit = options.truncateRecursiveTreesAbove;
        if (recursive && limit !== undefined && tree.length > limit) {
          tree = tree.slice(0, limit);
          truncated = true;
        }
        return { status: 200, body: { sha, url: apiUrl(owner, repo, `/git/trees/${sha}`), tree, truncated } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/,
      handler: (m) => {
        const blob = store.get(m[3] ?? '');
        if (blob?.type !== 'blob') return notFound;
        // GitHub wraps the base64 content at 60 characters per line
        const content = (blob.content.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
        return {
          status: 200,
          body: {
            sha: blob.sha,
            node_id: `B_${blob.sha.slice(0, 12)}`,
            size: blob.content.length,
            url: apiUrl(m[1] ?? '', m[2] ?? '', `/git/blobs/${blob.sha}`),
            content: content === '' ? '' : `${content}\n`,
            encoding: 'base64',
          },
        };
      },
    },
  ];

  async function answer(req: IncomingMessage): Promise<RouteResponse> {
    const parsed = new URL(req.url ?? '/', 'http://stand-in');
    const path = parsed.pathname;
    const query = Object.fromEntries(parsed.searchParams);
    const headers = flattenHeaders(req);
    const body = parseBody(await readBody(req));
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({ method, path, body, query, headers });

    for (const route of customRoutes) {
      const match = route.method === method ? path.match(route.pattern) : null;
      if (match !== null) return route.handler({ method, path, match, body, query, headers });
    }
    for (const route of builtInRoutes) {
      const match = route.method === method ? path.match(route.pattern) : null;
      if (match === null) continue;
      const state = repos.get(repoKey(match[1] ?? '', match[2] ?? ''));
      return state === undefined ? notFound : route.handler(match, query, state);
    }
    return notFound;
  }

  let requestId = 0;
  function send(res: ServerResponse, response: RouteResponse): void {
    requestId += 1;
    const text = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-github-request-id': `STAND-IN:${requestId}`,
      ...response.headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    answer(req).then(
      (response) => send(res, response),
      (error: unknown) => send(res, { status: 500, body: { message: error instanceof Error ? error.message : 'stand-in error' } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    addCommit(owner, repo, files, branch = 'main') {
      const key = repoKey(owner, repo);
      let state = repos.get(key);
      if (state === undefined) {
        state = { defaultBranch: branch, branches: new Map(), tags: new Map() };
        repos.set(key, state);
      }
      const parent = state.branches.get(branch);
      const tree = store.addTree(files);
      clock += 60_000;
      const sha = store.addCommit(tree, parent === undefined ? [] : [parent], `commit ${state.branches.size}:${clock}`, new Date(clock).toISOString());
      state.branches.set(branch, sha);
      return sha;
    },
    route(method, pattern, handler) {
      customRoutes.push({ method: method.toUpperCase(), pattern, handler });
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      });
    },
  };
}
