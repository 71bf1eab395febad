// One suite for every Wal implementation: the same behaviour is asked of the
// LevelDB log and the in-memory one (run from level-wal.test.ts and
// memory-wal.test.ts). Where they may differ (only a disk-backed log can
// answer UNAVAILABLE, only it survives a reopen) the harness says so and the
// tests check the stronger property where it applies. A model-based property
// test at the end drives random appends, truncations, snapshots and
// compactions against the core's reference MemoryStorage.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactedError } from '../raft/core/errors.js';
import { MemoryStorage } from '../raft/core/memory-storage.js';
import { UNAVAILABLE } from '../raft/core/storage.js';
import type { ConfState, Entry, Snapshot } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';
import { entry, payload, range } from './testing/payload.js';
import type { GroupLog, Wal } from './wal.js';

export interface WalHarness {
  /** A fresh, empty Wal. */
  open(options?: { cacheBytes?: number }): Promise<Wal>;
  /** Closes `wal` and opens the same data again; absent when nothing survives a close. */
  reopen?: ((wal: Wal, options?: { cacheBytes?: number }) => Promise<Wal>) | undefined;
  /** True when old ranges can be answered UNAVAILABLE (a small cache in front of a disk). */
  readonly evicts: boolean;
  /** Removes whatever open() created. */
  cleanup(): Promise<void>;
}

export { entry, payload, range } from './testing/payload.js';

/** Reads [lo, hi) completely, riding out UNAVAILABLE answers through onEntriesLoaded. */
export async function readAll(log: GroupLog, lo: number, hi: number): Promise<Entry[]> {
  const out: Entry[] = [];
  while (lo < hi) {
    const got = log.entries(lo, hi, Number.MAX_SAFE_INTEGER);
    if (got === UNAVAILABLE) {
      await new Promise<void>((resolve) => {
        const off = log.onEntriesLoaded(() => {
          off();
          resolve();
        });
      });
      continue;
    }
    out.push(...got);
    lo += got.length;
  }
  return out;
}

function plain(es: readonly Entry[]): Array<{ index: number; term: number; type: number; data: number[] }> {
  return es.map((e) => ({ index: e.index, term: e.term, type: e.type, data: Array.from(e.data) }));
}

const CONF: ConfState = { voters: [1, 2, 3], learners: [4] };

function snap(index: number, term: number, size = 100, conf: ConfState = CONF): Snapshot {
  return { meta: { index, term, conf }, data: payload(index, term, size) };
}

