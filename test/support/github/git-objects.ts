/**
 * Git object store for the GitHub stand-in: blobs, trees and commits hashed the way git hashes them
 * (SHA-1 of `<type> <size>\0<payload>`), so SHAs look and behave like GitHub's.
 */
import { createHash } from 'node:crypto';

export interface StoredBlob {
  type: 'blob';
  sha: string;
  content: Buffer;
}

export interface StoredTreeEntry {
  name: string;
  mode: '100644' | '120000' | '040000';
  type: 'blob' | 'tree';
  sha: string;
}

export interface StoredTree {
  type: 'tree';
  sha: string;
  entries: StoredTreeEntry[];
}

export interface StoredCommit {
  type: 'commit';
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

export type StoredObject = StoredBlob | StoredTree | StoredCommit;

/** A symbolic link in a commit: git stores the target path as the blob, with mode 120000. */
export interface GitSymlink {
  symlink: string;
}

/** A file's content in a commit: text, raw bytes (e.g. not UTF-8), or a symbolic link. */
export type GitFileContent = string | Buffer | GitSymlink;

/** git's object id: SHA-1 over the header and the payload. */
function hashObject(type: string, payload: Buffer): string {
  return createHash('sha1').update(`${type} ${payload.length}\0`).update(payload).digest('hex');
}

// git sorts tree entries by name, comparing a subtree's name as if it ended with '/'
function compareEntries(a: StoredTreeEntry, b: StoredTreeEntry): number {
  const ka = a.type === 'tree' ? `${a.name}/` : a.name;
  const kb = b.type === 'tree' ? `${b.name}/` : b.name;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export class GitObjectStore {
  private readonly objects = new Map<string, StoredObject>();

  get(sha: string): StoredObject | undefined {
    return this.objects.get(sha);
  }

  addBlob(content: string | Buffer): string {
    const payload = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha = hashObject('blob', payload);
    this.objects.set(sha, { type: 'blob', sha, content: payload });
    return sha;
  }

  /** Builds nested trees from `/`-separated paths; returns the root tree SHA. */
  addTree(files: Record<string, GitFileContent>): string {
    interface Dir {
      files: Map<string, { sha: string; mode: '100644' | '120000' }>;
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: new Map(), dirs: new Map() };
    for (const [path, content] of Object.entries(files)) {
      const parts = path.split('/').filter((p) => p !== '');
      const fileName = parts.pop();
      if (fileName === undefined) throw new Error(`github stand-in: empty file path "${path}"`);
      let dir = root;
      for (const part of parts) {
        let next = dir.dirs.get(part);
        if (next === undefined) {
          next = { files: new Map(), dirs: new Map() };
          dir.dirs.set(part, next);
        }
        dir = next;
      }
      const link = typeof content === 'object' && !Buffer.isBuffer(content);
      dir.files.set(fileName, link ? { sha: this.addBlob(content.symlink), mode: '120000' } : { sha: this.addBlob(content), mode: '100644' });
    }
    const writeDir = (dir: Dir): string => {
      const entries: StoredTreeEntry[] = [];
      for (const [name, file] of dir.files) entries.push({ name, mode: file.mode, type: 'blob', sha: file.sha });
      for (const [name, sub] of dir.dirs) entries.push({ name, mode: '040000', type: 'tree', sha: writeDir(sub) });
      entries.sort(compareEntries);
      const payload = Buffer.concat(
        entries.map((e) =>
          Buffer.concat([Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]),
        ),
      );
      const sha = hashObject('tree', payload);
      this.objects.set(sha, { type: 'tree', sha, entries });
      return sha;
    };
    return writeDir(root);
  }

  addCommit(tree: string, parents: string[], message: string, date: string): string {
    const author = `regops-test <regops-test@example.com> ${Math.floor(Date.parse(date) / 1000)} +0000`;
    const text = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${author}`, `committer ${author}`, '', message, ''].join('\n');
    const sha = hashObject('commit', Buffer.from(text, 'utf8'));
    this.objects.set(sha, { type: 'commit', sha, tree, parents, message, date });
    return sha;
  }
}
