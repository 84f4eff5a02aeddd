import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { TestbedError } from './testbed-error.ts';

/** A child process whose output goes to a log file; stop() is SIGTERM, then SIGKILL after a grace time. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  exited: boolean;
  stop(graceMs?: number): Promise<void>;
  /** the last lines of its log, for errors */
  tail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// If the Node process ends without stop() (an uncaught error, process.exit in a test runner), no
// control plane may outlive it: kill what is still running, synchronously, on 'exit'.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function startProcess(name: string, command: string, args: string[], options: { logFile: string; env?: Record<string, string>; cwd?: string }): ManagedProcess {
  installExitHook();
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...options.env }, cwd: options.cwd });
  closeSync(fd);
  if (child.pid === undefined) throw new TestbedError('process.spawn', `${name}: could not start ${command}`, { process: name });
  running.add(child);
  const state = { exited: false };
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      state.exited = true;
      running.delete(child);
      resolve();
    });
    child.once('error', () => {
      state.exited = true;
      running.delete(child);
      resolve();
    });
  });
  const tail = (lines = 15): string => {
    try {
      return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  return {
    name,
    pid: child.pid,
    logFile: options.logFile,
    get exited() {
      return state.exited;
    },
    tail,
    stop: async (graceMs = 10_000) => {
      if (state.exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in MiB (from /proc; 0 when it is gone). */
export function residentMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Math.round(Number(match[1]) / 1024);
  } catch {
    return 0;
  }
}
