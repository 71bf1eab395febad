import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows the ceiling by the factor up to the maximum, and reset starts again', () => {
    const b = new Backoff({ baseMs: 10, factor: 2, maxMs: 100 }, () => 0.999999);
    const ceilings = Array.from({ length: 6 }, () => {
      const c = b.ceiling();
      b.next();
      return c;
    });
    expect(ceilings).toEqual([10, 20, 40, 80, 100, 100]);
    b.reset();
    expect(b.ceiling()).toBe(10);
    expect(b.attempts).toBe(0);
  });

  it('every delay lies in [0, ceiling] (full jitter)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.9999999, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 500 }), (rs, base) => {
        let i = 0;
        const b = new Backoff({ baseMs: base, factor: 3, maxMs: base * 50 }, () => rs[i++ % rs.length]!);
        for (let k = 0; k < rs.length; k++) {
          const c = b.ceiling();
          const d = b.next();
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(c);
        }
      }),
    );
  });

  it('spreads delays: two clients with different random sources do not wait the same', () => {
    const a = new Backoff({ baseMs: 100 }, () => 0.1);
    const b = new Backoff({ baseMs: 100 }, () => 0.9);
    expect(a.next()).not.toBe(b.next());
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new Backoff({ baseMs: 0 })).toThrow(/baseMs > 0/);
    expect(() => new Backoff({ baseMs: 100, maxMs: 10 })).toThrow(/maxMs >= baseMs/);
  });
});
