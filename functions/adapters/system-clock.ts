import type { Clock } from '../engine/ports.ts';

/** The real Clock for every entry point (CLI, Lambda): wall time, timers, Math.random for jitter. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};
