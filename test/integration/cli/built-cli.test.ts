/**
 * The CLI as `npx regops` runs it after `npm ci` (issue 12): infra/build-cli.ts builds it (here into
 * a temporary folder, beside copies of bin/ and functions/ with their times, so the test never runs a
 * stale dist/ and can edit the source the build is compared with), and the built bin runs in its own
 * Node process. A module-resolve hook (node:module register, a measurement
 * hook only) records every file the process imports, to pin that a command loads its own chunks
 * and not the libraries of the others: --help and validate never load client-node, the AWS SDK or octokit.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { usage } from '../../../functions/cli/usage.ts';
import { buildCli } from '../../../infra/build-cli.ts';

let work: string;
let built: { entry: string; files: number; bytes: number };

/** Runs the built `regops ARGS` in its own process; `loaded` lists the files of the build it imported. */
async function regops(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; loaded: string[] }> {
  const log = join(work, `imports-${Math.random().toString(36).slice(2)}.log`);
  await writeFile(log, '');
  const run = spawnSync(process.execPath, ['--import', join(work, 'record-imports.mjs'), join(work, 'bin', 'regops.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, REGOPS_IMPORT_LOG: log } });
  const dist = join(work, 'dist', 'cli');
  const loaded = (await readFile(log, 'utf8')).split('\n').filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url)).filter((file) => file.startsWith(dist));
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, loaded: [...new Set(loaded)] };
}

async function sizeOf(files: string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regops-built-cli-'));
  // the build is stamped with this copy of functions/ (its files' times kept), which bin compares it with
  await cp(resolve('functions'), join(work, 'functions'), { recursive: true, preserveTimestamps: true });
  await symlink(resolve('node_modules'), join(work, 'node_modules'));
  // the package's "type": "module", which tsx needs to run the copied source as ES modules
  await cp(resolve('package.json'), join(work, 'package.json'));
  built = await buildCli(join(work, 'dist', 'cli'), join(work, 'functions'));
  await cp(resolve('bin'), join(work, 'bin'), { recursive: true });
  await writeFile(join(work, 'record-imports.mjs'), "import { register } from 'node:module';\nregister('./record-imports-hooks.mjs', import.meta.url);\n");
  await writeFile(join(work, 'record-imports-hooks.mjs'), [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const resolved = await next(specifier, context);',
    "  appendFileSync(process.env.REGOPS_IMPORT_LOG, `${resolved.url}\\n`);",
    '  return resolved;',
    '}',
  ].join('\n'));
}, 120_000);

describe('the built regops', () => {
  it('--help prints the usage from the build (no fallback note), loading a sliver of it', async () => {
    const help = await regops('--help');
    expect(help).toMatchObject({ code: 0, stdout: usage, stderr: '' });
    const bytes = await sizeOf(help.loaded);
    // main.mjs (table and usage), exit codes and esbuild's helpers: not even the option parser
    expect(help.loaded.length).toBeLessThanOrEqual(3);
    expect(bytes).toBeLessThan(16 * 1024);
    expect(built.bytes).toBeGreaterThan(1024 * 1024);
  });

  it('validate runs from the build, and loads neither client-node, the AWS SDK nor octokit', async () => {
    const result = await regops('validate', '--config', resolve('config'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: valid: 6 clusters, 0 errors/);
    expect(result.loaded.some((file) => /[/\\]validate-[A-Z0-9]+\.mjs$/.test(file))).toBe(true);
    // the files esbuild names after their entry into a lazy import: each would pull its library in
    for (const heavy of ['kubeconfig-connector', 'github-config-source', 'secrets-manager-source', 'ssm-source', 's3-bucket-store', 'sandbox-up', 'drift', 'rollout']) {
      expect(result.loaded.filter((file) => file.includes(`${heavy}-`))).toEqual([]);
    }
    // what validate needs (yaml, the CRD schemas, core) is well under half of what the CLI holds
    expect(await sizeOf(result.loaded)).toBeLessThan(built.bytes / 2);
  });

  it('refuses an option the command does not take (exit 1), naming it and the command', async () => {
    const result = await regops('validate', '--config', resolve('config'), '--bake', '5m', '--port', '3');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('regops: validate: --bake is not an option of validate; --port is not an option of validate; validate takes --config, --github, -o/--output, -h/--help (cli.usage)\nRun regops --help for usage.\n');
  });

  it('a build older than an edit under functions/ says so in one line and runs the edited source', async () => {
    const edited = join(work, 'functions', 'cli', 'usage.ts');
    const text = await readFile(edited, 'utf8');
    const { atime, mtime } = await stat(edited);
    try {
      // an edit the build does not have: the usage's first line, with a time after the build's stamp
      await writeFile(edited, text.replace('regops: keep the OpenShift image registry', 'regops (edited): keep the OpenShift image registry'));
      const later = new Date(Date.now() + 2_000);
      await utimes(edited, later, later);
      const help = await regops('--help');
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('regops: functions/cli/usage.ts changed after dist/cli was built (npm run build:cli rebuilds it); running the TypeScript source, slower\n');
      expect(help.stdout.split('\n')[0]).toBe('regops (edited): keep the OpenShift image registry of every cluster the way Git says');
      expect(help.loaded).toEqual([]);
    } finally {
      await writeFile(edited, text);
      await utimes(edited, atime, mtime);
    }
    expect((await regops('--help')).stderr).toBe('');
    // a file added with an old time changes the count: a build of another tree
    const added = join(work, 'functions', 'cli', 'added-after-the-build.ts');
    await writeFile(added, 'export {};\n');
    await utimes(added, new Date(0), new Date(0));
    const after = await regops('--help');
    expect(after.stderr).toMatch(/^regops: functions\/ has \d+ source files, dist\/cli was built from \d+ \(npm run build:cli rebuilds it\); running the TypeScript source, slower\n$/);
  });

  it('without a build, bin says so on stderr and runs the TypeScript source', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'regops-unbuilt-'));
    await cp(resolve('bin'), join(bare, 'bin'), { recursive: true });
    await symlink(resolve('functions'), join(bare, 'functions'));
    await symlink(resolve('node_modules'), join(bare, 'node_modules'));
    const run = spawnSync(process.execPath, [join(bare, 'bin', 'regops.mjs'), 'validate', '--bake', '5m'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^regops: no build at dist\/cli\/main\.mjs \(npm run build:cli makes it\); running the TypeScript source, slower\nregops: validate: --bake is not an option of validate/);
  });
});
