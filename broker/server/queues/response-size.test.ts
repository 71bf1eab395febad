import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkByBytes, fitting, itemBytes } from './response-size.js';

describe('response size', () => {
  it('cuts deliveries into runs under the limit, in order, each with at least one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20_000 }), (sizes, limit) => {
        const runs = chunkByBytes(sizes, (s) => s, limit);
        expect(runs.flat()).toEqual(sizes);
        for (const r of runs) {
          expect(r.length).toBeGreaterThan(0);
          const total = r.reduce((a, b) => a + b, 0);
          if (r.length > 1) expect(total).toBeLessThanOrEqual(limit);
        }
        // Greedy: a run ends only where the next item would not fit.
        for (let i = 0; i + 1 < runs.length; i++) expect(runs[i]!.reduce((a, b) => a + b, 0) + runs[i + 1]![0]!).toBeGreaterThan(limit);
        const n = fitting(sizes, (s) => s, limit);
        expect(n).toBe(runs[0]?.length ?? 0);
      }),
    );
  });

  it('256 deliveries of 64 KiB go out in responses of at most 1 MiB (the 4 MiB default receive limit is never reached)', () => {
    const d = { body: new Uint8Array(64 << 10), headers: [{ key: 'k', value: 'v' }] };
    const runs = chunkByBytes(new Array(256).fill(d), itemBytes);
    expect(runs.length).toBeGreaterThanOrEqual(16);
    for (const r of runs) expect(r.reduce((a, x) => a + itemBytes(x), 0)).toBeLessThanOrEqual(1 << 20);
  });
});
