import { describe, expect, it } from 'vitest';
import type { Entry } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';
import { EntryCache, LoadedRanges } from './entry-cache.js';

const e = (index: number, term = 1, size = 76): Entry => ({ index, term, type: 0, data: new Uint8Array(size) });
const span = (lo: number, hi: number, term = 1) => Array.from({ length: hi - lo }, (_, k) => e(lo + k, term));
const ONE = entryBytes(e(1)); // 100 bytes

describe('EntryCache', () => {
  it('keeps the newest entries within its byte budget', () => {
    const c = new EntryCache(10 * ONE);
    c.append(span(1, 26));
    expect([c.first, c.last, c.size, c.bytes]).toEqual([16, 25, 10, 10 * ONE]);
    expect(c.get(15)).toBeUndefined();
    expect(c.get(20)?.index).toBe(20);
  });

  it('replaces a truncated suffix, and restarts after a gap', () => {
    const c = new EntryCache(100 * ONE);
    c.append(span(1, 11));
    c.append(span(6, 8, 2));
    expect([c.first, c.last]).toEqual([1, 7]);
    expect(c.get(6)?.term).toBe(2);
    expect(c.bytes).toBe(7 * ONE);
    c.append(span(20, 22));
    expect([c.first, c.last, c.bytes]).toEqual([20, 21, 2 * ONE]);
    c.dropBelow(21);
    expect([c.first, c.last, c.bytes]).toEqual([21, 21, ONE]);
  });

  it('warms from older entries only as far as the budget allows', () => {
    const c = new EntryCache(5 * ONE);
    c.append(span(10, 13));
    c.prepend(span(1, 10));
    expect([c.first, c.last, c.size]).toEqual([8, 12, 5]);
  });
});

describe('LoadedRanges', () => {
  it('evicts the least recently used chunk and trims on truncation', () => {
    const r = new LoadedRanges(20 * ONE);
    r.add(span(1, 11));
    r.add(span(101, 111));
    r.find(5); // The first chunk is now the more recent.
    r.add(span(201, 211));
    expect(r.find(105)).toBeUndefined();
    expect(r.find(5)?.lo).toBe(1);
    expect(r.find(205)?.lo).toBe(201);
    r.truncateFrom(5); // Everything from 5 on was replaced, in every chunk.
    expect(r.find(5)).toBeUndefined();
    expect(r.find(205)).toBeUndefined();
    expect(r.find(4)?.entries.length).toBe(4);
    r.dropBelow(3);
    expect(r.find(2)).toBeUndefined();
    expect(r.find(3)?.lo).toBe(3);
    expect(r.bytes).toBe(2 * ONE);
  });
});
