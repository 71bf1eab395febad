import { describe, expect, it } from 'vitest';
import type { Cron } from './cron.js';
import { nextCron, parseCron } from './cron.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());
const cron = (e: string): Cron => {
  const c = parseCron(e);
  if (typeof c === 'string') throw new Error(c);
  return c;
};
/** The next `n` due times after `from`. */
const next = (e: string, from: string, n = 1): (string | undefined)[] => {
  const c = cron(e);
  const out: (string | undefined)[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const d = nextCron(c, t);
    out.push(iso(d));
    if (d === undefined) break;
    t = d;
  }
  return out;
};

describe('cron schedules (UTC)', () => {
  it('steps, ranges and lists: the next due times, strictly after the given time', () => {
    expect(next('*/5 * * * *', '2026-12-05T21:03:10Z', 3)).toEqual(['2026-12-05T21:05:00.000Z', '2026-12-05T21:10:00.000Z', '2026-12-05T21:15:00.000Z']);
    expect(next('*/5 * * * *', '2026-12-05T21:05:00Z')).toEqual(['2026-12-05T21:10:00.000Z']);
    // Friday 4 December 2026 at 17:00, then Monday.
    expect(next('0 9-17/4 * * MON-FRI', '2026-12-04T16:00:00Z', 4)).toEqual(['2026-12-04T17:00:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-07T13:00:00.000Z', '2026-12-07T17:00:00.000Z']);
    expect(next('15,45 3 * * *', '2026-12-31T03:50:00Z', 2)).toEqual(['2027-01-01T03:15:00.000Z', '2027-01-01T03:45:00.000Z']);
  });

  it('crosses month and year ends, month lengths and leap days', () => {
    expect(next('0 0 31 * *', '2026-01-31T00:00:00Z', 3)).toEqual(['2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z']);
    expect(next('0 12 29 2 *', '2026-03-01T00:00:00Z', 2)).toEqual(['2028-02-29T12:00:00.000Z', '2032-02-29T12:00:00.000Z']);
    expect(next('0 0 1 1 *', '2026-12-31T23:59:59Z')).toEqual(['2027-01-01T00:00:00.000Z']);
    // Every 30 minutes right through the last day of a month: no gap, no repeat (UTC has no DST).
    expect(next('0,30 * * * *', '2026-03-31T23:00:00Z', 3)).toEqual(['2026-03-31T23:30:00.000Z', '2026-04-01T00:00:00.000Z', '2026-04-01T00:30:00.000Z']);
    // The European DST change (29 March 2026, 01:00 UTC) is not seen: UTC only.
    expect(next('30 * * * *', '2026-03-29T00:40:00Z', 2)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z']);
  });

  it('day of month and day of week: either matches when both are restricted, both when one is *', () => {
    // The 13th, or any Friday.
    expect(next('0 0 13 * FRI', '2026-11-10T00:00:00Z', 3)).toEqual(['2026-11-13T00:00:00.000Z', '2026-11-20T00:00:00.000Z', '2026-11-27T00:00:00.000Z']);
    // Sundays, as 0 and as 7.
    expect(next('0 0 * * 0', '2026-12-05T00:00:00Z')).toEqual(next('0 0 * * 7', '2026-12-05T00:00:00Z'));
    expect(next('0 0 * * 7', '2026-12-05T00:00:00Z')).toEqual(['2026-12-06T00:00:00.000Z']);
    expect(next('0 0 1 JAN,jul *', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('agrees with a minute-by-minute search over a year of random expressions', () => {
    const exprs = ['*/7 */5 * * *', '3 2 */3 * 1-3', '0 0 1,15 * 5', '*/20 4-6 10-20 2,8,11 *', '11 11 11 11 *'];
    for (const e of exprs) {
      const c = cron(e);
      let t = at('2026-01-01T00:00:00Z');
      const end = at('2027-01-01T00:00:00Z');
      for (let k = 0; k < 50; k++) {
        const d = nextCron(c, t);
        // Slow reference: the first minute after t where Date's own UTC fields match.
        let r = (Math.floor(t / 60_000) + 1) * 60_000;
        const match = (x: number): boolean => {
          const dt = new Date(x);
          const dom = c.days[dt.getUTCDate()]!;
          const dow = c.weekdays[dt.getUTCDay()]!;
          return c.minutes[dt.getUTCMinutes()]! && c.hours[dt.getUTCHours()]! && c.months[dt.getUTCMonth() + 1]! && (c.dayStar || c.weekdayStar ? dom && dow : dom || dow);
        };
        while (r <= end && !match(r)) r += 60_000;
        if (r > end) break;
        expect(iso(d)).toBe(iso(r));
        t = d!;
      }
    }
  });

  it('refuses bad expressions, naming the field and the rule', () => {
    const bad = (e: string): string => {
      const c = parseCron(e);
      expect(typeof c).toBe('string');
      return c as string;
    };
    expect(bad('* * * *')).toBe('cron must have 5 fields (minute hour day-of-month month day-of-week, in UTC), got 4 in "* * * *"');
    expect(bad('60 * * * *')).toBe('cron field 1 (minute) "60": values must be between 0 and 59, got 60');
    expect(bad('* 24 * * *')).toBe('cron field 2 (hour) "24": values must be between 0 and 23, got 24');
    expect(bad('* * 0 * *')).toBe('cron field 3 (day of month) "0": values must be between 1 and 31, got 0');
    expect(bad('* * * 13 *')).toBe('cron field 4 (month) "13": values must be between 1 and 12, got 13');
    expect(bad('* * * * 8')).toBe('cron field 5 (day of week) "8": values must be between 0 and 7, got 8');
    expect(bad('*/0 * * * *')).toBe('cron field 1 (minute) "*/0": step must be between 1 and 59, got 0');
    expect(bad('5-1 * * * *')).toBe('cron field 1 (minute) "5-1": range 5-1 runs backwards');
    expect(bad('* * * FOO *')).toBe('cron field 4 (month) "FOO": "FOO" is not a number or a name (JAN-DEC)');
    expect(bad('@hourly * * * *')).toBe('cron field 1 (minute) "@hourly": "@hourly" is not *, a value, a range a-b, or one of those with /step');
    expect(bad('0 0 30 2 *')).toBe('cron "0 0 30 2 *" is never due (no such day in any month it names)');
  });
});
