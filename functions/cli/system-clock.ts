/**
 * The real clock lives in adapters/system-clock.ts (shared with Lambda); this re-export stays only
 * while test/bench/drift.bench.ts still imports it from here (that file is another helper's).
 */
export { systemClock } from '../adapters/system-clock.ts';
