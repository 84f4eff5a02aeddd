/**
 * Live progress: on a terminal one line per cluster, redrawn in place as the engine reports
 * (waiting, dry-run, applying, progressing, healthy, failed; planned or in-sync for a plan; in-sync,
 * drifted, unreachable … for a drift scan); elsewhere (CI, pipes) plain lines, a line that repeats
 * the previous one for its cluster left out.
 */
import type { ProgressEvent, ProgressSink } from '../engine/ports.ts';

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const green = '\u001b[32m';
const red = '\u001b[31m';
const yellow = '\u001b[33m';
const cyan = '\u001b[36m';
const dim = '\u001b[2m';
const colours: Partial<Record<ProgressEvent['phase'], string>> = {
  healthy: green,
  'in-sync': green,
  unchanged: dim,
  failed: red,
  unreachable: red,
  degraded: red,
  retrying: yellow,
  drifted: yellow,
  planned: cyan,
  unmanaged: cyan,
  progressing: cyan,
  applying: cyan,
  verifying: cyan,
};
const reset = '\u001b[0m';
/** The longest phase word (`provisioning`) and a space. */
const phaseWidth = 13;
const quiet = new Set<ProgressEvent['phase']>(['connecting', 'planning', 'waiting']);
const final = new Set<ProgressEvent['phase']>(['healthy', 'unchanged', 'failed', 'skipped', 'planned', 'in-sync', 'drifted', 'unreachable', 'unmanaged', 'degraded']);
const maxLiveLines = 30;

/** A ProgressSink drawing to `out` (stderr by default, so stdout stays the report). */
export function createProgress(out: Writable = process.stderr, interactive = out.isTTY === true): ProgressSink & { done(): void } {
  const lines = new Map<string, string>();
  const lastPlain = new Map<string, string>();
  let drawn = 0;
  let overflow = false;
  const format = (e: ProgressEvent, colour: boolean): string => {
    // wave names differ in length (`[canary]`, `[main]`): a fixed column keeps the cluster names aligned
    const wave = e.wave === undefined ? '' : `[${e.wave}]`.padEnd(Math.max(10, e.wave.length + 3));
    const head = `  ${wave}${e.cluster.padEnd(16)} `;
    // operator messages join their members with newlines (docs/registry-operator-facts.md §6.2): one line here
    const message = e.message === undefined ? '' : e.message.replace(/\s*\n\s*/g, '; ');
    let tail = message === '' ? e.phase : `${e.phase.padEnd(phaseWidth - 1)} ${message}`;
    // a redrawn line must not wrap, or moving the cursor up would land on the wrong row
    if (interactive) tail = tail.slice(0, Math.max(20, (out.columns ?? 160) - head.length - 1));
    if (!colour) return `${head}${tail}`;
    return `${head}${colours[e.phase] ?? ''}${tail.slice(0, e.phase.length)}${reset}${tail.slice(e.phase.length)}`;
  };
  return {
    emit(event) {
      if (!interactive) {
        // plain lines (CI logs) skip the chatter of steps every cluster goes through, and repeats
        // (the health gate polls every few seconds with the same operator message)
        if (quiet.has(event.phase) && event.message === undefined) return;
        const line = format(event, false);
        if (lastPlain.get(event.cluster) === line) return;
        lastPlain.set(event.cluster, line);
        out.write(`${line}\n`);
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
      lastPlain.clear();
      drawn = 0;
      overflow = false;
    },
  };
}
