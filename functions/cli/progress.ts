/**
 * Live progress: on a terminal one line per cluster, redrawn in place as the engine reports
 * (waiting, dry-run, applying, progressing, healthy, failed); elsewhere (CI, pipes) plain lines.
 */
import type { ProgressEvent, ProgressSink } from '../adapters/ports.ts';

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const colours: Partial<Record<ProgressEvent['phase'], string>> = {
  healthy: '\u001b[32m',
  unchanged: '\u001b[2m',
  failed: '\u001b[31m',
  retrying: '\u001b[33m',
  progressing: '\u001b[36m',
  applying: '\u001b[36m',
};
const reset = '\u001b[0m';
const quiet = new Set<ProgressEvent['phase']>(['connecting', 'planning', 'waiting']);
const final = new Set<ProgressEvent['phase']>(['healthy', 'unchanged', 'failed', 'skipped']);
const maxLiveLines = 30;

/** A ProgressSink drawing to `out` (stderr by default, so stdout stays the report). */
export function createProgress(out: Writable = process.stderr, interactive = out.isTTY === true): ProgressSink & { done(): void } {
  const lines = new Map<string, string>();
  let drawn = 0;
  let overflow = false;
  const format = (e: ProgressEvent, colour: boolean): string => {
    const head = `  ${e.wave === undefined ? '' : `[${e.wave}] `}${e.cluster.padEnd(16)} `;
    // operator messages join their members with newlines (registry-operator.md §6.2): one line here
    const message = e.message === undefined ? '' : ` ${e.message.replace(/\s*\n\s*/g, '; ')}`;
    let tail = `${e.phase.padEnd(11)}${message}`;
    // a redrawn line must not wrap, or moving the cursor up would land on the wrong row
    if (interactive) tail = tail.slice(0, Math.max(20, (out.columns ?? 160) - head.length - 1));
    if (!colour) return `${head}${tail}`;
    return `${head}${colours[e.phase] ?? ''}${tail.slice(0, 11)}${reset}${tail.slice(11)}`;
  };
  return {
    emit(event) {
      // plain lines (CI logs) skip the chatter of steps every cluster goes through
      if (!interactive && quiet.has(event.phase) && event.message === undefined) return;
      if (!interactive) {
        out.write(`${format(event, false)}\n`);
        return;
      }
      if (!lines.has(event.cluster) && lines.size >= maxLiveLines) overflow = true;
      if (overflow) {
        // a big fleet does not fit a screen: from here on only outcomes are printed, one line each
        if (final.has(event.phase)) out.write(`${format(event, true)}\n`);
        return;
      }
      lines.set(event.cluster, format(event, true));
      let text = drawn > 0 ? `\u001b[${drawn}A` : '';
      for (const line of lines.values()) text += `\u001b[2K${line}\n`;
      drawn = lines.size;
      out.write(text);
    },
    done() {
      lines.clear();
      drawn = 0;
      overflow = false;
    },
  };
}
