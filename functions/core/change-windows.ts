/**
 * Change windows (fleet.yaml `spec.windows`, as Argo CD's sync windows): a cron schedule in a time
 * zone opens a window for a duration; `allow` windows are the only times a wave may start or drift
 * enforce may correct (when any applies), a `deny` window blocks both while open, whatever allows.
 * Pure: `now` comes in as a value.
 */
import { Cron } from 'croner';
import type { ChangeWindow, DesiredCluster, WavePlan, WaveWindowState } from './model.ts';

/** What a wave or a cluster is, for matching windows. */
export interface WindowTarget {
  wave?: string;
  groups: readonly string[];
  clusters: readonly string[];
}

/** Whether changes may start now, and if not, why and when they may. */
export interface WindowVerdict {
  open: boolean;
  /** e.g. `deny window "0 8 * * 1-5" (Europe/Berlin, 10h) is open until 2026-12-04T18:00:00Z`. */
  reason?: string;
  /** ISO time the target may next start; absent when open (or no window ever opens). */
  nextOpen?: string;
}

function compile(window: ChangeWindow): Cron {
  return new Cron(window.schedule, { timezone: window.timeZone, paused: true });
}

/** Checks a schedule and a time zone; returns what is wrong, or undefined. */
export function checkWindowSchedule(schedule: string, timeZone: string): string | undefined {
  try {
    new Cron(schedule, { timezone: timeZone, paused: true }).nextRun(new Date(0));
    return undefined;
  } catch (thrown) {
    return thrown instanceof Error ? thrown.message : 'not a cron schedule';
  }
}

function applies(window: ChangeWindow, target: WindowTarget): boolean {
  if (window.waves.length > 0 && (target.wave === undefined || !window.waves.includes(target.wave))) return false;
  if (window.groups.length > 0 && !target.groups.some((g) => window.groups.includes(g))) return false;
  if (window.clusters.length > 0 && !target.clusters.some((c) => window.clusters.includes(c))) return false;
  return true;
}

/** The end of the window's occurrence open at `now`, or undefined when none is. */
function openUntil(window: ChangeWindow, now: Date): Date | undefined {
  // croner counts only runs before the whole second of its argument: ask from the next second and keep
  // the latest run at or before now (else a window is closed for the first second it is open)
  const start = compile(window).previousRuns(2, new Date(now.getTime() + 1000)).find((run) => run <= now);
  if (start === undefined) return undefined;
  const end = new Date(start.getTime() + window.durationMs);
  return end > now ? end : undefined;
}

function describe(window: ChangeWindow): string {
  const hours = window.durationMs / 3_600_000;
  const duration = Number.isInteger(hours) ? `${hours}h` : `${Math.round(window.durationMs / 60_000)}m`;
  return `${window.kind} window "${window.schedule}" (${window.timeZone}, ${duration})`;
}

/** Whether the target may start changes at `now` under the fleet's windows. */
export function evaluateWindows(windows: readonly ChangeWindow[], target: WindowTarget, now: Date): WindowVerdict {
  const relevant = windows.filter((w) => applies(w, target));
  const denies = relevant.filter((w) => w.kind === 'deny');
  const allows = relevant.filter((w) => w.kind === 'allow');
  let blockedUntil: Date | undefined;
  let blockedBy: ChangeWindow | undefined;
  for (const window of denies) {
    const end = openUntil(window, now);
    if (end !== undefined && (blockedUntil === undefined || end > blockedUntil)) {
      blockedUntil = end;
      blockedBy = window;
    }
  }
  if (blockedBy !== undefined && blockedUntil !== undefined) {
    const after = nextAllowed(allows, blockedUntil);
    return { open: false, reason: `${describe(blockedBy)} is open until ${blockedUntil.toISOString()}`, ...(after === undefined ? {} : { nextOpen: after.toISOString() }) };
  }
  if (allows.length === 0 || allows.some((w) => openUntil(w, now) !== undefined)) return { open: true };
  const next = nextAllowed(allows, now);
  return { open: false, reason: `outside every allow window (${allows.map(describe).join(', ')})`, ...(next === undefined ? {} : { nextOpen: next.toISOString() }) };
}

/** The first time at or after `from` when an allow window is open (or `from` itself without allow windows). */
function nextAllowed(allows: readonly ChangeWindow[], from: Date): Date | undefined {
  if (allows.length === 0 || allows.some((w) => openUntil(w, from) !== undefined)) return from;
  const starts = allows.map((w) => compile(w).nextRun(from)).filter((d): d is Date => d !== null);
  return starts.sort((a, b) => a.getTime() - b.getTime())[0];
}

/** Each wave of a plan under the windows at `now` (plan reports say when a held wave may start). */
export function describeWaveWindows(windows: readonly ChangeWindow[], plan: WavePlan, clusters: ReadonlyMap<string, Pick<DesiredCluster, 'groups'>>, now: Date): WaveWindowState[] {
  return plan.waves.map((wave) => {
    const groups = [...new Set(wave.clusters.flatMap((c) => clusters.get(c)?.groups ?? []))];
    const verdict = evaluateWindows(windows, { wave: wave.name, groups, clusters: wave.clusters }, now);
    return { wave: wave.name, open: verdict.open, ...(verdict.reason === undefined ? {} : { reason: verdict.reason }), ...(verdict.nextOpen === undefined ? {} : { nextOpen: verdict.nextOpen }) };
  });
}

/** `wave canary open; wave prod held (…), may start at …` for plan reports. */
export function formatWaveWindows(states: readonly WaveWindowState[]): string {
  return states.map((s) => (s.open ? `wave ${s.wave} open` : `wave ${s.wave} held (${s.reason ?? 'closed'})${s.nextOpen === undefined ? '' : `, may start at ${s.nextOpen}`}`)).join('; ');
}
