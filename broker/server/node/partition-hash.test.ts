import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jumpHash, keyHash, partitionOf } from './partition-hash.js';

describe('partition hash', () => {
  it('is stable: FNV-1a 64 as published, and fixed keys map to fixed partitions (a change here would move every stored group)', () => {
    expect(keyHash('')).toBe(0xcbf29ce484222325n);
    expect(keyHash('a')).toBe(0xaf63dc4c8601ec8cn);
    const keys = ['order-1', 'order-2', 'customer-42', 'x', 'é'];
    expect(keys.map((k) => partitionOf(k, 3))).toEqual([1, 0, 1, 1, 2]);
    expect(keys.map((k) => partitionOf(k, 8))).toEqual([6, 4, 1, 3, 5]);
    expect(keys.map((k) => partitionOf(k, 1))).toEqual([0, 0, 0, 0, 0]);
    expect(jumpHash(keyHash('order-1'), 8)).toBe(6);
  });

  it('always in range, and the same key always gives the same partition', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (k, n) => {
        const p = partitionOf(k, n);
        return p >= 0 && p < n && Number.isInteger(p) && partitionOf(k, n) === p;
      }),
    );
  });

  it('spreads keys evenly: 30 000 keys over 3 and 16 partitions within 8% of the mean (3.5 standard deviations at 16)', () => {
    for (const n of [3, 16]) {
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < 30_000; i++) counts[partitionOf(`key-${i}`, n)]!++;
      const mean = 30_000 / n;
      for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.08);
    }
  });

  it('is consistent: growing from n to n+1 partitions moves only keys to the new one, about 1/(n+1) of them', () => {
    for (const n of [2, 3, 7]) {
      let moved = 0;
      for (let i = 0; i < 10_000; i++) {
        const a = partitionOf(`k${i}`, n);
        const b = partitionOf(`k${i}`, n + 1);
        if (a !== b) {
          expect(b).toBe(n);
          moved++;
        }
      }
      expect(Math.abs(moved / 10_000 - 1 / (n + 1))).toBeLessThan(0.03);
    }
  });
});
