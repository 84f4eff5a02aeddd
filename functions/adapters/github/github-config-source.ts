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
import type { ConfigSource } from '../../engine/ports.ts';
import { INPUT_LIMITS } from '../../core/input-limits.ts';
import { checkFileSize, checkRepositorySize, decodeConfigFile } from '../decode-config-file.ts';
import { SourceError } from '../errors.ts';
import { toSourceError } from './to-source-error.ts';
import { rememberSecret } from '../secrets/redact-secrets.ts';

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
  /** Bytes all config files together may hold (default INPUT_LIMITS.repositoryBytes; tests lower it). */
  repositoryBytes?: number;
}

interface TreeEntry {
  path?: string;
  type?: string;
  sha?: string;
  mode?: string;
  size?: number;
}

interface BlobEntry {
  path: string;
  sha: string;
  size: number;
}

/**
 * A config blob to read, or a refusal: a symbolic link (mode 120000, whose blob is the target's path)
 * or a submodule (type commit) where regops reads files is an error naming it, not skipped silently.
 */
function toBlobEntry(entry: TreeEntry, path: string): BlobEntry | undefined {
  if (entry.sha === undefined) return undefined;
  if (entry.mode === '120000' || entry.type === 'commit') {
    const what = entry.mode === '120000' ? 'a symbolic link' : 'a submodule';
    throw new SourceError(entry.mode === '120000' ? 'source.symlink' : 'source.not-regular-file', `${path}: ${what}; regops reads only regular files in fleet.yaml, base/, groups/ and clusters/ (a link is not followed); commit the file itself there`, {
      file: path,
    });
  }
  if (entry.type !== 'blob') return undefined;
  return { path, sha: entry.sha, size: entry.size ?? 0 };
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export class GitHubConfigSource implements ConfigSource {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly blobCache = new Map<string, string>();

  constructor(private readonly options: GitHubConfigSourceOptions) {
    // a server echoing the token (an error message) must not print it (secrets/redact-secrets.ts)
    if (options.token !== undefined) rememberSecret(options.token);
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
    this.checkSizes(blobs);
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
  private async listBlobsUnder(sha: string, prefix: string, subject: string): Promise<BlobEntry[]> {
    const recursive = await this.readTree(sha, true, subject, prefix);
    if (!recursive.truncated) {
      return recursive.entries.flatMap((e) => (e.path === undefined ? [] : (toBlobEntry(e, `${prefix}${e.path}`) ?? [])));
    }
    const level = await this.readTree(sha, false, subject, prefix);
    if (level.truncated) {
      throw new SourceError('source.too-large', `${subject}: ${prefix === '' ? '/' : prefix}: even one level of the tree is too large for the GitHub API`, { sha });
    }
    const out: BlobEntry[] = [];
    for (const entry of level.entries) {
      if (entry.path === undefined || entry.sha === undefined) continue;
      const blob = toBlobEntry(entry, `${prefix}${entry.path}`);
      if (blob !== undefined) out.push(blob);
      if (entry.type === 'tree') out.push(...(await this.listBlobsUnder(entry.sha, `${prefix}${entry.path}/`, subject)));
    }
    return out;
  }

  private async listConfigBlobs(commit: string, subject: string): Promise<BlobEntry[]> {
    // tree_sha may name the commit: GitHub lists its root tree
    const root = await this.readTree(commit, true, subject, '');
    if (!root.truncated) {
      return root.entries.flatMap((e) => (e.path === undefined || !isConfigPath(e.path) ? [] : (toBlobEntry(e, e.path) ?? [])));
    }
    // too large for one listing: read the root level, then only the folders regops reads
    const level = await this.readTree(commit, false, subject, '');
    const out: BlobEntry[] = [];
    for (const entry of level.entries) {
      if (entry.path === undefined || entry.sha === undefined) continue;
      if (entry.path === FLEET_FILE) {
        const blob = toBlobEntry(entry, entry.path);
        if (blob !== undefined) out.push(blob);
      }
      if (entry.type === 'tree' && (CONFIG_FOLDERS as readonly string[]).includes(entry.path)) out.push(...(await this.listBlobsUnder(entry.sha, `${entry.path}/`, subject)));
    }
    return out;
  }

  /**
   * The tree listing carries each blob's size, so a file or a repository over its byte limit is refused
   * before any blob is fetched. Without the content there is no line to name: the error names the file.
   */
  private checkSizes(blobs: readonly BlobEntry[]): void {
    const sorted = [...blobs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const limit = this.options.repositoryBytes ?? INPUT_LIMITS.repositoryBytes;
    let total = 0;
    for (const blob of sorted) {
      checkFileSize(blob.path, blob.size);
      total += blob.size;
      checkRepositorySize(blob.path, total, limit);
    }
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

  private async readBlobs(blobs: readonly BlobEntry[], subject: string): Promise<SourceFile[]> {
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
        let bytes: Uint8Array;
        try {
          const answer = await this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: blob.sha });
          bytes = answer.data.encoding === 'base64' ? Buffer.from(answer.data.content, 'base64') : Buffer.from(answer.data.content, 'utf8');
        } catch (error) {
          throw toSourceError(error, `${subject}: ${blob.path}`, 'reading the file', { file: blob.path, sha: blob.sha });
        }
        // not UTF-8 or over the limit: SourceError naming FILE:LINE(:COL)
        const file = decodeConfigFile(blob.path, bytes);
        this.remember(blob.sha, file.content);
        files.push(file);
      }
    };
    const workers = Math.max(1, Math.min(this.options.blobConcurrency ?? 8, blobs.length));
    await Promise.all(Array.from({ length: workers }, () => worker()));
    return files;
  }
}
