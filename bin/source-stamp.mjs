// What a CLI build was made from: the newest source file under functions/ and how many there are.
// infra/build-cli.ts writes it beside the build (dist/cli/source-stamp.json); bin/regops.mjs reads
// functions/ again at every start and runs the TypeScript source instead of a build older than an
// edit, so an edit never silently runs old code (issue 12). Plain JavaScript: bin runs it before any
// build or TypeScript loader exists. About 2 ms for functions/'s ~320 files (npm run bench -- cli).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The files the bundle is made of (README.md and other prose do not count). */
const sourceFile = /\.(?:[mc]?ts|[mc]?js|json)$/;

/** @param {string} dir @returns {{ newestMs: number, newestFile: string, files: number }} */
export function readSourceStamp(dir) {
  let newestMs = 0;
  let newestFile = '';
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !sourceFile.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(file);
    files += 1;
    if (mtimeMs > newestMs) {
      newestMs = mtimeMs;
      newestFile = relative(dir, file);
    }
  }
  return { newestMs, newestFile, files };
}

/**
 * Why the build no longer matches the source, in one line, or undefined when it does.
 * @param {{ newestMs: number, newestFile: string, files: number } | undefined} built
 * @param {{ newestMs: number, newestFile: string, files: number }} now
 */
export function describeStaleBuild(built, now) {
  if (built === undefined) return 'dist/cli has no source stamp (built by an older regops)';
  if (now.newestMs > built.newestMs) return `functions/${now.newestFile.split('\\').join('/')} changed after dist/cli was built`;
  if (now.files !== built.files) return `functions/ has ${now.files} source files, dist/cli was built from ${built.files}`;
  return undefined;
}
