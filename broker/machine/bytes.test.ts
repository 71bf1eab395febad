import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from './bytes.js';

describe('the binary writer and reader', () => {
  it('round-trips strings of any length and alphabet, numbers and byte blocks, whatever capacity the writer starts with', () => {
    const item = fc.oneof(
      fc.record({ kind: fc.constant('str' as const), v: fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ minLength: 60, maxLength: 300 })) }),
      fc.record({ kind: fc.constant('u32' as const), v: fc.nat() }),
      fc.record({ kind: fc.constant('bytes' as const), v: fc.uint8Array({ maxLength: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), fc.integer({ min: 1, max: 2000 }), (items, capacity) => {
        const w = new Writer(capacity);
        for (const it of items) {
          if (it.kind === 'str') w.str(it.v);
          else if (it.kind === 'u32') w.u32(it.v);
          else w.bytes(it.v);
        }
        const out = w.finish();
        // The result is the writer's to give away: a later writer never changes it.
        const copy = out.slice();
        new Writer(capacity).str('x'.repeat(100)).finish();
        expect(out).toEqual(copy);
        const r = new Reader(out);
        for (const it of items) {
          if (it.kind === 'str') expect(r.str()).toBe(it.v);
          else if (it.kind === 'u32') expect(r.u32()).toBe(it.v);
          else expect(r.bytes()).toEqual(it.v);
        }
        r.end();
      }),
      { numRuns: 500 },
    );
  });
});
