import type { Clock } from '../../adapters/ports.ts';

/** The real clock: wall time, timers, Math.random for jitter. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};
