/**
 * The demo's calls to the real `kubectl` against the sandbox fleet: found on PATH, printed exactly
 * as run (`$ kubectl …`, shell-quoted), its output shown. Asynchronous on purpose: the sandbox
 * serves from this same process, so a blocking child would deadlock it.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The path of `kubectl` on PATH, or undefined when there is none. */
export async function findKubectl(path = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter((d) => d !== '')) {
    const candidate = join(dir, process.platform === 'win32' ? 'kubectl.exe' : 'kubectl');
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

/** An argument as a POSIX shell needs it: bare when safe, else in single quotes. */
export function quoteShellArgument(arg: string): string {
  return /^[\w./:=@,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Prints `$ kubectl ARGS`, runs it and prints what it wrote; a failure throws with kubectl's own words. */
export async function runKubectl(kubectl: string, args: readonly string[], say: (text: string) => void): Promise<void> {
  say(`$ kubectl ${args.map(quoteShellArgument).join(' ')}`);
  try {
    const { stdout, stderr } = await run(kubectl, [...args], { timeout: 20_000 });
    const text = `${stdout}${stderr}`.trimEnd();
    if (text !== '') say(text);
  } catch (thrown) {
    const detail = (thrown as { stderr?: string }).stderr?.trim() ?? (thrown instanceof Error ? thrown.message : '');
    throw new Error(`kubectl ${args.join(' ')} failed: ${detail}`, { cause: thrown });
  }
}
