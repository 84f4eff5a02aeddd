/**
 * What `run` writes to process.stdout and process.stderr while it runs, captured instead of printed
 * (the process streams are Node's, not our modules, so spying on them is not mocking regops).
 */
import { vi } from 'vitest';

export interface CapturedOutput<T> {
  result: T;
  stdout: string;
  stderr: string;
}

/** Runs `run` with both process streams captured; the streams are restored even when it throws. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<CapturedOutput<T>> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  try {
    const result = await run();
    return { result, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
