import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionOf } from '../node/partition-hash.js';
import { StatusError } from '../rpc/status.js';
import { appendKey, partitionSelection, shares } from './partitioned.js';

const FIELDS = { partitions: 'partitions', offsets: 'from_offsets' };

const refusal = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('not refused');
};

describe('partitioned stream routing', () => {
  it('sends a keyed batch to its key\'s partition, an idempotent producer\'s unkeyed batches to its id\'s, and only plain batches round robin', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 64 }), (key, producerId, n) => {
        const k = appendKey({ key, producerId });
        if (key) expect(k).toBe(key);
        else expect(k).toBe(producerId);
        // A retry of the same request (same key, same producer) lands where the first try did.
        if (k) expect(partitionOf(appendKey({ key, producerId }), n)).toBe(partitionOf(k, n));
      }),
    );
    expect(appendKey({ key: '', producerId: '' })).toBe('');
  });

  it('reads every partition by default, from one offset each, and names the field and the rule when a selection is wrong', () => {
    expect(partitionSelection(FIELDS, [], [], 7, 3)).toEqual({ partitions: [0, 1, 2], offsets: [7, 7, 7] });
    expect(partitionSelection(FIELDS, [2, 0], [5, 9], 0, 3)).toEqual({ partitions: [2, 0], offsets: [5, 9] });
    const high = refusal(() => partitionSelection(FIELDS, [0, 3], [], 0, 3));
    expect(high.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(high.message).toMatch(/partitions\[1\] is 3: the stream has 3 partitions \(0 to 2\)/);
    expect(refusal(() => partitionSelection(FIELDS, [1, 1], [], 0, 3)).message).toMatch(/partitions\[1\] names partition 1 a second time/);
    expect(refusal(() => partitionSelection(FIELDS, [0, 1], [4], 0, 3)).message).toMatch(/from_offsets must hold one offset per partition read \(2\), or none; got 1/);
    expect(refusal(() => partitionSelection(FIELDS, [], [1, 2], 0, 3)).message).toMatch(/from_offsets must hold one offset per partition read \(3\)/);
  });

  it('deals a read budget over the partitions read: each at least one, as even as can be, all of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 64 }), (total, n) => {
        const s = shares(total, n);
        expect(s).toHaveLength(n);
        expect(Math.min(...s)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
        expect(s.reduce((a, b) => a + b, 0)).toBe(Math.max(total, n));
      }),
    );
  });
});
