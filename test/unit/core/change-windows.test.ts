/** Change windows: allow/deny, cron in a time zone, a duration, scoped by wave, group or cluster. */
import { describe, expect, it } from 'vitest';
import { checkWindowSchedule, evaluateWindows } from '../../../functions/core/change-windows.ts';
import type { ChangeWindow } from '../../../functions/core/model.ts';

const hour = 3_600_000;
function window(parts: Partial<ChangeWindow> & Pick<ChangeWindow, 'kind' | 'schedule'>): ChangeWindow {
  return { durationMs: 4 * hour, timeZone: 'UTC', waves: [], groups: [], clusters: [], ...parts };
}
const prod = { wave: 'prod', groups: ['prod'], clusters: ['prod-eu-1'] };

describe('evaluateWindows', () => {
  // 2026-12-04 is a Friday
  const cases: Array<{ name: string; windows: ChangeWindow[]; now: string; expected: { open: boolean; nextOpen?: string; reason?: RegExp } }> = [
    { name: 'no window: always open', windows: [], now: '2026-12-04T12:00:00Z', expected: { open: true } },
    { name: 'inside an allow window', windows: [window({ kind: 'allow', schedule: '0 10 * * *' })], now: '2026-12-04T12:00:00Z', expected: { open: true } },
    {
      name: 'outside the allow window: next opening today',
      windows: [window({ kind: 'allow', schedule: '0 22 * * *', durationMs: 2 * hour })], now: '2026-12-04T12:00:00Z',
      expected: { open: false, nextOpen: '2026-12-04T22:00:00.000Z', reason: /outside every allow window \(allow window "0 22 \* \* \*" \(UTC, 2h\)\)/ },
    },
    {
      name: 'the schedule is read in its time zone (22:00 in Berlin is 21:00 UTC in winter)',
      windows: [window({ kind: 'allow', schedule: '0 22 * * 1-5', timeZone: 'Europe/Berlin', durationMs: 2 * hour })], now: '2026-12-04T12:00:00Z',
      expected: { open: false, nextOpen: '2026-12-04T21:00:00.000Z' },
    },
    {
      name: 'weekdays only: on Friday night the next opening is Monday',
      windows: [window({ kind: 'allow', schedule: '0 9 * * 1-5', durationMs: 8 * hour })], now: '2026-12-04T20:00:00Z',
      expected: { open: false, nextOpen: '2026-12-07T09:00:00.000Z' },
    },
    {
      name: 'a deny window wins over an open allow window; opens when the deny ends',
      windows: [window({ kind: 'allow', schedule: '0 0 * * *', durationMs: 24 * hour }), window({ kind: 'deny', schedule: '0 8 * * *', durationMs: 10 * hour })], now: '2026-12-04T12:00:00Z',
      expected: { open: false, nextOpen: '2026-12-04T18:00:00.000Z', reason: /deny window "0 8 \* \* \*" \(UTC, 10h\) is open until 2026-12-04T18:00:00.000Z/ },
    },
    { name: 'open from its first millisecond (croner works in whole seconds)', windows: [window({ kind: 'deny', schedule: '@hourly', durationMs: hour })], now: '2026-12-04T03:00:00.300Z', expected: { open: false, nextOpen: '2026-12-04T04:00:00.000Z' } },
    { name: 'a deny window after it closed', windows: [window({ kind: 'deny', schedule: '0 8 * * *', durationMs: 2 * hour })], now: '2026-12-04T12:00:00Z', expected: { open: true } },
    { name: 'a window for another wave does not apply', windows: [window({ kind: 'deny', schedule: '0 0 * * *', durationMs: 24 * hour, waves: ['canary'] })], now: '2026-12-04T12:00:00Z', expected: { open: true } },
    { name: 'a window for the group applies', windows: [window({ kind: 'deny', schedule: '0 0 * * *', durationMs: 24 * hour, groups: ['prod'] })], now: '2026-12-04T12:00:00Z', expected: { open: false, nextOpen: '2026-12-05T00:00:00.000Z' } },
    { name: 'a window for another cluster does not apply', windows: [window({ kind: 'deny', schedule: '0 0 * * *', durationMs: 24 * hour, clusters: ['lab-bm-1'] })], now: '2026-12-04T12:00:00Z', expected: { open: true } },
  ];
  it.each(cases)('$name', ({ windows, now, expected }) => {
    const verdict = evaluateWindows(windows, prod, new Date(now));
    expect(verdict.open).toBe(expected.open);
    if (expected.nextOpen !== undefined) expect(verdict.nextOpen).toBe(expected.nextOpen);
    if (expected.reason !== undefined) expect(verdict.reason).toMatch(expected.reason);
    if (expected.open) expect(verdict.reason).toBeUndefined();
  });
});

describe('checkWindowSchedule', () => {
  it('accepts five fields and macros in a real time zone, refuses the rest with the reason', () => {
    expect(checkWindowSchedule('0 22 * * 1-5', 'Europe/Berlin')).toBeUndefined();
    expect(checkWindowSchedule('@daily', 'UTC')).toBeUndefined();
    expect(checkWindowSchedule('every night', 'UTC')).toMatch(/five, six, or seven space separated parts/);
    expect(checkWindowSchedule('0 1 * * *', 'Mars/Base')).toMatch(/Invalid timezone 'Mars\/Base'/);
  });
});