export function walConformance(name: string, makeHarness: () => WalHarness): void {
  describe(`Wal conformance: ${name}`, () => {
    async function withWal(fn: (h: WalHarness, wal: Wal) => Promise<Wal | void>, options?: { cacheBytes?: number }): Promise<void> {
      const h = makeHarness();
      let wal = await h.open(options);
      try {
        wal = (await fn(h, wal)) ?? wal;
      } finally {
        await wal.close();
        await h.cleanup();
      }
    }

    /** Reopens when the implementation survives it, and checks the group through `check` both times. */
    async function checkAcrossReopen(h: WalHarness, wal: Wal, group: number, check: (log: GroupLog) => Promise<void> | void): Promise<Wal> {
      await check(await wal.group(group));
      if (!h.reopen) return wal;
      const again = await h.reopen(wal);
      await check(await again.group(group));
      return again;
    }

    it('starts empty', () =>
      withWal(async (_h, wal) => {
        const log = await wal.group(1);
        expect(log.firstIndex()).toBe(1);
        expect(log.lastIndex()).toBe(0);
        expect(log.term(0)).toBe(0);
        expect(log.term(5)).toBe(0);
        expect(log.entries(1, 1, 100)).toEqual([]);
        expect(log.initialState()).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, confState: { voters: [], learners: [] } });
        expect(log.snapshot().meta.index).toBe(0);
        expect(wal.identity.clusterId).toBe('conformance');
      }));

    it('appends and reads back entries, terms and the hard state', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(7);
        const es = range(1, 21, (i) => (i <= 10 ? 1 : 2));
        await log.persist({ entries: es, hardState: { term: 2, vote: 3, commit: 15 } }, true);
        return checkAcrossReopen(h, wal, 7, async (l) => {
          expect(l.firstIndex()).toBe(1);
          expect(l.lastIndex()).toBe(20);
          expect(l.term(10)).toBe(1);
          expect(l.term(11)).toBe(2);
          expect(l.term(21)).toBe(0);
          expect(plain(await readAll(l, 1, 21))).toEqual(plain(es));
          expect(plain(await l.readEntries(3, 6, Number.MAX_SAFE_INTEGER))).toEqual(plain(es.slice(2, 5)));
          expect(l.initialState().hardState).toEqual({ term: 2, vote: 3, commit: 15 });
          expect(() => l.entries(5, 22, 100)).toThrow(RangeError);
        });
      }));

    it('bounds reads by bytes, but always returns at least one entry', () =>
      withWal(async (_h, wal) => {
        const log = await wal.group(1);
        const es = range(1, 11, 1, 100);
        await log.persist({ entries: es }, true);
        const one = entryBytes(es[0]!);
        expect(await readBounded(log, 1, 11, 0)).toHaveLength(1);
        expect(await readBounded(log, 1, 11, one * 2.5)).toHaveLength(2);
        expect(await readBounded(log, 1, 11, one * 3)).toHaveLength(3);
        expect(await readBounded(log, 4, 11, Number.MAX_SAFE_INTEGER)).toHaveLength(7);
      }));

    it('truncates a conflicting suffix in the same write as the new entries', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(2);
        await log.persist({ entries: range(1, 11, 1) }, true);
        await log.persist({ entries: range(6, 9, 3), hardState: { term: 3, vote: 2, commit: 5 } }, true);
        // Then append after the truncated suffix, within the old range.
        await log.persist({ entries: range(9, 10, 3) }, true);
        return checkAcrossReopen(h, wal, 2, async (l) => {
          expect(l.lastIndex()).toBe(9);
          expect(l.term(5)).toBe(1);
          expect(l.term(6)).toBe(3);
          expect(l.term(10)).toBe(0);
          expect(plain(await readAll(l, 1, 10))).toEqual(plain([...range(1, 6, 1), ...range(6, 10, 3)]));
        });
      }));

    it('keeps many terms and truncations straight', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(3);
        const termOf: number[] = [0];
        let term = 1;
        for (let i = 1; i <= 600; i++) {
          if (i % 7 === 0) term++;
          termOf[i] = term;
        }
        for (let lo = 1; lo <= 600; lo += 50) await log.persist({ entries: range(lo, lo + 50, (i) => termOf[i]!) }, true);
        // Truncate twice, each time with a new term; the second inside the first's entries.
        term += 1;
        for (let i = 301; i <= 400; i++) termOf[i] = term;
        termOf.length = 401;
        await log.persist({ entries: range(301, 401, term) }, true);
        term += 1;
        for (let i = 351; i <= 360; i++) termOf[i] = term;
        termOf.length = 361;
        await log.persist({ entries: range(351, 361, term) }, true);
        return checkAcrossReopen(h, wal, 3, async (l) => {
          expect(l.lastIndex()).toBe(360);
          for (let i = 0; i <= 360; i++) expect(l.term(i)).toBe(termOf[i]);
          const got = await readAll(l, 1, 361);
          expect(got.map((e) => e.term)).toEqual(termOf.slice(1));
          expect(plain(got)).toEqual(plain(range(1, 361, (i) => termOf[i]!)));
        });
      }));

    it('rejects a gap and entries that are not contiguous, changing nothing', () =>
      withWal(async (_h, wal) => {
        const log = await wal.group(1);
        await log.persist({ entries: range(1, 4, 1) }, true);
        await expect(log.persist({ entries: range(6, 8, 1) }, true)).rejects.toThrow(RangeError);
        await expect(log.persist({ entries: [entry(4, 1), entry(6, 1)] }, true)).rejects.toThrow(RangeError);
        expect(log.lastIndex()).toBe(3);
        expect(plain(await readAll(log, 1, 4))).toEqual(plain(range(1, 4, 1)));
      }));

    it('skips appended entries the snapshot already covers', () =>
      withWal(async (_h, wal) => {
        const log = await wal.group(1);
        await log.persist({ snapshot: snap(10, 2), entries: [] }, true);
        await log.persist({ entries: range(8, 13, 2) }, true);
        expect(log.firstIndex()).toBe(11);
        expect(log.lastIndex()).toBe(12);
        expect(plain(await readAll(log, 11, 13))).toEqual(plain(range(11, 13, 2)));
      }));

    it('compacts below a snapshot, and refuses to compact past it', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(4);
        await log.persist({ entries: range(1, 101, (i) => (i <= 40 ? 1 : 2)) }, true);
        await expect(log.compact(10)).rejects.toThrow(RangeError);
        await log.saveSnapshot(snap(50, 2));
        await expect(log.compact(52)).rejects.toThrow(RangeError);
        await log.compact(41);
        expect(log.firstIndex()).toBe(41);
        expect(log.term(40)).toBe(1);
        await log.compact(51);
        await log.compact(30); // Already below: nothing to do.
        return checkAcrossReopen(h, wal, 4, async (l) => {
          expect(l.firstIndex()).toBe(51);
          expect(l.lastIndex()).toBe(100);
          expect(l.term(50)).toBe(2);
          expect(() => l.term(49)).toThrow(CompactedError);
          expect(() => l.entries(50, 60, 1000)).toThrow(CompactedError);
          await expect(l.readEntries(49, 60, 1000)).rejects.toThrow(CompactedError);
          expect(plain(await readAll(l, 51, 101))).toEqual(plain(range(51, 101, 2)));
          expect(l.snapshot().meta).toEqual({ index: 50, term: 2, conf: CONF });
        });
      }));

    it('compacts the whole log, then appends after it', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(4);
        await log.persist({ entries: range(1, 31, 1) }, true);
        await log.saveSnapshot(snap(30, 1));
        await log.compact(31);
        expect(log.firstIndex()).toBe(31);
        expect(log.lastIndex()).toBe(30);
        expect(log.term(30)).toBe(1);
        await log.persist({ entries: range(31, 36, 2) }, true);
        return checkAcrossReopen(h, wal, 4, async (l) => {
          expect(l.firstIndex()).toBe(31);
          expect(l.lastIndex()).toBe(35);
          expect(l.term(30)).toBe(1);
          expect(l.term(31)).toBe(2);
          expect(plain(await readAll(l, 31, 36))).toEqual(plain(range(31, 36, 2)));
        });
      }));

    it('keeps the listed live entries below the snapshot, readable by index, and deletes the rest (sparse compaction)', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(8);
        const es = range(1, 101, (i) => (i <= 40 ? 1 : 2), 50);
        await log.persist({ entries: es }, true);
        await log.saveSnapshot(snap(80, 2));
        await log.compact(71, [3, 4, 5, 40, 60, 75, 200]); // 75 and 200 are not below 71: not part of it
        expect(log.firstIndex()).toBe(71);
        expect(log.sparseIndexes()).toEqual([3, 4, 5, 40, 60]);
        wal = await checkAcrossReopen(h, wal, 8, async (l) => {
          expect(l.firstIndex()).toBe(71);
          expect(l.sparseIndexes()).toEqual([3, 4, 5, 40, 60]);
          // The core never sees the sparse part.
          expect(() => l.term(60)).toThrow(CompactedError);
          expect(() => l.entries(60, 61, 1000)).toThrow(CompactedError);
          // By index: one entry, a run, holes skipped, then on into the contiguous log.
          expect(plain(await l.readEntries(40, 41, 1000))).toEqual(plain([es[39]!]));
          expect(plain(await l.readEntries(3, 6, Number.MAX_SAFE_INTEGER))).toEqual(plain(es.slice(2, 5)));
          expect(plain(await l.readEntries(5, 73, Number.MAX_SAFE_INTEGER))).toEqual(plain([es[4]!, es[39]!, es[59]!, es[70]!, es[71]!]));
          // ... within the byte budget, always at least one.
          expect((await l.readEntries(3, 100, 0)).map((e) => e.index)).toEqual([3]);
          expect((await l.readEntries(3, 100, entryBytes(es[0]!) * 2)).map((e) => e.index)).toEqual([3, 4]);
          // A deleted entry, and a range holding none below the first index.
          await expect(l.readEntries(6, 7, 1000)).rejects.toThrow(CompactedError);
          await expect(l.readEntries(61, 80, 1000)).rejects.toThrow(CompactedError);
        });
        // The next compaction's list replaces the sparse part: 3 and 40 died, 72 is newly live.
        const again = await wal.group(8);
        await again.compact(76, [4, 5, 60, 72]);
        return checkAcrossReopen(h, wal, 8, async (l) => {
          expect(l.firstIndex()).toBe(76);
          expect(l.sparseIndexes()).toEqual([4, 5, 60, 72]);
          await expect(l.readEntries(3, 4, 1000)).rejects.toThrow(CompactedError);
          await expect(l.readEntries(40, 41, 1000)).rejects.toThrow(CompactedError);
          expect((await l.readEntries(1, 80, Number.MAX_SAFE_INTEGER)).map((e) => e.index)).toEqual([4, 5, 60, 72, 76, 77, 78, 79]);
          expect(plain(await l.readEntries(72, 73, 1000))).toEqual(plain([es[71]!]));
        });
      }));

    it('keeps entries sent with a snapshot: hidden until the snapshot is installed, then the sparse part', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(9);
        await log.persist({ entries: range(1, 21, 1) }, true);
        // What a leader sends with its snapshot at 500: live entries below it (their terms are the leader's).
        const sent = [entry(10, 3), entry(250, 4), entry(499, 5)];
        await log.storeSparse(sent);
        // Not yet installed: the log is unchanged, entry 10 is still the log's own.
        expect(log.sparseIndexes()).toEqual([]);
        expect(plain(await log.readEntries(10, 11, 1000))).toEqual(plain([entry(10, 1)]));
        await log.persist({ snapshot: snap(500, 5), entries: range(501, 504, 5) }, true);
        wal = await checkAcrossReopen(h, wal, 9, async (l) => {
          expect(l.firstIndex()).toBe(501);
          expect(l.sparseIndexes()).toEqual([10, 250, 499]);
          expect(plain(await l.readEntries(1, 504, Number.MAX_SAFE_INTEGER))).toEqual(plain([...sent, ...range(501, 504, 5)]));
        });
        // The first compaction after it keeps what its machine still reads, and nothing else.
        const l = await wal.group(9);
        await l.saveSnapshot(snap(503, 5));
        await l.compact(504, [250, 501]);
        expect(l.sparseIndexes()).toEqual([250, 501]);
        await expect(l.readEntries(10, 11, 1000)).rejects.toThrow(CompactedError);
        return wal;
      }));

    it('moves the first index only to the lowest live entry when most of the range is live, and copies once most of it died', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(11);
        await log.persist({ entries: range(1, 101, 1) }, true);
        await log.saveSnapshot(snap(100, 1));
        // Entries 21..100 are live (80%): copying them to free 20 would not pay.
        const live = range(21, 101, 1).map((e) => e.index);
        await log.compact(91, live);
        expect(log.firstIndex()).toBe(21);
        expect(log.sparseIndexes()).toEqual([]);
        expect(plain(await log.readEntries(21, 101, Number.MAX_SAFE_INTEGER))).toEqual(plain(range(21, 101, 1)));
        await expect(log.readEntries(20, 21, 1000)).rejects.toThrow(CompactedError);
        // Most of them died: the survivors below 91 are copied, the rest goes.
        wal = await checkAcrossReopen(h, wal, 11, async (l) => {
          expect(l.firstIndex()).toBe(21);
        });
        const again = await wal.group(11);
        await again.compact(91, [30, 95]);
        expect(again.firstIndex()).toBe(91);
        expect(again.sparseIndexes()).toEqual([30]);
        expect(plain(await again.readEntries(1, 92, Number.MAX_SAFE_INTEGER))).toEqual(plain([entry(30, 1), entry(91, 1)]));
        return wal;
      }));

    it('keeps the newest saved snapshot and ignores older ones', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(5);
        await log.persist({ entries: range(1, 41, 1) }, true);
        await log.saveSnapshot(snap(10, 1, 5000));
        await log.saveSnapshot(snap(20, 1, 3_000_000));
        await log.saveSnapshot(snap(15, 1, 10));
        await expect(log.saveSnapshot(snap(50, 1))).rejects.toThrow(RangeError);
        await expect(log.saveSnapshot(snap(30, 9))).rejects.toThrow(RangeError);
        return checkAcrossReopen(h, wal, 5, (l) => {
          const s = l.snapshot();
          expect(s.meta).toEqual({ index: 20, term: 1, conf: CONF });
          expect(Buffer.from(s.data).equals(Buffer.from(payload(20, 1, 3_000_000)))).toBe(true);
          expect(l.firstIndex()).toBe(1);
        });
      }));

    it('replaces the log with a received snapshot, atomically with entries and hard state', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(6);
        await log.persist({ entries: range(1, 31, 1) }, true);
        await log.setConfState({ voters: [1, 2], learners: [] });
        expect(log.initialState().confState).toEqual({ voters: [1, 2], learners: [] });
        const s = snap(200, 5, 2_500_000);
        await log.persist({ snapshot: s, entries: range(201, 206, 6), hardState: { term: 6, vote: 1, commit: 203 } }, true);
        expect(log.firstIndex()).toBe(201);
        wal = await checkAcrossReopen(h, wal, 6, async (l) => {
          expect(l.firstIndex()).toBe(201);
          expect(l.lastIndex()).toBe(205);
          expect(l.term(200)).toBe(5);
          expect(l.term(201)).toBe(6);
          expect(() => l.term(199)).toThrow(CompactedError);
          expect(l.snapshot().meta).toEqual(s.meta);
          expect(Buffer.from(l.snapshot().data).equals(Buffer.from(s.data))).toBe(true);
          // The snapshot's membership replaces the one set before it.
          expect(l.initialState()).toEqual({ hardState: { term: 6, vote: 1, commit: 203 }, confState: CONF });
          expect(plain(await readAll(l, 201, 206))).toEqual(plain(range(201, 206, 6)));
        });
        // A second snapshot inside the log replaces the first and everything after it.
        const again = await wal.group(6);
        const s2 = snap(203, 6, 10, { voters: [2], learners: [] });
        await again.persist({ snapshot: s2, entries: [] }, true);
        await again.persist({ snapshot: snap(150, 4), entries: [] }, true); // Older: ignored.
        return checkAcrossReopen(h, wal, 6, (l) => {
          expect(l.firstIndex()).toBe(204);
          expect(l.lastIndex()).toBe(203);
          expect(l.snapshot().meta).toEqual(s2.meta);
          expect(l.initialState().confState).toEqual({ voters: [2], learners: [] });
        });
      }));

    it('keeps the newest checkpoint, and drops it when a received snapshot replaces the log', () =>
      withWal(async (h, wal) => {
        const log = await wal.group(10);
        await log.persist({ entries: range(1, 101, 1) }, true);
        expect(log.checkpoint()).toBeUndefined();
        await log.saveCheckpoint({ index: 40, data: payload(40, 0, 5000) });
        await log.saveCheckpoint({ index: 60, data: payload(60, 0, 2_500_000) });
        await log.saveCheckpoint({ index: 50, data: payload(50, 0, 10) }); // Older: ignored.
        await expect(log.saveCheckpoint({ index: 101, data: new Uint8Array(1) })).rejects.toThrow(RangeError);
        await log.saveSnapshot(snap(30, 1, 700));
        wal = await checkAcrossReopen(h, wal, 10, (l) => {
          const cp = l.checkpoint()!;
          expect(cp.index).toBe(60);
          expect(Buffer.from(cp.data).equals(Buffer.from(payload(60, 0, 2_500_000)))).toBe(true);
          expect(Buffer.from(l.snapshot().data).equals(Buffer.from(payload(30, 1, 700)))).toBe(true);
        });
        const again = await wal.group(10);
        await again.persist({ snapshot: snap(500, 3), entries: [] }, true);
        return checkAcrossReopen(h, wal, 10, (l) => {
          expect(l.checkpoint()).toBeUndefined();
          expect(l.snapshot().meta.index).toBe(500);
        });
      }));

    it('answers UNAVAILABLE for old ranges beyond a tiny cache, then serves them once loaded', () =>
      withWal(
        async (h, wal) => {
          const log = await wal.group(8);
          const es = range(1, 301, (i) => 1 + Math.floor(i / 100), 100);
          for (let lo = 1; lo <= 300; lo += 30) await log.persist({ entries: es.slice(lo - 1, lo + 29) }, true);
          let loads = 0;
          log.onEntriesLoaded(() => loads++);
          const first = log.entries(10, 60, Number.MAX_SAFE_INTEGER);
          if (h.evicts) {
            expect(first).toBe(UNAVAILABLE);
            // A second ask while the load runs neither fails nor starts another load.
            expect(log.entries(20, 30, Number.MAX_SAFE_INTEGER)).toBe(UNAVAILABLE);
            await new Promise<void>((resolve) => {
              const off = log.onEntriesLoaded(() => (off(), resolve()));
            });
            expect(loads).toBe(1);
          }
          const again = log.entries(10, 60, Number.MAX_SAFE_INTEGER);
          expect(again).not.toBe(UNAVAILABLE);
          expect(plain(again as Entry[])).toEqual(plain(es.slice(9, 59)));
          // The newest entries are still served from memory at once.
          expect(plain(log.entries(295, 301, Number.MAX_SAFE_INTEGER) as Entry[])).toEqual(plain(es.slice(294)));
          expect(plain(await readAll(log, 1, 301))).toEqual(plain(es));
          expect(plain(await log.readEntries(100, 201, Number.MAX_SAFE_INTEGER))).toEqual(plain(es.slice(99, 200)));
          // A truncation must drop loaded copies of the replaced entries.
          await log.persist({ entries: range(40, 45, 9, 100) }, true);
          expect(plain(await readAll(log, 35, 45))).toEqual(plain([...es.slice(34, 39), ...range(40, 45, 9, 100)]));
        },
        { cacheBytes: 4096 },
      ));

    it('keeps groups apart and serves concurrent writers from many groups', () =>
      withWal(async (h, wal) => {
        const logs = await Promise.all([1, 2, 3].map((g) => wal.group(g)));
        const writes: Promise<void>[] = [];
        for (let i = 1; i <= 40; i++) {
          for (const [k, log] of logs.entries()) writes.push(log.persist({ entries: [entry(i, k + 1)] }, true));
        }
        await Promise.all(writes);
        for (const [k, log] of logs.entries()) {
          expect(log.lastIndex()).toBe(40);
          expect(plain(await readAll(log, 1, 41))).toEqual(plain(range(1, 41, k + 1)));
        }
        expect(await wal.group(2)).toBe(logs[1]);
        return checkAcrossReopen(h, wal, 3, async (l) => {
          expect(plain(await readAll(l, 1, 41))).toEqual(plain(range(1, 41, 3)));
        });
      }));

    it('refuses work once closed', async () => {
      const h = makeHarness();
      const wal = await h.open();
      const log = await wal.group(1);
      await wal.close();
      await expect(wal.group(1)).rejects.toThrow(/closed/);
      await expect(log.persist({ entries: range(1, 2, 1) }, true)).rejects.toThrow(/closed/);
      await h.cleanup();
    });

    it('matches the reference MemoryStorage under random appends, truncations, snapshots and compactions', async () => {
      const op = fc.oneof(
        { arbitrary: fc.record({ kind: fc.constant('append' as const), back: fc.nat(12), n: fc.integer({ min: 1, max: 25 }), bump: fc.boolean() }), weight: 6 },
        { arbitrary: fc.record({ kind: fc.constant('save' as const), at: fc.nat(1000), compact: fc.nat(1000) }), weight: 2 },
        { arbitrary: fc.record({ kind: fc.constant('install' as const), ahead: fc.integer({ min: -10, max: 30 }) }), weight: 1 },
        { arbitrary: fc.record({ kind: fc.constant('reopen' as const) }), weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
          const h = makeHarness();
          let wal = await h.open({ cacheBytes: 2048 });
          try {
            const model = new MemoryStorage();
            let term = 1;
            let log = await wal.group(9);
            for (const o of ops) {
              const first = model.firstIndex();
              const last = model.lastIndex();
              if (o.kind === 'append') {
                if (o.bump) term++;
                // Never at or below the snapshot: those entries are committed and never truncated
                // (the model would otherwise end below its own snapshot, and compacting to it throws).
                const at = Math.max(first, model.snapshot().meta.index + 1, last + 1 - o.back);
                const es = range(at, at + o.n, term);
                model.append(es);
                await log.persist({ entries: es, hardState: { term, vote: 1, commit: 0 } }, true);
              } else if (o.kind === 'save') {
                if (last < first) continue;
                const at = first + (o.at % (last - first + 1));
                const s = { meta: { index: at, term: model.term(at), conf: CONF }, data: payload(at, 0, 50) };
                if (at > model.snapshot().meta.index) model.createSnapshot(at, CONF, s.data);
                await log.saveSnapshot(s);
                const snapIndex = model.snapshot().meta.index;
                // Never past the last entry + 1: a truncation may have left the snapshot beyond the log.
                const to = first + (o.compact % (Math.min(snapIndex, model.lastIndex()) + 2 - first));
                if (to > first) model.compact(to);
                await log.compact(to);
              } else if (o.kind === 'install') {
                term++;
                const at = Math.max(model.snapshot().meta.index + 1, last + o.ahead);
                const s = { meta: { index: at, term, conf: CONF }, data: payload(at, term, 30) };
                model.applySnapshot(s);
                await log.persist({ snapshot: s, entries: [] }, true);
              } else if (h.reopen) {
                wal = await h.reopen(wal, { cacheBytes: 2048 });
                log = await wal.group(9);
              }
              expect(log.firstIndex()).toBe(model.firstIndex());
              expect(log.lastIndex()).toBe(model.lastIndex());
              for (let i = model.firstIndex() - 1; i <= model.lastIndex() + 1; i++) expect(log.term(i)).toBe(model.term(i));
              expect(log.snapshot().meta.index).toBe(model.snapshot().meta.index);
            }
            const lo = model.firstIndex();
            const hi = model.lastIndex() + 1;
            expect(plain(await readAll(log, lo, hi))).toEqual(plain(hi > lo ? (model.entries(lo, hi, Number.MAX_SAFE_INTEGER) as Entry[]) : []));
          } finally {
            await wal.close();
            await h.cleanup();
          }
        }),
        { numRuns: 25 },
      );
    });
  });
}

async function readBounded(log: GroupLog, lo: number, hi: number, maxBytes: number): Promise<Entry[]> {
  for (;;) {
    const got = log.entries(lo, hi, maxBytes);
    if (got !== UNAVAILABLE) return got;
    await new Promise<void>((resolve) => {
      const off = log.onEntriesLoaded(() => (off(), resolve()));
    });
  }
}
