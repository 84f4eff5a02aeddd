/** The real clock for the CLI: wall time, timers, Math.random for jitter. */
import type { Clock } from '../adapters/ports.ts';

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};
