import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { partitionTag, splitTag } from './partition-tags.js';

describe('partitioned queue delivery tags', () => {
  it('delivery tags round-trip with their partition and never collide across partitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 46 }), fc.integer({ min: 0, max: 63 }), (tag, p) => {
        const w = partitionTag(tag, p);
        const s = splitTag(w);
        return Number.isSafeInteger(w) && s.tag === tag && s.partition === p;
      }),
    );
    expect(partitionTag(1, 0)).not.toBe(partitionTag(0, 1));
  });
});
