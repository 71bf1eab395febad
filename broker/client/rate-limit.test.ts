import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('lets max starts through at once, then one per freed place', () => {
    const l = new RateLimiter({ max: 3, durationMs: 100 });
    expect([0, 0, 0, 0, 0, 0, 0].map(() => l.reserve(0))).toEqual([0, 0, 0, 100, 100, 100, 200]);
    expect(l.reserve(1000)).toBe(1000);
  });

  it('never allows more than max starts in any window, and never delays a start the window allows (against a naive model)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }), (max, durationMs, gaps) => {
        const l = new RateLimiter({ max, durationMs });
        const starts: number[] = [];
        let now = 0;
        for (const g of gaps) {
          now += g;
          const at = l.reserve(now);
          expect(at).toBeGreaterThanOrEqual(now);
          // Naive model: the earliest time >= now at which fewer than max earlier starts lie within (t - duration, t].
          let t = now;
          while (starts.filter((s) => s > t - durationMs && s <= t).length >= max) t++;
          // Reservations are in order, so a later caller never goes before an earlier one.
          const model = Math.max(t, starts.length ? starts[starts.length - 1]! : 0);
          expect(at).toBe(model);
          starts.push(at);
        }
      }),
    );
  });

  it('refuses a nonsensical limit, naming the field', () => {
    expect(() => new RateLimiter({ max: 0, durationMs: 10 })).toThrow(/rateLimit.max/);
    expect(() => new RateLimiter({ max: 1, durationMs: 0 })).toThrow(/rateLimit.durationMs/);
  });
});
