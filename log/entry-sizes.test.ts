import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascendingUnique, compactionPoint } from '../raft/host/sparse-entries.js';
import { EntrySizes, MAX_TRACKED } from './entry-sizes.js';

describe('EntrySizes', () => {
  it('answers like a map of the newest contiguous run under random appends, truncations and compactions', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), back: fc.nat(40), count: fc.integer({ min: 1, max: 300 }), size: fc.nat(5000) }),
      fc.record({ kind: fc.constant('gap' as const), ahead: fc.integer({ min: 2, max: 50 }) }),
      fc.record({ kind: fc.constant('truncate' as const), back: fc.nat(40) }),
      fc.record({ kind: fc.constant('drop' as const), ahead: fc.nat(400) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const sizes = new EntrySizes();
        let model = new Map<number, number>();
        let first = 1;
        let next = 1; // the index the next append continues at
        for (const o of ops) {
          if (o.kind === 'append') {
            const at = Math.max(first, next - o.back);
            // A write below the known run or past a gap starts a new run: the model forgets what the structure forgets.
            if (model.size > 0 && (at < Math.min(...model.keys()) || at > Math.max(...model.keys()) + 1)) model = new Map();
            for (const i of [...model.keys()]) if (i >= at) model.delete(i);
            for (let i = at; i < at + o.count; i++) {
              sizes.record(i, o.size + i);
              model.set(i, o.size + i);
            }
            next = at + o.count;
          } else if (o.kind === 'gap') {
            next += o.ahead;
          } else if (o.kind === 'truncate') {
            const at = Math.max(first, next - o.back);
            sizes.truncateFrom(at);
            for (const i of [...model.keys()]) if (i >= at) model.delete(i);
            next = at;
          } else if (o.kind === 'drop') {
            first = Math.min(next, first + o.ahead);
            sizes.dropBelow(first);
            for (const i of [...model.keys()]) if (i < first) model.delete(i);
          } else {
            sizes.clear();
            model = new Map();
          }
          for (let i = Math.max(1, first - 5); i < next + 5; i++) expect(sizes.get(i)).toBe(model.get(i));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('EntrySizes bound', () => {
  it('keeps at most the newest MAX_TRACKED sizes', () => {
    const sizes = new EntrySizes();
    const n = MAX_TRACKED + 1000;
    for (let i = 1; i <= n; i++) sizes.record(i, i % 7);
    expect(sizes.get(1000)).toBeUndefined();
    expect(sizes.get(1001)).toBe(1001 % 7);
    expect(sizes.get(n)).toBe(n % 7);
  });
});

describe('compactionPoint', () => {
  const sizeOf = (sizes: Record<number, number>) => (i: number) => sizes[i];
  it('compacts the whole range when nothing or little of it is live', () => {
    expect(compactionPoint(1, 101, [], () => 10)).toBe(101);
    expect(compactionPoint(1, 101, [5, 50, 99], () => 10)).toBe(101);
    // Live entries outside the range do not count.
    expect(compactionPoint(10, 20, [1, 2, 3, 25, 26], () => 10)).toBe(20);
  });

  it('stops at the lowest live entry when more than half of the bytes are live', () => {
    expect(compactionPoint(1, 101, Array.from({ length: 80 }, (_, k) => 21 + k), () => 10)).toBe(21);
    // Few entries, but most of the bytes: a large live body.
    expect(compactionPoint(1, 5, [3], sizeOf({ 1: 1, 2: 1, 3: 100, 4: 1 }))).toBe(3);
    // Many live entries, but a large dead body outweighs them: copy them and free it.
    expect(compactionPoint(1, 6, [1, 2, 3, 4], sizeOf({ 1: 1, 2: 1, 3: 1, 4: 1, 5: 100 }))).toBe(6);
  });

  it('counts unknown sizes at the mean of the known ones, and by count when none is known', () => {
    expect(compactionPoint(1, 11, [1, 2, 3, 4, 5, 6], () => undefined)).toBe(1);
    expect(compactionPoint(1, 11, [1, 2, 3, 4], () => undefined)).toBe(11);
    // 9 and 10 are unknown (mean 1); the one known large live entry decides.
    expect(compactionPoint(1, 11, [9], (i) => (i === 9 ? undefined : i === 1 ? 100 : 1))).toBe(11);
    expect(compactionPoint(1, 11, [1], (i) => (i === 1 ? 100 : i > 8 ? undefined : 1))).toBe(1);
  });
});

describe('ascendingUnique', () => {
  it('equals a Set and a sort, and returns its input untouched when it is already ascending', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(50), fc.maxSafeNat())), (xs) => {
        const naive = [...new Set(xs)].sort((a, b) => a - b);
        expect(ascendingUnique(xs)).toEqual(naive);
        expect(ascendingUnique(new Set(xs))).toEqual(naive);
        expect(ascendingUnique(naive)).toBe(naive);
      }),
    );
  });
});
