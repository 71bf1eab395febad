import { describe, expect, it } from 'vitest';
import { balance, partitionPlan, perGroup } from './groups-figures.js';

describe('many-groups figures', () => {
  it('plans queues of at most the maximum partitions that add up to the groups asked for', () => {
    expect(partitionPlan(1000, 64)).toEqual([...Array<number>(15).fill(64), 40]);
    expect(partitionPlan(1000, 64).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(partitionPlan(128, 64)).toEqual([64, 64]);
    expect(partitionPlan(5, 64)).toEqual([5]);
    expect(partitionPlan(0, 64)).toEqual([]);
    expect(() => partitionPlan(-1, 64)).toThrow(/groups must be a non-negative integer/);
    expect(() => partitionPlan(10, 0)).toThrow(/max must be a positive integer/);
  });

  it('measures how far the nodes are from an even share', () => {
    expect(balance([2, 2, 2])).toEqual({ maxOverMin: 1, maxDeviationPct: 0 });
    // Mean 10: the busiest is 2 above (20%), the idlest 1 below.
    const b = balance([12, 9, 9]);
    expect(b.maxOverMin).toBeCloseTo(12 / 9);
    expect(b.maxDeviationPct).toBeCloseTo(20);
    // The idlest node far below: its distance counts (mean 8, 6 below = 75%).
    expect(balance([11, 11, 2]).maxDeviationPct).toBeCloseTo(75);
    expect(balance([1, 0]).maxOverMin).toBe(Infinity);
    expect(balance([0, 0]).maxDeviationPct).toBe(0);
    expect(balance([]).maxOverMin).toBeNaN();
    expect(balance([1, NaN]).maxDeviationPct).toBeNaN();
  });

  it('divides the mean growth over the nodes by the groups added', () => {
    // Nodes at 100, 110, 120 MiB before and 200, 210, 220 after 1000 groups: 0.1 each.
    expect(perGroup([100, 110, 120], [200, 210, 220], 1000)).toBeCloseTo(0.1);
    expect(perGroup([1], [1.5], 0)).toBeNaN();
  });
});
