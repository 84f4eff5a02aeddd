/**
 * ConfigSource over the GitHub REST API (@octokit/rest, `baseUrl` for GitHub Enterprise or the test
 * stand-in): the ref is resolved to a commit, the tree is read once (recursive), then only the blobs
 * regops reads (fleet.yaml, base/**, groups/**, clusters/**) are fetched. No clone. A tree GitHub cuts
 * short (`truncated`) is read again folder by folder. Blobs are content-addressed, so the ones read
 * before are kept by SHA: loading the next commit fetches only the files that changed (GitHub's
 * rate limit is 5,000 requests an hour; a 1,000-cluster repository holds thousands of files).
 */
import { Octokit } from '@octokit/rest';
import { CONFIG_FOLDERS, FLEET_FILE, isConfigPath } from '../../core/config-paths.ts';
import type { ConfigSnapshot, SourceFile } from '../../core/model.ts';
import type { ConfigSource } from '../ports.ts';
import { SourceError } from '../errors.ts';
import { toSourceError } from './to-source-error.ts';

export interface GitHubConfigSourceOptions {
  owner: string;
  repo: string;
  /** A token (GITHUB_TOKEN, an app installation token); absent for public repositories. */
  token?: string;
  /** API root; default `https://api.github.com`. */
  baseUrl?: string;
  /** Ref used when load() gets none: default `HEAD` (the default branch). */
  defaultRef?: string;
  /** Blob requests in flight at once (default 8). */
  blobConcurrency?: number;
  /** A ready client (tests, a GitHub App); owner/repo still apply. */
  octokit?: Octokit;
  /** Blob contents kept by SHA between loads (default 20,000; 0 keeps none). */
  blobCacheEntries?: number;
}

interface TreeEntry {
  path?: string;
  type?: string;
  sha?: string;
  mode?: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export class GitHubConfigSource implements ConfigSource {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly blobCache = new Map<string, string>();

  constructor(private readonly options: GitHubConfigSourceOptions) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.octokit =
      options.octokit ??
      new Octokit({
        userAgent: 'regops',
        log: silent,
        ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
        ...(options.token === undefined ? {} : { auth: options.token }),
      });
  }

  async load(ref?: string): Promise<ConfigSnapshot> {
    const wanted = ref ?? this.options.defaultRef ?? 'HEAD';
    const subject = `github ${this.owner}/${this.repo}@${wanted}`;
    const commit = await this.resolveCommit(wanted, subject);
    const blobs = await this.listConfigBlobs(commit, subject);
    const files = await this.readBlobs(blobs, `github ${this.owner}/${this.repo}@${commit.slice(0, 12)}`);
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (!files.some((f) => f.path === FLEET_FILE)) {
      throw new SourceError('source.not-found', `${subject}: no ${FLEET_FILE} at commit ${commit}; is this a regops config repository?`, { commit, ref: wanted });
    }
    return { commit, files };
  }

  /** A full SHA is taken as is (no request); a branch, tag or HEAD costs one request. */
  private async resolveCommit(ref: string, subject: string): Promise<string> {
    if (FULL_SHA.test(ref)) return ref.toLowerCase();
    try {
      const answer = await this.octokit.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref, per_page: 1 });
      return answer.data.sha;
    } catch (error) {
      throw toSourceError(error, subject, 'resolving the ref', { ref });
    }
  }

  private async readTree(sha: string, recursive: boolean, subject: string, path: string): Promise<{ entries: TreeEntry[]; truncated: boolean }> {
    try {
      const answer = await this.octokit.rest.git.getTree({ owner: this.owner, repo: this.repo, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) });
      return { entries: answer.data.tree, truncated: answer.data.truncated };
    } catch (error) {
      throw toSourceError(error, `${subject}: ${path === '' ? '/' : path}`, 'reading the tree', { sha });
    }
  }

  /** Blob entries (full paths) under a tree; a truncated recursive listing is redone level by level. */
  private async listBlobsUnder(sha: string, prefix: string, subject: string): Promise<Array<{ path: string; sha: string }>> {
    const recursive = await this.readTree(sha, true, subject, prefix);
    if (!recursive.truncated) {
      return recursive.entries.filter((e) => e.type === 'blob' && e.mode !== '120000' && e.path !== undefined && e.sha !== undefined).map((e) => ({ path: `${prefix}${e.path ?? ''}`, sha: e.sha ?? '' }));
    }
    const level = await this.readTree(sha, false, subject, prefix);
    if (level.truncated) {
      throw new SourceError('source.too-large', `${subject}: ${prefix === '' ? '/' : prefix}: even one level of the tree is too large for the GitHub API`, { sha });
    }
    const out: Array<{ path: string; sha: string }> = [];
    for (const entry of level.entries) {
      if (entry.path === undefined || entry.sha === undefined) continue;
      if (entry.type === 'blob' && entry.mode !== '120000') out.push({ path: `${prefix}${entry.path}`, sha: entry.sha });
      if (entry.type === 'tree') out.push(...(await this.listBlobsUnder(entry.sha, `${prefix}${entry.path}/`, subject)));
    }
    return out;
  }

  private async listConfigBlobs(commit: string, subject: string): Promise<Array<{ path: string; sha: string }>> {
    // tree_sha may name the commit: GitHub lists its root tree
    const root = await this.readTree(commit, true, subject, '');
    if (!root.truncated) {
      return root.entries.filter((e) => e.type === 'blob' && e.mode !== '120000' && e.path !== undefined && e.sha !== undefined && isConfigPath(e.path)).map((e) => ({ path: e.path ?? '', sha: e.sha ?? '' }));
    }
    // too large for one listing: read the root level, then only the folders regops reads
    const level = await this.readTree(commit, false, subject, '');
    const out: Array<{ path: string; sha: string }> = [];
    for (const entry of level.entries) {
      if (entry.path === undefined || entry.sha === undefined) continue;
      if (entry.type === 'blob' && entry.path === FLEET_FILE) out.push({ path: entry.path, sha: entry.sha });
      if (entry.type === 'tree' && (CONFIG_FOLDERS as readonly string[]).includes(entry.path)) out.push(...(await this.listBlobsUnder(entry.sha, `${entry.path}/`, subject)));
    }
    return out;
  }

  private remember(sha: string, content: string): void {
    const limit = this.options.blobCacheEntries ?? 20_000;
    if (limit <= 0) return;
    // oldest first out: a Map iterates in insertion order
    if (this.blobCache.size >= limit) {
      const oldest = this.blobCache.keys().next();
      if (oldest.done !== true) this.blobCache.delete(oldest.value);
    }
    this.blobCache.set(sha, content);
  }

  private async readBlobs(blobs: ReadonlyArray<{ path: string; sha: string }>, subject: string): Promise<SourceFile[]> {
    const files: SourceFile[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < blobs.length) {
        const blob = blobs[next];
        next += 1;
        if (blob === undefined) continue;
        const cached = this.blobCache.get(blob.sha);
        if (cached !== undefined) {
          files.push({ path: blob.path, content: cached });
          continue;
        }
        try {
          const answer = await this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: blob.sha });
          const content = answer.data.encoding === 'base64' ? Buffer.from(answer.data.content, 'base64').toString('utf8') : answer.data.content;
          this.remember(blob.sha, content);
          files.push({ path: blob.path, content });
        } catch (error) {
          throw toSourceError(error, `${subject}: ${blob.path}`, 'reading the file', { file: blob.path, sha: blob.sha });
        }
      }
    };
    const workers = Math.max(1, Math.min(this.options.blobConcurrency ?? 8, blobs.length));
    await Promise.all(Array.from({ length: workers }, () => worker()));
    return files;
  }
}
